package dev.beadpool.testhelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real bd exports in {@code ../shared/corpus/} with the ready and blocked ids the rules give.
 * Found through the {@code beadpool.shared} system property (set by the build) or by walking up
 * from the working directory.
 */
public final class Corpus {
  /** The expected files were evaluated on this day. */
  public static final Instant EVALUATED_AT = Instant.parse("2026-11-21T12:00:00Z");

  private Corpus() {}

  public static Path dir() {
    String configured = System.getProperty("beadpool.shared");
    if (configured != null && Files.isDirectory(Path.of(configured, "corpus"))) {
      return Path.of(configured, "corpus").toAbsolutePath().normalize();
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("../shared/corpus").normalize();
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find ../shared/corpus beside the checkout");
  }

  /** Names of the corpus exports, without {@code .jsonl}. */
  public static List<String> names() {
    try (Stream<Path> files = Files.list(dir())) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".jsonl"))
          .map(n -> n.substring(0, n.length() - ".jsonl".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path export(String name) {
    return dir().resolve(name + ".jsonl");
  }

  /** Ready ids in bd's default order. */
  public static List<String> ready(String name) {
    return ids(dir().resolve(name + ".ready.txt"));
  }

  /** Blocked ids, sorted. */
  public static List<String> blocked(String name) {
    return ids(dir().resolve(name + ".blocked.txt"));
  }

  private static List<String> ids(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
