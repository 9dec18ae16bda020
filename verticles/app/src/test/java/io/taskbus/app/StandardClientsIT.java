package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * taskbus through clients that others wrote: the example bridge client under {@code perf/} (the
 * official sockjs-client and the Vert.x bridge client under Node, which send no Origin), and
 * Prometheus's own {@code promtool} reading {@code /metrics}.
 */
class StandardClientsIT {

  /** Installed by the build (npm ci in src/test/node) before the integration tests. */
  private static final Path NODE_MODULES = NodeTools.DIR.resolve("node_modules");

  private static final Path WATCH = Path.of("../../perf/bridge-client/watch.js").toAbsolutePath();

  private static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,bridge,kafka,audit");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  /**
   * The README's non-browser client: it gets exactly its own user's events over each transport,
   * with its token in the URL and no Origin, as a CLI or a mobile app would.
   */
  @ParameterizedTest
  @ValueSource(strings = {"websocket", "xhr-streaming", "xhr-polling"})
  void nodeClientReceivesItsOwnEventsWithoutAnOrigin(String transport) throws Exception {
    String user = TestSystem.uniqueUser("node");
    String other = TestSystem.uniqueUser("other");
    ProcessBuilder builder =
        new ProcessBuilder(
            "node",
            WATCH.toString(),
            "--url",
            "http://127.0.0.1:" + system.port,
            "--token",
            system.token(user),
            "--transport",
            transport,
            "--count",
            "2",
            "--timeout",
            "60");
    builder.environment().put("NODE_PATH", NODE_MODULES.toString());
    Process watch = builder.start();
    List<String> out = new ArrayList<>();
    CompletableFuture<Void> stdout = drain(watch, out);
    try (BufferedReader err =
        new BufferedReader(new InputStreamReader(watch.getErrorStream(), StandardCharsets.UTF_8))) {
      String line = err.readLine();
      assertTrue(
          line != null && line.startsWith("watch.js: listening on user." + user + " (" + transport),
          () -> "watch.js did not start listening: " + line);
      // another user's change first: it must not reach this client
      system.createTask(other, "not for the node client");
      String created = system.createTask(user, "for the node client").getString("id");
      assertEquals(
          200,
          system.call("POST", "/api/v1/tasks/" + created + "/complete", user, null).statusCode());
      assertTrue(watch.waitFor(60, TimeUnit.SECONDS), "watch.js did not end");
      stdout.get(10, TimeUnit.SECONDS);
      assertEquals(0, watch.exitValue(), () -> "watch.js failed: " + out + " " + readRest(err));
      assertEquals(2, out.size(), out::toString);
      JsonObject first = new JsonObject(out.get(0));
      JsonObject second = new JsonObject(out.get(1));
      assertEquals("user." + user + ".tasks", first.getString("address"));
      assertEquals("task.created", first.getJsonObject("body").getString("type"));
      assertEquals(created, first.getJsonObject("body").getString("subject"));
      assertEquals(user, first.getJsonObject("body").getString("userid"));
      assertEquals("task.completed", second.getJsonObject("body").getString("type"));
      assertEquals(created, second.getJsonObject("body").getString("subject"));
    } finally {
      watch.destroyForcibly();
    }
  }

  /**
   * {@code promtool check metrics}: the exposition parses and follows Prometheus's naming rules.
   */
  @Test
  void promtoolAcceptsTheMetrics() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    Assumptions.assumeTrue(
        Files.isExecutable(promtool),
        "promtool not found (apt-get install prometheus; .ci/run installs it): /metrics unchecked");
    system.createTask(TestSystem.uniqueUser("metrics"), "so that every HTTP meter exists");
    HttpResponse<String> metrics = system.get("/metrics", null);
    assertEquals(200, metrics.statusCode());
    Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").start();
    List<String> out = new ArrayList<>();
    CompletableFuture<Void> stdout = drain(check, out);
    check.getOutputStream().write(metrics.body().getBytes(StandardCharsets.UTF_8));
    check.getOutputStream().close();
    String problems = new String(check.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(check.waitFor(30, TimeUnit.SECONDS), "promtool did not end");
    stdout.get(10, TimeUnit.SECONDS);
    assertEquals("", problems + String.join("\n", out), "promtool check metrics found problems");
    assertEquals(0, check.exitValue());
  }

  private static CompletableFuture<Void> drain(Process process, List<String> lines) {
    return CompletableFuture.runAsync(
        () -> {
          try (BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
              synchronized (lines) {
                lines.add(line);
              }
            }
          } catch (IOException ignored) {
            // the process ended
          }
        });
  }

  private static String readRest(BufferedReader err) {
    try {
      StringBuilder rest = new StringBuilder();
      for (String line; (line = err.readLine()) != null; ) {
        rest.append(line).append('\n');
      }
      return rest.toString();
    } catch (IOException e) {
      return e.toString();
    }
  }
}
