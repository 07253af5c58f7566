package dev.beadpool.dispatch;

/**
 * A profile whose dispatched beads no live worker takes: they stay on its queue, holding their
 * max-in-flight places, until a worker that serves it comes (or its circuit closes).
 *
 * @param beads how many beads of the profile wait on its queue
 * @param why what is missing, in words
 */
public record StalledProfile(String profile, int beads, String why) {}
