package io.taskbus.app;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A separate taskbus JVM (the real Main), for what only separate processes can show. */
final class ChildProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final int port;
  final Path log;
  private final Process process;

  private ChildProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * The environment with JVM options for a quick start where several JVMs start at once on this
   * machine's two cores, beside PostgreSQL, Kafka and the test: the C1 compiler alone and the
   * serial collector halve their start-up CPU (without them a start under load took over 90 s, with
   * them about 20-30 s). Not for a process whose throughput or heap a test measures.
   */
  static Map<String, String> quickStart(Map<String, String> env) {
    Map<String, String> quick = new HashMap<>(env);
    quick.put("JDK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    return quick;
  }

  static ChildProcess start(String name, Map<String, String> env) throws Exception {
    return start(name, env, true);
  }

  /**
   * @param shared whether it uses the tests' PostgreSQL, Kafka and key, or starts its own
   */
  static ChildProcess start(String name, Map<String, String> env, boolean shared) throws Exception {
    return start(name, env, shared, TestSystem.freePort());
  }

  /** On a given HTTP port, e.g. to restart a process where its clients will look for it. */
  static ChildProcess start(String name, Map<String, String> env, boolean shared, int port)
      throws Exception {
    ChildProcess child = launch(name, env, shared, port);
    try {
      child.awaitReady(Duration.ofSeconds(60));
    } catch (Throwable e) {
      child.close();
      throw e;
    }
    return child;
  }

  /**
   * Starts processes of the same environment side by side (much of a JVM's start waits on one core)
   * and returns them ready, in the order named; if one does not get ready, all are closed.
   */
  static Group startTogether(Map<String, String> env, String... names) throws Exception {
    Group group = new Group(new ArrayList<>());
    try {
      for (String name : names) {
        group.all.add(launch(name, env, true));
      }
      for (ChildProcess child : group.all) {
        child.awaitReady(Duration.ofSeconds(60));
      }
      return group;
    } catch (Throwable e) {
      group.close();
      throw e;
    }
  }

  /** Processes closed together. */
  record Group(List<ChildProcess> all) implements AutoCloseable {
    ChildProcess get(int i) {
      return all.get(i);
    }

    @Override
    public void close() throws InterruptedException {
      for (ChildProcess child : all) {
        child.close();
      }
    }
  }

  /**
   * Starts the JVM and returns at once: several can start side by side, then {@link #awaitReady}.
   */
  static ChildProcess launch(String name, Map<String, String> env, boolean shared)
      throws Exception {
    return launch(name, env, shared, TestSystem.freePort());
  }

  static ChildProcess launch(String name, Map<String, String> env, boolean shared, int port)
      throws Exception {
    return launch(name, env, shared, port, List.of());
  }

  /**
   * @param prefix what runs the JVM, e.g. {@link NetworkPartition#launcher()}: the command line
   *     gets it in front
   */
  static ChildProcess launch(
      String name, Map<String, String> env, boolean shared, int port, List<String> prefix)
      throws Exception {
    Map<String, String> all =
        new HashMap<>(
            shared
                ? TestSystem.baseEnv(port)
                : Map.of(
                    "TASKBUS_HTTP_PORT", Integer.toString(port), "TASKBUS_HTTP_HOST", "127.0.0.1"));
    all.putAll(env);
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = Files.createDirectories(Path.of("target", "child-logs")).resolve(name + ".log");
    Files.deleteIfExists(log); // one run per file: what a test reads back is this run's
    ProcessBuilder builder =
        new ProcessBuilder(
                Stream.concat(
                        prefix.stream(),
                        Stream.of(
                            java,
                            "-Xmx512m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName()))
                    .toList())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("TASKBUS_"));
    builder.environment().putAll(all);
    return new ChildProcess(builder.start(), port, log);
  }

  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("child exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> response =
            HTTP.send(
                // a connection accepted while the child starts may never be answered (Vert.x's
                // metrics fail on it): ask again on a new one rather than wait for ever
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    threadDump();
    throw new AssertionError(
        "child not ready in " + timeout + "; see " + log + " (ends with a thread dump)");
  }

  /** Its {@code /health}: the detail of every check, whatever the status. */
  JsonObject health() throws Exception {
    return new JsonObject(
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  /** SIGQUIT: the JVM prints its threads into the log and goes on. */
  void threadDump() throws Exception {
    new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).inheritIO().start().waitFor();
    Thread.sleep(500);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Everything it has logged so far. */
  String logText() throws java.io.IOException {
    return Files.readString(log);
  }

  /** SIGKILL: no shutdown code runs, like a crashed node or an OOM-killed pod. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** {@link #kill()} where no checked exception may come, e.g. as a step midway through a load. */
  void crash() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM: the graceful path. */
  int terminate() throws InterruptedException {
    process.destroy();
    return process.waitFor();
  }

  /**
   * SIGTERM, then SIGKILL after 15 s: a child that leaves gracefully leaves its consumer groups
   * too, where a killed one stays a member until its session times out, and the next test's
   * consumers would wait on it. Tests that mean a crash call {@link #kill()} themselves.
   */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
