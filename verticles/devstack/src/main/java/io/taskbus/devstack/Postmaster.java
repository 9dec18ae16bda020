package io.taskbus.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The postmaster process of a data directory, found through its {@code postmaster.pid}. PostgreSQL
 * runs outside the JVM, so a JVM that died without its shutdown hooks (kill -9, a surefire timeout)
 * leaves it running and holding the data directory.
 */
final class Postmaster {

  private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);

  private Postmaster() {}

  /** Stops a postmaster left behind by an earlier JVM on this data directory, if there is one. */
  static void stopLeftOver(Path dataDir) throws IOException {
    Optional<ProcessHandle> leftOver = running(dataDir);
    if (leftOver.isEmpty()) {
      return;
    }
    long pid = leftOver.get().pid();
    LOG.warn(
        "a PostgreSQL server (pid {}) left behind by an earlier run still holds {}; stopping it",
        pid,
        dataDir);
    // SIGINT is PostgreSQL's "fast" shutdown: clean, and it does not wait for idle clients
    try {
      new ProcessBuilder(List.of("kill", "-INT", Long.toString(pid))).inheritIO().start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL pid " + pid, e);
    }
    if (!awaitExit(dataDir, Duration.ofSeconds(30))) {
      throw new IOException("PostgreSQL pid " + pid + " did not stop; it still holds " + dataDir);
    }
  }

  /**
   * @return whether no postmaster runs on the data directory any more
   */
  static boolean awaitExit(Path dataDir, Duration timeout) {
    Optional<ProcessHandle> postmaster = running(dataDir);
    if (postmaster.isEmpty()) {
      return true;
    }
    try {
      postmaster.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      LOG.warn("PostgreSQL pid {} is still running after {}", postmaster.get().pid(), timeout);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Optional<ProcessHandle> running(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.isRegularFile(pidFile) ? Files.readAllLines(pidFile) : List.of();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    // a stale pid file may name a pid the kernel has since given to an unrelated process
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
  }
}
