package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load: the process answers or refuses each request cleanly, and before it exits it
 * publishes every event it committed, down to the last request's. No other relay runs here, so
 * whatever it left in the outbox would still be there after it exits.
 */
class GracefulStopIT {

  @Test
  void everyAcknowledgedCreateIsStoredAndPublishedBeforeTheProcessExits() throws Exception {
    String user = TestSystem.uniqueUser("sigterm");
    String token =
        TestSystem.signer()
            .generateToken(
                new JsonObject().put("sub", user), new JWTOptions().setExpiresInSeconds(600));
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch warmedUp = new CountDownLatch(200);
    ChildProcess child = ChildProcess.start("graceful", Map.of("TASKBUS_VERTICLES", "api,kafka"));
    HttpClient http = HttpClient.newHttpClient();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      for (int c = 0; c < 8; c++) {
        clients.submit(
            () -> {
              for (int i = 0; !stop.get(); i++) {
                try {
                  HttpResponse<String> created =
                      http.send(
                          HttpRequest.newBuilder(
                                  URI.create("http://127.0.0.1:" + child.port + "/api/v1/tasks"))
                              .timeout(Duration.ofSeconds(20))
                              .header("Authorization", "Bearer " + token)
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"t\"}"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (created.statusCode() == 201) {
                    acknowledged.add(new JsonObject(created.body()).getString("id"));
                    warmedUp.countDown();
                  }
                } catch (Exception refusedOrClosed) {
                  // after the stop began: nothing acknowledged, so nothing owed
                }
              }
              return null;
            });
      }
      assertTrue(warmedUp.await(60, TimeUnit.SECONDS), "creates are going on");
      assertEquals(0, child.terminate(), "SIGTERM stops it cleanly");
    } finally {
      stop.set(true);
      clients.shutdown();
      clients.awaitTermination(30, TimeUnit.SECONDS);
      child.close();
    }

    Set<String> stored = new java.util.HashSet<>();
    try (var conn = TestSystem.jdbc();
        var select = conn.prepareStatement("SELECT id::text FROM tasks WHERE user_id = ?")) {
      select.setString(1, user);
      try (var rows = select.executeQuery()) {
        while (rows.next()) {
          stored.add(rows.getString(1));
        }
      }
    }
    assertTrue(stored.containsAll(acknowledged), "every acknowledged create is stored");
    assertEquals(
        0,
        TestSystem.count("SELECT count(*) FROM outbox WHERE user_id = ?", user),
        "nothing committed is left unpublished");
    try (EventLog log = new EventLog()) {
      List<JsonObject> events =
          log
              .readUntil(
                  Duration.ofSeconds(30),
                  rs -> rs.stream().filter(r -> user.equals(r.key())).count() >= stored.size())
              .stream()
              .filter(r -> user.equals(r.key()))
              .map(r -> new JsonObject(r.value()))
              .toList();
      assertEquals(stored.size(), events.size(), "one event per committed create, none twice");
      assertEquals(
          stored,
          events.stream()
              .map(e -> e.getString("subject"))
              .collect(java.util.stream.Collectors.toSet()),
          "every committed create's event is in Kafka");
    }
  }
}
