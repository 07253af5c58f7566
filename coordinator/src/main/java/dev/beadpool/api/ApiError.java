package dev.beadpool.api;

/** A request the API refuses, with its HTTP status. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }
}
