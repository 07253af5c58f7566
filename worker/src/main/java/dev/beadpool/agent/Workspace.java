package dev.beadpool.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an agent works. A bead may name its directory with a {@code Working directory: <path>} line
 * (the orchestrator-role convention, in its description or title); it is honoured only inside the
 * worker's workspace roots, since bead text is untrusted.
 */
public final class Workspace {
  private static final Pattern WORKING_DIRECTORY =
      Pattern.compile("(?m)^[ \\t]*Working directory:[ \\t]*(\\S.*?)[ \\t]*$");
  private static final Pattern TASK_PACKET =
      Pattern.compile("(?m)^[ \\t]*Task packet:[ \\t]*(\\S.*?)[ \\t]*$");

  private final Path defaultDir;
  private final List<Path> roots;

  /**
   * @param roots where agents may work; empty means only inside {@code defaultDir}
   */
  public Workspace(Path defaultDir, List<Path> roots) {
    this.defaultDir = defaultDir.toAbsolutePath().normalize();
    this.roots = roots.isEmpty() ? List.of(this.defaultDir) : List.copyOf(roots);
  }

  /** A working directory the bead may not use. */
  public static final class WorkspaceException extends Exception {
    private static final long serialVersionUID = 1L;

    public WorkspaceException(String message) {
      super(message);
    }
  }

  /** The bead's {@code Working directory:} line, if it has one. */
  public static Optional<String> workingDirectoryLine(ObjectNode bead) {
    return line(WORKING_DIRECTORY, bead);
  }

  /** The bead's {@code Task packet:} line, if it has one. */
  public static Optional<String> taskPacketLine(ObjectNode bead) {
    return line(TASK_PACKET, bead);
  }

  private static Optional<String> line(Pattern pattern, ObjectNode bead) {
    for (String field : List.of("description", "title")) {
      Matcher m = pattern.matcher(bead.path(field).asText(""));
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /**
   * The directory the agent runs in: the bead's {@code Working directory:} if it lies inside an
   * allowed root (symbolic links resolved), else the worker's directory.
   *
   * @throws WorkspaceException naming the directory and the roots, if the bead's is not allowed
   */
  public Path resolve(ObjectNode bead) throws WorkspaceException {
    Optional<String> named = workingDirectoryLine(bead);
    if (named.isEmpty()) {
      return defaultDir;
    }
    Path wanted;
    try {
      wanted = defaultDir.resolve(named.get()).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new WorkspaceException(
          "Working directory " + quote(named.get()) + " is not a valid path: " + e.getReason());
    }
    Path real;
    try {
      real = wanted.toRealPath();
    } catch (IOException e) {
      throw new WorkspaceException(
          "Working directory " + quote(named.get()) + " does not exist on this worker");
    }
    for (Path root : roots) {
      try {
        if (real.startsWith(root.toRealPath())) {
          if (!Files.isDirectory(real)) {
            throw new WorkspaceException(
                "Working directory " + quote(named.get()) + " is not a directory");
          }
          return real;
        }
      } catch (IOException e) {
        // a root that does not exist allows nothing
      }
    }
    throw new WorkspaceException(
        "Working directory "
            + quote(named.get())
            + " is outside the allowed workspace roots ("
            + String.join(", ", roots.stream().map(Path::toString).toList())
            + "); nothing was run. Set workspace.roots in beadpool.yaml to allow it.");
  }

  /**
   * The directory the agent runs in inside a worktree of the worker's clone: the worktree, or the
   * bead's {@code Working directory:} read relative to it (it must stay inside, links resolved).
   *
   * @throws WorkspaceException naming the directory, if it is outside the worktree or missing
   */
  public static Path inside(Path worktree, ObjectNode bead) throws WorkspaceException {
    Optional<String> named = workingDirectoryLine(bead);
    if (named.isEmpty() || named.get().equals(".")) {
      return worktree;
    }
    Path top;
    Path real;
    try {
      top = worktree.toRealPath();
      Path wanted = top.resolve(named.get()).normalize();
      if (!wanted.startsWith(top)) {
        throw new WorkspaceException(
            "Working directory "
                + quote(named.get())
                + " is outside the bead's worktree; with a repository: it is a path inside the"
                + " repository (relative, e.g. services/api); nothing was run");
      }
      real = wanted.toRealPath();
    } catch (java.nio.file.InvalidPathException e) {
      throw new WorkspaceException(
          "Working directory " + quote(named.get()) + " is not a valid path: " + e.getReason());
    } catch (IOException e) {
      throw new WorkspaceException(
          "Working directory " + quote(named.get()) + " does not exist in the repository");
    }
    if (!real.startsWith(top) || !Files.isDirectory(real)) {
      throw new WorkspaceException(
          "Working directory "
              + quote(named.get())
              + " is not a directory inside the bead's worktree; nothing was run");
    }
    return real;
  }

  private static String quote(String s) {
    String shown = s.length() > 200 ? s.substring(0, 200) + "…" : s;
    return "'" + shown.replace("\n", "\\n") + "'";
  }
}
