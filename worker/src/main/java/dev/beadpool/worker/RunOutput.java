package dev.beadpool.worker;

import dev.beadpool.protocol.DispatchMessage;
import java.util.List;

/** Where an agent's output lines go as they come, for whoever watches; never holds up the agent. */
@FunctionalInterface
interface RunOutput {
  void lines(DispatchMessage dispatch, List<String> lines);
}
