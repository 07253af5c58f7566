package dev.beadpool.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "reject",
    description = {
      "Send pushed work back to an agent instead of merging it: the bead gets a new run from",
      "the integration branch's head, with the reason in its prompt ({{feedback}}). A",
      "rejection spends no attempt. Needs a running coordinator.",
      "Example: beadpool reject bd-a3f8 --reason \"add a test for the empty case\""
    })
final class RejectCommand extends BaseCommand {
  @Mixin StoreOptions store;

  @Parameters(arity = "1..*", paramLabel = "ID")
  List<String> ids;

  @Option(
      names = {"-r", "--reason"},
      required = true,
      description = "Why, for the agent that takes the bead next.")
  String reason;

  @Override
  public Integer call() {
    CoordinatorClient coordinator = MergeQueueCommands.coordinator(store, "reject");
    return MergeQueueCommands.each(
        this,
        ids,
        "rejecting",
        id -> coordinator.post("reject", MergeQueueCommands.body(id).put("reason", reason)),
        entry ->
            "✗ "
                + entry.path("beadId").asText()
                + ": "
                + MergeQueueCommands.shortCommit(entry)
                + " sent back to an agent");
  }
}
