package dev.beadpool.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * For tests that run the packaged jar as processes, as a user would: here and in the pool tests
 * (module pool-tests).
 */
public final class JarProcesses {
  private JarProcesses() {}

  /**
   * The packaged jar: the build names it ({@code beadpool.jar}); else cli's, seen from a module.
   */
  public static Path jar() {
    return Path.of(System.getProperty("beadpool.jar", "../cli/target/beadpool.jar"));
  }

  public static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Kills a process and everything it started, as when its machine goes away. */
  public static void crash(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor();
  }
}
