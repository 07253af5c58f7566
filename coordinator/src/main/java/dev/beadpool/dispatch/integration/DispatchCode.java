package dev.beadpool.dispatch.integration;

import dev.beadpool.config.RepositoryConfig;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.store.MergeLedger;

/**
 * The code a dispatch starts from, with a {@code repository}: the integration branch's head as last
 * recorded (a bead becomes ready only after its blockers' merges are recorded, so that head holds
 * their work) and, if the bead's previous work was sent back, why.
 */
public final class DispatchCode {
  private final RepositoryConfig repository;
  private final MergeLedger merges;

  /**
   * @param repository null: no code flow, dispatches go out as they are
   */
  public DispatchCode(RepositoryConfig repository, MergeLedger merges) {
    this.repository = repository;
    this.merges = merges;
  }

  public DispatchMessage apply(String beadId, DispatchMessage message) {
    if (repository == null) {
      return message;
    }
    return message.withCode(merges.head(repository.branch()), merges.feedback(beadId));
  }
}
