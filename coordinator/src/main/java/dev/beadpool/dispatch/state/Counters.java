package dev.beadpool.dispatch.state;

/** What the pool has done since the coordinator started, for {@code beadpool status}. */
public final class Counters {
  private long closed;
  private long handoffs;
  private long blockedByDiscovery;
  private long retried;
  private long failureBeads;
  private long staleResults;
  private long forgedResults;
  private long deadLettered;

  public void countClosed() {
    closed++;
  }

  public void countHandoff() {
    handoffs++;
  }

  public void countBlockedByDiscovery() {
    blockedByDiscovery++;
  }

  public void countRetry() {
    retried++;
  }

  public void countFailureBead() {
    failureBeads++;
  }

  public void countStaleResult() {
    staleResults++;
  }

  public void countForgedResult() {
    forgedResults++;
  }

  public void countDeadLettered() {
    deadLettered++;
  }

  public long closed() {
    return closed;
  }

  public long handoffs() {
    return handoffs;
  }

  public long blockedByDiscovery() {
    return blockedByDiscovery;
  }

  public long retried() {
    return retried;
  }

  public long failureBeads() {
    return failureBeads;
  }

  public long staleResults() {
    return staleResults;
  }

  public long forgedResults() {
    return forgedResults;
  }

  public long deadLettered() {
    return deadLettered;
  }
}
