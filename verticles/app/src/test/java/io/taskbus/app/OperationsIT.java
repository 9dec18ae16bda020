package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an operator sees: health, readiness, metrics, the embedded default, a graceful stop. */
class OperationsIT {

  @Test
  void healthAndMetrics() throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit")) {
      assertEquals(200, system.get("/health/live", null).statusCode());
      HttpResponse<String> ready = system.get("/health/ready", null);
      assertEquals(200, ready.statusCode(), ready.body());
      JsonObject checks = new JsonObject(ready.body());
      assertEquals("UP", checks.getString("status"));
      assertTrue(
          ready.body().contains("\"postgres\"") && ready.body().contains("\"kafka\""),
          ready.body());

      String user = TestSystem.uniqueUser("ops");
      system.createTask(user, "measured");
      String metrics =
          TestSystem.eventually(
              Duration.ofSeconds(12),
              () -> system.get("/metrics", null).body(),
              m ->
                  m.contains("taskbus_consumer_lag{")
                      && m.contains("taskbus_relay_lag_seconds_count"));
      for (String name :
          new String[] {
            "vertx_http_server_requests_total",
            "vertx_pool_in_use",
            "vertx_eventbus_handlers",
            "taskbus_outbox_backlog",
            "taskbus_relay_lag_seconds_count",
            "taskbus_consumer_lag{group=\"taskbus-audit\"",
            // buckets, so histogram_quantile works: HTTP latency by route, the relay's delay
            "vertx_http_server_response_time_seconds_bucket{",
            "route=\"/api/v1/>/tasks\"", // the sub-router joins its route with ">"
            "le=\"0.1\"",
            "taskbus_relay_lag_seconds_bucket{"
          }) {
        assertTrue(
            metrics.contains(name),
            name
                + " missing from /metrics: "
                + metrics
                    .lines()
                    .filter(l -> l.startsWith("vertx_http_server_response_time_seconds_count"))
                    .toList());
      }
      HttpResponse<String> head = system.send("HEAD", "/metrics", null, null, null);
      assertEquals(200, head.statusCode(), "HEAD /metrics");
    }
  }

  @Test
  void embeddedDefaultStartsEverythingAndSignsInDevelopers() throws Exception {
    Path data = Files.createTempDirectory(TestSystem.scratch(), "taskbus-dev");
    try (ChildProcess dev =
        ChildProcess.start(
            "embedded-default", Map.of("TASKBUS_DEV_DATADIR", data.toString()), false)) {
      var http = java.net.http.HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + dev.port;
      HttpResponse<String> token =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/dev/token"))
                  .header("Content-Type", "application/json")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"user\":\"alice\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, token.statusCode(), token.body());
      String jwt = new JsonObject(token.body()).getString("token");
      HttpResponse<String> created =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/tasks"))
                  .header("Authorization", "Bearer " + jwt)
                  .header("Content-Type", "application/json")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":\"hello\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      String log = Files.readString(dev.log);
      assertTrue(log.contains("starting embedded ones"), log);
      assertEquals(0, dev.terminate(), "SIGTERM should stop it cleanly");
      assertTrue(Files.readString(dev.log).contains("stopped"));
    }
  }
}
