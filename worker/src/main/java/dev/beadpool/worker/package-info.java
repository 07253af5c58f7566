/**
 * The worker: consumes dispatched beads from the broker, claims them, runs agents and reports
 * results. Talks only to the broker, never to the store. Empty until the worker-pool issue.
 */
package dev.beadpool.worker;
