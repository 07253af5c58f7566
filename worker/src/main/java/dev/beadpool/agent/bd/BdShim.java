package dev.beadpool.agent.bd;

import dev.beadpool.bead.Json;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's {@code bd}: what an agent runs as {@code bd} inside a beadpool worker (through the
 * script {@link BdSupport#prepare} writes). It answers {@code show} and {@code comments} from the
 * run's context and records {@code create}, {@code dep}, {@code update}, {@code comments add} and
 * {@code close} as operations for the coordinator, printing what bd prints. Other bd commands are
 * refused with exit code 2.
 */
public final class BdShim {
  /** What this bd serves, for messages. */
  static final String SERVED = "show, create, dep add|remove, update, comments, close";

  private static final Map<String, BdCommand> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("show", new ShowCommand());
    COMMANDS.put("create", new CreateCommand());
    COMMANDS.put("dep", new DepCommand());
    COMMANDS.put("update", new UpdateCommand());
    COMMANDS.put("comments", new CommentsCommand(false));
    COMMANDS.put("comment", new CommentsCommand(true));
    COMMANDS.put("close", new CloseCommand());
  }

  private BdShim() {}

  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(argumentsAsGiven(args), out, err, System.getenv()));
  }

  /**
   * Runs one bd command line.
   *
   * @param env where {@link BdSupport#CONTEXT_ENV} and the others are read from
   * @return the exit code: 0 done, 1 refused or not found, 2 usage or not served here
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, out, err, env, Clock.systemUTC());
  }

  static int run(
      String[] args, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
    StringWriter outText = new StringWriter();
    StringWriter errText = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(outText);
        PrintWriter e = new PrintWriter(errText)) {
      code = dispatch(List.of(args), o, e, env, clock);
    }
    // why: one write per stream; a failing command still shows what it printed before failing
    write(out, outText.toString());
    write(err, errText.toString());
    return code;
  }

  private static void write(PrintStream stream, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    stream.write(bytes, 0, bytes.length);
    stream.flush();
  }

  private static int dispatch(
      List<String> args, PrintWriter out, PrintWriter err, Map<String, String> env, Clock clock) {
    // bd's global flags may come before the command: `bd --json show X`
    List<String> leading = new ArrayList<>();
    int i = 0;
    while (i < args.size() && isGlobalFlag(args.get(i))) {
      leading.add(args.get(i++));
    }
    String name = i < args.size() ? args.get(i) : null;
    List<String> rest = new ArrayList<>(args.subList(Math.min(i + 1, args.size()), args.size()));
    int end = rest.indexOf("--");
    rest.addAll(end < 0 ? rest.size() : end, leading);
    boolean json = rest.contains("--json");
    if (name == null) {
      out.print(help());
      return 0;
    }
    switch (name) {
      case "--version", "-v", "version" -> {
        out.println(version());
        return 0;
      }
      case "help" -> {
        BdCommand about = rest.isEmpty() ? null : COMMANDS.get(rest.get(0));
        out.print(about == null ? help() : "Usage:\n" + usage(about));
        return 0;
      }
      default -> {
        // handled below
      }
    }
    BdCommand command = COMMANDS.get(name);
    if (command == null) {
      err.println(notServed(name));
      return BdException.USAGE;
    }
    if (asksForHelp(rest)) {
      out.print("Usage:\n" + usage(command));
      return 0;
    }
    try {
      BdSession session = BdSession.fromEnvironment(env, clock, out, err);
      return command.run(session, rest);
    } catch (BdException e) {
      error(err, json, e.getMessage());
      if (e.hint() != null) {
        err.println(e.hint());
      }
      return e.exitCode();
    } catch (IOException e) {
      error(err, json, e.getMessage() == null ? e.toString() : e.getMessage());
      return BdException.FAILED;
    } catch (RuntimeException e) {
      // why: never a stack trace for the agent; the message is enough to report the bug
      error(err, json, "internal error in beadpool's worker bd (please report it): " + e);
      return BdException.FAILED;
    }
  }

  private static boolean isGlobalFlag(String arg) {
    return BdArgs.GLOBAL.stream().anyMatch(o -> o.names().contains(arg));
  }

  private static boolean asksForHelp(List<String> args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  private static void error(PrintWriter err, boolean json, String message) {
    if (json) {
      err.println(Json.compact(Json.MAPPER.createObjectNode().put("error", message)));
    } else {
      err.println("Error: " + message);
    }
  }

  /** The message for a bd command this bd does not serve. */
  static String notServed(String command) {
    return "bd " + command + ": not available inside a beadpool worker; this bd serves: " + SERVED;
  }

  static String version() {
    String v = BdShim.class.getPackage().getImplementationVersion();
    return "bd (beadpool worker bd "
        + (v == null ? "dev" : v)
        + "): serves "
        + SERVED
        + " for the run's bead";
  }

  static String help() {
    StringBuilder text = new StringBuilder();
    text.append("bd: beadpool's worker bd.\n\n")
        .append("Inside a beadpool worker run, bd answers from the run's context (the bead, the")
        .append(" beads it\ndepends on, its dependents and children, its parent) and records")
        .append(" changes; the worker\nsends them with the run's result and the coordinator")
        .append(" applies them to the tracker.\n\nCommands:\n");
    COMMANDS.values().forEach(command -> text.append(usage(command)));
    text.append(
        "\nNot available here: ready, list, sync, init and the rest of bd (exit code 2).\n");
    return text.toString();
  }

  /** A command's usage lines: each starts with {@code bd}, continuation lines are indented. */
  static String usage(BdCommand command) {
    StringBuilder text = new StringBuilder();
    for (String line : command.usage().split("\n")) {
      text.append(line.startsWith(" ") ? "  " + line : "  bd " + line).append('\n');
    }
    return text.toString();
  }

  /**
   * The arguments as the agent gave them. The JVM decodes its arguments with the locale's charset;
   * under {@code LANG=C} or no locale at all that is ASCII and any other character is lost. On
   * Linux the raw bytes are in {@code /proc/self/cmdline}: read them as UTF-8, so bead text arrives
   * byte for byte whatever the agent's locale.
   */
  static String[] argumentsAsGiven(String[] args) {
    if ("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))) {
      return args;
    }
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
      List<String> parts = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          parts.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      int main = parts.indexOf(BdShim.class.getName());
      if (main >= 0 && parts.size() - main - 1 == args.length) {
        return parts.subList(main + 1, parts.size()).toArray(String[]::new);
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no /proc: keep what the JVM decoded
    }
    return args;
  }
}
