package dev.beadpool.dispatch;

/**
 * A profile whose dispatched beads no live worker takes: they stay on its queue, holding their
 * max-in-flight places, until a worker that serves it comes (or its circuit closes). While no live
 * worker serves the profile at all, only one of its beads goes to the queue; the rest are held
 * back, ready, so they do not take the pool's other places.
 *
 * @param beads how many beads of the profile wait on its queue
 * @param held how many more ready beads of the profile the coordinator holds back
 * @param why what is missing, in words
 */
public record StalledProfile(String profile, int beads, int held, String why) {}
