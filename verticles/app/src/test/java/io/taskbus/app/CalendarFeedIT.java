package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A calendar app subscribed to a secret feed URL: no bearer token, the same document as {@code GET
 * /tasks.ics}, conditional requests, rotation and revocation taking effect at once, and each URL
 * showing only its own user's tasks.
 */
class CalendarFeedIT {

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,recurrence");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void aFeedUrlServesTheOwnersExportWithoutATokenUntilRotatedOrRevoked() throws Exception {
    String user = TestSystem.uniqueUser("feed");
    String other = TestSystem.uniqueUser("feed-other");
    system.createTask(user, "water the plants");
    system.createTask(other, "other's secret plans");

    JsonObject status = json(system.get("/api/v1/calendar-feed", user), 200);
    assertEquals(false, status.getBoolean("active"));

    JsonObject feed = json(system.send("POST", "/api/v1/calendar-feed", user, null, null), 201);
    String url = feed.getString("url");
    String prefix = "http://127.0.0.1:" + system.port + "/api/v1/calendar-feed/";
    assertTrue(url.startsWith(prefix) && url.endsWith(".ics"), url);
    String secret = url.substring(prefix.length(), url.length() - ".ics".length());
    assertTrue(secret.matches("[A-Za-z0-9_-]{43}"), "256 random bits, URL-safe: " + secret);
    assertEquals("webcal" + url.substring("http".length()), feed.getString("webcalUrl"));

    HttpResponse<String> served = fetch(url, null);
    assertEquals(200, served.statusCode(), served.body());
    assertEquals(
        "text/calendar; charset=utf-8", served.headers().firstValue("Content-Type").orElse(""));
    String etag = served.headers().firstValue("ETag").orElseThrow();
    assertTrue(etag.startsWith("\"") && etag.endsWith("\""), "a strong ETag: " + etag);
    HttpResponse<String> export = system.get("/api/v1/tasks.ics", user);
    assertEquals(export.body(), served.body(), "the feed is the owner's export");
    assertEquals(etag, export.headers().firstValue("ETag").orElseThrow());
    assertTrue(served.body().contains("SUMMARY:water the plants"), served.body());
    assertFalse(served.body().contains("secret plans"), "nothing of another user");

    HttpResponse<String> unchanged = fetch(url, etag);
    assertEquals(304, unchanged.statusCode());
    assertEquals("", unchanged.body());
    assertEquals(etag, unchanged.headers().firstValue("ETag").orElseThrow());

    system.createTask(user, "feed the cat");
    HttpResponse<String> changed = fetch(url, etag);
    assertEquals(200, changed.statusCode(), "a changed task list is sent again");
    assertNotEquals(etag, changed.headers().firstValue("ETag").orElseThrow());
    assertTrue(changed.body().contains("SUMMARY:feed the cat"));

    status = json(system.get("/api/v1/calendar-feed", user), 200);
    assertEquals(true, status.getBoolean("active"));
    assertEquals(feed.getString("createdAt"), status.getString("createdAt"));
    assertEquals(
        1,
        TestSystem.count(
            "SELECT count(*) FROM calendar_feeds WHERE user_id = ? AND token_hash = ?",
            user,
            sha256(secret)),
        "the database holds the secret's SHA-256");

    // rotate: the old URL stops at once, the new one works
    JsonObject rotated = json(system.send("POST", "/api/v1/calendar-feed", user, null, null), 201);
    assertNotEquals(url, rotated.getString("url"));
    assertProblem(fetch(url, null), 404);
    assertEquals(200, fetch(rotated.getString("url"), null).statusCode());

    // another user's URL shows only that user's tasks
    String otherUrl =
        json(system.send("POST", "/api/v1/calendar-feed", other, null, null), 201).getString("url");
    HttpResponse<String> others = fetch(otherUrl, null);
    assertEquals(200, others.statusCode());
    assertTrue(others.body().contains("SUMMARY:other's secret plans"), others.body());
    assertFalse(others.body().contains("water the plants"));
    assertFalse(others.body().contains("feed the cat"));

