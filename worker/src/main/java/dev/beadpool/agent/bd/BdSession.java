package dev.beadpool.agent.bd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.BdOutput;
import dev.beadpool.bead.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * One invocation of the worker's {@code bd}: where the context and the operations file are, who
 * acts, the clock, and the output. Reads see every operation recorded so far; changes are made
 * under the operations file's lock (see {@link OpsFile}).
 */
final class BdSession {
  /** The actor when neither the environment nor the context names one. */
  static final String DEFAULT_ACTOR = "agent";

  private final Path contextFile;
  private final OpsFile ops;
  private final String actorOverride;
  private final Clock clock;
  private final PrintWriter out;
  private final PrintWriter err;
  private BdContext context;

  private BdSession(
      Path contextFile,
      OpsFile ops,
      String actorOverride,
      Clock clock,
      PrintWriter out,
      PrintWriter err) {
    this.contextFile = contextFile;
    this.ops = ops;
    this.actorOverride = actorOverride;
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  /**
   * The session of the environment the worker set up ({@link BdSupport.Prepared#environment()}).
   *
   * @throws BdException when the variables are missing: bd was started outside a worker run
   */
  static BdSession fromEnvironment(
      Map<String, String> env, Clock clock, PrintWriter out, PrintWriter err) throws BdException {
    String context = env.get(BdSupport.CONTEXT_ENV);
    String opsFile = env.get(BdSupport.OPS_ENV);
    if (context == null || context.isBlank() || opsFile == null || opsFile.isBlank()) {
      throw BdException.refused(
          BdSupport.CONTEXT_ENV
              + " and "
              + BdSupport.OPS_ENV
              + " are not set: this bd works only inside a beadpool worker run");
    }
    return new BdSession(
        Path.of(context),
        new OpsFile(Path.of(opsFile)),
        env.get(BdSupport.ACTOR_ENV),
        clock,
        out,
        err);
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /** Now, as the {@code at} of a new operation. */
  String now() {
    return Timestamps.format(clock.instant());
  }

  java.time.Instant instant() {
    return clock.instant();
  }

  void printJson(JsonNode node) {
    out.println(BdOutput.json(node));
  }

  /** The beads with every operation recorded so far applied. */
  BdView view() throws IOException, BdException {
    return BdView.of(context(), actor(), ops.read());
  }

  /** A change that reads the view and {@link BdView#record}s operations on it. */
  @FunctionalInterface
  interface Change<T> {
    T apply(BdView view) throws BdException;
  }

  /**
   * Runs a change on the current view under the operations file's exclusive lock and appends the
   * operations it recorded, so concurrent {@code bd} commands see each other's changes.
   */
  <T> T change(Change<T> change) throws IOException, BdException {
    BdContext ctx = context();
    String actor = actor();
    return ops.update(
        (recorded, toAppend) -> {
          BdView view = BdView.of(ctx, actor, recorded);
          T result = change.apply(view);
          toAppend.addAll(view.recorded());
          return result;
        });
  }

  private BdContext context() throws IOException {
    if (context == null) {
      try {
        context = BdContext.read(contextFile);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IOException("bd context " + contextFile + " does not exist", e);
      }
    }
    return context;
  }

  private String actor() throws IOException {
    if (actorOverride != null && !actorOverride.isBlank()) {
      return actorOverride;
    }
    String actor = context().actor();
    return actor == null || actor.isBlank() ? DEFAULT_ACTOR : actor;
  }
}
