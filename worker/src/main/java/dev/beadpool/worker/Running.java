package dev.beadpool.worker;

import dev.beadpool.agent.usage.UsageMeter;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.Usage;

/**
 * A run whose agent this worker is running now: claimed, heartbeated, and killed and released if
 * the worker stops before it ends.
 *
 * <p>Threads: made and ended by its slot; {@link #process} and {@link #released} are set by other
 * threads (the agent's start, {@link Worker#close()}) and read by the slot; {@link #usage} is set
 * by the slot as the agent starts and read by the heartbeat thread.
 */
final class Running {
  final DispatchMessage dispatch;
  final String leaseId;
  final LeaseSecret secret;
  volatile Process process;
  volatile boolean released;
  volatile UsageMeter usage;

  Running(DispatchMessage dispatch, String leaseId, LeaseSecret secret) {
    this.dispatch = dispatch;
    this.leaseId = leaseId;
    this.secret = secret;
  }

  /** What the run's agent has reported spending so far, or null. */
  Usage usageSoFar() {
    UsageMeter meter = usage;
    return meter == null ? null : meter.soFar();
  }
}