    // revoke
    HttpResponse<String> revoked = system.send("DELETE", "/api/v1/calendar-feed", user, null, null);
    assertEquals(204, revoked.statusCode());
    assertProblem(fetch(rotated.getString("url"), null), 404);
    assertEquals(false, json(system.get("/api/v1/calendar-feed", user), 200).getBoolean("active"));
    assertEquals(200, fetch(otherUrl, null).statusCode(), "the other user's feed is untouched");
    assertEquals(
        204,
        system.send("DELETE", "/api/v1/calendar-feed", user, null, null).statusCode(),
        "revoking nothing is fine");
  }

  @Test
  void unknownAndMalformedSecretsAre404sAndTheManagementNeedsAToken() throws Exception {
    String base = "http://127.0.0.1:" + system.port + "/api/v1/calendar-feed/";
    assertProblem(fetch(base + "A".repeat(43) + ".ics", null), 404);
    assertProblem(fetch(base + "nope.ics", null), 404);
    assertProblem(system.get("/api/v1/calendar-feed/" + "A".repeat(43), null), 404);
    assertProblem(system.send("POST", "/api/v1/calendar-feed", null, null, null), 401);
    assertProblem(system.get("/api/v1/calendar-feed", null), 401);
    assertProblem(system.send("DELETE", "/api/v1/calendar-feed", null, null, null), 401);
  }

  @Test
  void theFeedUrlFollowsTheConfiguredPublicBaseUrl() throws Exception {
    try (TestSystem proxied =
        TestSystem.start(
            "api", Map.of("TASKBUS_API_PUBLICBASEURL", "https://tasks.example.org/"))) {
      String user = TestSystem.uniqueUser("feed-proxied");
      HttpResponse<String> made = proxied.send("POST", "/api/v1/calendar-feed", user, null, null);
      JsonObject feed = json(made, 201);
      assertTrue(
          feed.getString("url").startsWith("https://tasks.example.org/api/v1/calendar-feed/"),
          feed.encode());
      assertTrue(
          feed.getString("webcalUrl")
              .startsWith("webcal://tasks.example.org/api/v1/calendar-feed/"),
          feed.encode());
      String path = URI.create(feed.getString("url")).getPath();
      assertEquals(200, proxied.get(path, null).statusCode(), "served behind the proxy's path");
    }
  }

  @Test
  void feedRequestsAreRateLimitedByOwnerAndUnknownSecretsByAddress() throws Exception {
    try (TestSystem limited =
        TestSystem.start(
            "api",
            Map.of("TASKBUS_API_RATELIMITPERSECOND", "1", "TASKBUS_API_RATELIMITBURST", "3"))) {
      String user = TestSystem.uniqueUser("feed-limited");
      String path =
          URI.create(
                  json(limited.send("POST", "/api/v1/calendar-feed", user, null, null), 201)
                      .getString("url"))
              .getPath();
      assertEquals(200, limited.get(path, null).statusCode(), "within the owner's burst");
      assertProblem(firstNot(200, limited, path), 429);
      String unknown = "/api/v1/calendar-feed/" + "B".repeat(43) + ".ics";
      assertProblem(limited.get(unknown, null), 404);
      assertProblem(firstNot(404, limited, unknown), 429);
    }
  }

  /** The first answer of up to ten quick requests whose status is not {@code usual}. */
  private static HttpResponse<String> firstNot(int usual, TestSystem target, String path)
      throws Exception {
    HttpResponse<String> response = target.get(path, null);
    for (int i = 0; i < 10 && response.statusCode() == usual; i++) {
      response = target.get(path, null);
    }
    assertTrue(response.headers().firstValue("Retry-After").isPresent(), response.body());
    return response;
  }

  private static HttpResponse<String> fetch(String url, String ifNoneMatch) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "text/calendar");
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return system.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals(status, new JsonObject(response.body()).getInteger("status"));
  }

  private static byte[] sha256(String text) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
  }
}
