package dev.beadpool.agent;

/** A git command that failed or did not end in time; the message carries git's own words. */
public class GitException extends Exception {
  private static final long serialVersionUID = 1L;

  public GitException(String message) {
    super(message);
  }
}
