package dev.beadpool.cli;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadRepair;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.jsonl.JsonlLine;
import dev.beadpool.jsonl.JsonlReader;
import dev.beadpool.jsonl.LineWarning;
import dev.beadpool.store.BeadFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Evaluates a bd export in memory, without a store. Invalid lines are reported and skipped. */
final class FileSource implements BeadSource {
  private final Map<String, Bead> byId = new LinkedHashMap<>();
  private final Map<String, Integer> dependentCounts = new HashMap<>();
  private final List<JsonlLine.Invalid> invalid;
  private ReadyEngine engine;

  private FileSource(List<Bead> beads, List<JsonlLine.Invalid> invalid) {
    beads.forEach(b -> byId.putIfAbsent(b.id(), b));
    for (Bead bead : byId.values()) {
      for (Dependency d : bead.dependencies()) {
        if (DependencyType.BLOCKS.equals(d.type())) {
          dependentCounts.merge(d.dependsOnId(), 1, Integer::sum);
        }
      }
    }
    this.invalid = List.copyOf(invalid);
  }

  static FileSource load(Path file, PrintWriter err) throws IOException {
    List<Bead> beads = new ArrayList<>();
    List<JsonlLine.Invalid> invalid = new ArrayList<>();
    try (JsonlReader reader = JsonlReader.open(file)) {
      while (reader.hasNext()) {
        JsonlLine line = reader.next();
        if (line instanceof JsonlLine.Issue issue) {
          beads.add(issue.bead());
          for (BeadRepair repair : issue.bead().repairs()) {
            err.println(
                new LineWarning(file, issue.lineNumber(), repair.field(), repair.what()).message());
          }
        } else if (line instanceof JsonlLine.Invalid bad) {
          err.println(bad.message() + " (line skipped)");
          invalid.add(bad);
        }
      }
    }
    return new FileSource(beads, invalid);
  }

  @Override
  public ReadyEngine engine() {
    if (engine == null) {
      engine = ReadyEngine.ofBeads(byId.values());
    }
    return engine;
  }

  @Override
  public Optional<Bead> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public List<Bead> beads(List<String> ids) {
    return ids.stream().map(byId::get).filter(b -> b != null).toList();
  }

  @Override
  public List<Bead> list(BeadFilter filter) {
    return byId.values().stream()
        .filter(filter::matches)
        .sorted(Comparator.comparing(Bead::id))
        .toList();
  }

  @Override
  public int dependentCount(String id) {
    return dependentCounts.getOrDefault(id, 0);
  }

  @Override
  public List<Map.Entry<Bead, String>> dependents(String id) {
    List<Map.Entry<Bead, String>> result = new ArrayList<>();
    for (Bead bead : list(BeadFilter.ALL)) {
      for (Dependency d : bead.dependencies()) {
        if (d.dependsOnId().equals(id)) {
          result.add(Map.entry(bead, d.type()));
        }
      }
    }
    return result;
  }

  @Override
  public List<Dependency> orphanedEdges() {
    List<Dependency> orphans = new ArrayList<>();
    for (Bead bead : list(BeadFilter.ALL)) {
      for (Dependency d : bead.dependencies()) {
        if (!byId.containsKey(d.dependsOnId())) {
          orphans.add(d);
        }
      }
    }
    return orphans;
  }

  @Override
  public List<JsonlLine.Invalid> invalid() {
    return invalid;
  }

  @Override
  public void close() {}
}
