package dev.beadpool.agent.bd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One command's arguments, parsed as bd's flag library does: {@code --title x}, {@code --title=x},
 * {@code -p 1}, {@code -p1}, {@code -p=1}; a flag that takes a value always takes the next
 * argument, even one starting with a dash ({@code --notes "- done"}); {@code --} ends the flags.
 */
final class BdArgs {
  /** One flag: the key it is stored under and all its spellings. */
  record Option(String key, boolean takesValue, List<String> names) {}

  static Option value(String key, String... names) {
    return new Option(key, true, List.of(names));
  }

  static Option flag(String key, String... names) {
    return new Option(key, false, List.of(names));
  }

  static final String JSON = "json";
  static final String HELP = "help";

  /** bd's global flags, accepted by every command; those that mean nothing here are ignored. */
  static final List<Option> GLOBAL =
      List.of(
          flag(JSON, "--json"),
          flag(HELP, "--help", "-h"),
          flag(
              "ignored",
              "--no-daemon",
              "--sandbox",
              "--no-auto-flush",
              "--no-auto-import",
              "--allow-stale",
              "--quiet",
              "-q"));

  private final List<String> positionals;
  private final Map<String, List<String>> values;

  private BdArgs(List<String> positionals, Map<String, List<String>> values) {
    this.positionals = List.copyOf(positionals);
    this.values = values;
  }

  /**
   * Parses the arguments after the command name.
   *
   * @param command the command as the user typed it, for messages ({@code dep add})
   * @param options the command's own flags; {@link #GLOBAL} ones are added
   */
  static BdArgs parse(String command, List<String> args, List<Option> options) throws BdException {
    Map<String, Option> byName = new LinkedHashMap<>();
    for (Option option : options) {
      option.names().forEach(n -> byName.put(n, option));
    }
    for (Option option : GLOBAL) {
      option.names().forEach(n -> byName.putIfAbsent(n, option));
    }
    List<String> positionals = new ArrayList<>();
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        positionals.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (arg.length() < 2 || !arg.startsWith("-")) {
        positionals.add(arg);
        continue;
      }
      boolean longForm = arg.startsWith("--");
      int eq = arg.indexOf('=');
      String name = longForm ? (eq < 0 ? arg : arg.substring(0, eq)) : arg.substring(0, 2);
      String attached = longForm ? (eq < 0 ? null : arg.substring(eq + 1)) : arg.substring(2);
      if (!longForm && attached.startsWith("=")) {
        attached = attached.substring(1);
      } else if (!longForm && attached.isEmpty()) {
        attached = null;
      }
      Option option = byName.get(name);
      if (option == null) {
        throw BdException.usage(
            "unknown flag: " + name + " for bd " + command + " (it takes: " + names(options) + ")");
      }
      String value;
      if (option.takesValue()) {
        if (attached != null) {
          value = attached;
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw BdException.usage("flag needs an argument: " + name + " (bd " + command + ")");
        }
      } else if (attached == null || attached.equals("true")) {
        value = "true";
      } else if (attached.equals("false") && longForm) {
        value = null;
      } else {
        throw BdException.usage("flag " + name + " takes no value (bd " + command + ")");
      }
      if (value != null) {
        values.computeIfAbsent(option.key(), k -> new ArrayList<>()).add(value);
      }
    }
    return new BdArgs(positionals, values);
  }

  /**
   * As {@link #parse}, for a command that takes one or more issue ids as its positionals ({@code
   * show}, {@code update}, {@code close}): refuses the arguments when there is none.
   */
  static BdArgs parseIds(String command, List<String> args, List<Option> options)
      throws BdException {
    BdArgs parsed = parse(command, args, options);
    if (parsed.positionals().isEmpty()) {
      throw BdException.usage("bd " + command + " needs at least one issue id");
    }
    return parsed;
  }

  private static String names(List<Option> options) {
    List<String> names = new ArrayList<>();
    options.forEach(o -> names.add(String.join("/", o.names())));
    names.add("--json");
    return names.stream().collect(Collectors.joining(", "));
  }

  List<String> positionals() {
    return positionals;
  }

  /** The flag's value, the last one if given twice, or null. */
  String value(String key) {
    List<String> all = values.get(key);
    return all == null ? null : all.get(all.size() - 1);
  }

  /** Every value of a repeatable flag, each also split at commas; blanks dropped. */
  List<String> list(String key) {
    List<String> result = new ArrayList<>();
    for (String value : values.getOrDefault(key, List.of())) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          result.add(part.trim());
        }
      }
    }
    return result;
  }

  boolean flag(String key) {
    return values.containsKey(key);
  }

  boolean json() {
    return flag(JSON);
  }

  /** bd's priority by the one rule ({@link dev.beadpool.bead.Priority}): 0..4 or P0..P4. */
  static int priority(String value) throws BdException {
    try {
      return dev.beadpool.bead.Priority.parse(value);
    } catch (dev.beadpool.bead.BeadFormatException e) {
      throw BdException.refused(e.sentence());
    }
  }
}
