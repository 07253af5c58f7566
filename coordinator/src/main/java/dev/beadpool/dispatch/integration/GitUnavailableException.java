package dev.beadpool.dispatch.integration;

/**
 * git could not reach the remote (or failed for a reason of its own, not of a bead's work): the
 * integrator waits and tries again; no bead is charged for it.
 */
final class GitUnavailableException extends Exception {
  GitUnavailableException(String message) {
    super(message);
  }
}
