package io.taskbus.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One user's full set of resources, made through the API as a client would: a task with tags, due,
 * recurrence and reminders, a completed and a trashed one, a series with a skipped occurrence and a
 * skipped and a moved future one, a reminder that fired into the inbox, notification settings, a
 * calendar feed URL (and a revoked one), a task created with an Idempotency-Key, a saved filter,
 * and the audit history of all of it. Then what the user sees of it, to compare before and after
 * others acted.
 */
final class OwnedResources {

  final TestSystem system;
  final String user;

  /** In every title, description, tag and address of the user: no one else's answer may hold it. */
  final String word = "owned" + UUID.randomUUID().toString().substring(0, 8);

  final String idempotencyKey = "owner-key-" + UUID.randomUUID();

  String plain;
  String completed;
  String trashed;
  String reminded;
  String seriesSkipped;
  String seriesOpen;
  String notification;
  String savedFilter;

  /** Future occurrences of the series: one skipped, one moved, one as the rule puts it. */
  String skippedStart;

  String movedStart;
  String plainStart;

  /** The live feed secret, and one that was revoked. */
  String feedSecret;

  String revokedSecret;

  private OwnedResources(TestSystem system, String user) {
    this.system = system;
    this.user = user;
  }

  static OwnedResources create(TestSystem system, String user) throws Exception {
    OwnedResources a = new OwnedResources(system, user);
    a.build();
    return a;
  }

  private void build() throws Exception {
    json(
        system.call(
            "PUT",
            "/api/v1/notification-settings",
            user,
            new JsonObject()
                .put("email", word + "@example.com")
                .put("emailEnabled", false)
                .put("timeZone", "Europe/Berlin")
                .encode()),
        200);
    plain =
        json(
                system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    new JsonObject()
                        .put("title", "plain " + word)
                        .put("description", "about " + word)
                        .put("priority", "high")
                        .put("tags", new JsonArray().add(word).add("home"))
                        .put("dueAt", "2030-03-10T09:00:00+01:00")
                        .put("timeZone", "Europe/Berlin")
                        .put(
                            "reminders",
                            new JsonArray().add(new JsonObject().put("before", "PT15M")))
                        .encode(),
                    "Idempotency-Key",
                    idempotencyKey),
                201)
            .getString("id");
    completed = created("completed " + word);
    json(system.call("POST", "/api/v1/tasks/" + completed + "/complete", user, null), 200);
    trashed = created("trashed " + word);
    status(system.call("DELETE", "/api/v1/tasks/" + trashed, user, null), 204);
    series();
    reminded =
        system
            .createTask(
                user,
                new JsonObject()
                    .put("title", "reminded " + word)
                    .put("reminders", new JsonArray().add(soon())))
            .getString("id");
    feeds();
    savedFilter =
        json(
                system.call(
                    "POST",
                    "/api/v1/filters",
                    user,
                    new JsonObject()
                        .put("name", "filter " + word)
                        .put("filter", "tag:" + word + " | " + word)
                        .encode()),
                201)
            .getString("id");
    JsonArray inbox =
        TestSystem.eventually(
            Duration.ofSeconds(30),
            () -> json(system.get("/api/v1/notifications", user), 200).getJsonArray("items"),
            items -> !items.isEmpty());
    if (inbox.size() != 1) {
      throw new AssertionError("the reminder did not reach the inbox: " + inbox);
    }
    notification = inbox.getJsonObject(0).getString("id");
    awaitAudited();
  }

  /** A daily all-day series: its first occurrence skipped, then a future one skipped, one moved. */
  private void series() throws Exception {
    seriesSkipped =
        system
            .createTask(
                user,
                new JsonObject()
                    .put("title", "series " + word)
                    .put("dueDate", "2030-01-07")
                    .put("tags", new JsonArray().add(word))
                    .put("recurrence", new JsonObject().put("rule", "FREQ=DAILY"))
                    .put("reminders", new JsonArray().add(new JsonObject().put("before", "PT1H"))))
            .getString("id");
    json(system.call("POST", "/api/v1/tasks/" + seriesSkipped + "/skip", user, null), 200);
    JsonArray series =
        TestSystem.eventually(
            Duration.ofSeconds(30),
            () ->
                json(system.get("/api/v1/tasks/" + seriesSkipped + "/series", user), 200)
                    .getJsonArray("items"),
            items -> items.size() == 2);
    for (Object item : series) {
      JsonObject task = (JsonObject) item;
      if (!task.getBoolean("completed")) {
        seriesOpen = task.getString("id");
      }
    }
    if (seriesOpen == null) {
      throw new AssertionError("no next occurrence after the skip: " + series);
    }
    List<String> upcoming = new ArrayList<>();
    for (Object item :
        json(system.get("/api/v1/tasks/" + seriesOpen + "/occurrences?limit=5", user), 200)
            .getJsonArray("items")) {
      upcoming.add(((JsonObject) item).getString("start"));
    }
    skippedStart = upcoming.get(2);
    movedStart = upcoming.get(3);
    plainStart = upcoming.get(4);
    json(system.call("POST", occurrence(seriesOpen, skippedStart) + "/skip", user, null), 200);
    json(
        system.call(
            "POST",
            occurrence(seriesOpen, movedStart) + "/move",
            user,
            new JsonObject().put("to", "2030-02-20").encode()),
        200);
  }

  /** A feed URL made and revoked, then the one in use. */
  private void feeds() throws Exception {
    revokedSecret = secret(json(system.call("POST", "/api/v1/calendar-feed", user, null), 201));
    status(system.call("DELETE", "/api/v1/calendar-feed", user, null), 204);
    feedSecret = secret(json(system.call("POST", "/api/v1/calendar-feed", user, null), 201));
  }

  private static String secret(JsonObject feed) {
    String url = feed.getString("url");
    return url.substring(url.lastIndexOf('/') + 1, url.length() - ".ics".length());
  }

  /**
   * Every event of the user (one sequence number each) is in the audit log: nothing the user did is
   * still on its way to a view compared later.
   */
  private void awaitAudited() throws Exception {
    long events = TestSystem.count("SELECT seq FROM users WHERE id = ?", user);
    int audited =
        TestSystem.eventually(
            Duration.ofSeconds(30),
            () ->
                json(system.get("/api/v1/audit?limit=200", user), 200).getJsonArray("items").size(),
            n -> n == events);
    if (audited != events) {
      throw new AssertionError(audited + " of " + events + " events audited");
    }
  }

  static String occurrence(String id, String start) {
    return "/api/v1/tasks/"
        + id
        + "/occurrences/"
        + java.net.URLEncoder.encode(start, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Every task of the user, live, completed, trashed or closed. */
  List<String> tasks() {
    return List.of(plain, completed, trashed, reminded, seriesSkipped, seriesOpen);
  }

  /** The user's task ids, notification id and feed secrets: what another user's ids may not be. */
  Set<String> ids() {
    Set<String> ids = new LinkedHashSet<>(tasks());
    ids.add(notification);
    ids.add(savedFilter);
    return ids;
  }

  /** Text that is the user's alone: no answer to anyone else may contain it. */
  Set<String> markers() {
    Set<String> markers = new LinkedHashSet<>(ids());
    markers.add(user);
    markers.add(word);
    markers.add(feedSecret);
    markers.add(revokedSecret);
    return markers;
  }

  /** The ETag the user's own read of a task gives, or null for a trashed one. */
  String etag(String task) throws Exception {
    HttpResponse<String> response = system.get("/api/v1/tasks/" + task, user);
    return response.statusCode() == 200
        ? response.headers().firstValue("ETag").orElseThrow()
        : null;
  }

  /** Everything the user sees of its data, with the validators that come with it. */
  Map<String, String> snapshot() throws Exception {
    Map<String, String> seen = new LinkedHashMap<>();
    for (String path :
        List.of(
            "/api/v1/tasks?status=all&limit=200",
            "/api/v1/trash?limit=200",
            "/api/v1/sync?since=0",
            "/api/v1/audit?limit=200",
            "/api/v1/notifications?limit=100",
            "/api/v1/notifications/unread-count",
            "/api/v1/notification-settings",
            "/api/v1/calendar-feed",
            "/api/v1/filters",
            "/api/v1/tasks/counts?tz=Europe/Berlin",
            "/api/v1/tasks.ics",
            "/api/v1/tasks/" + seriesOpen + "/occurrences?limit=10",
            "/api/v1/tasks/" + seriesOpen + "/series")) {
      seen.put(path, read(path, user));
    }
    for (String task : tasks()) {
      seen.put("/api/v1/tasks/" + task, read("/api/v1/tasks/" + task, user));
      seen.put(
          "/api/v1/tasks/" + task + "/history", read("/api/v1/tasks/" + task + "/history", user));
    }
    seen.put("feed", read("/api/v1/calendar-feed/" + feedSecret + ".ics", null));
    seen.put("events", Long.toString(TestSystem.count("SELECT seq FROM users WHERE id = ?", user)));
    return seen;
  }

  /** Status, ETag and body of a read (a refusal without its request id). */
  private String read(String path, String as) throws Exception {
    HttpResponse<String> response = system.get(path, as);
    String body = response.body();
    if (response
        .headers()
        .firstValue("Content-Type")
        .orElse("")
        .startsWith("application/problem")) {
      JsonObject problem = new JsonObject(body);
      problem.remove("requestId");
      body = problem.encode();
    }
    return response.statusCode()
        + " "
        + response.headers().firstValue("ETag").orElse("-")
        + " "
        + body;
  }

  /** What differs between two snapshots, each view with its text before and after. */
  static List<String> changes(Map<String, String> before, Map<String, String> after) {
    List<String> changes = new ArrayList<>();
    for (String view : before.keySet()) {
      if (!before.get(view).equals(after.get(view))) {
        changes.add(view + ": " + before.get(view) + "\n  now: " + after.get(view));
      }
    }
    return changes;
  }

  private String created(String title) throws Exception {
    return system
        .createTask(
            user,
            new JsonObject()
                .put("title", title)
                .put("tags", new JsonArray().add(word))
                .put("dueDate", "2030-05-01"))
        .getString("id");
  }

  /**
   * A reminder that fires three seconds from now: time for even a slow create to store it before it
   * is due (one whose time has passed when it is stored is, rightly, not scheduled).
   */
  static JsonObject soon() {
    return new JsonObject().put("at", Instant.now().plusSeconds(3).toString());
  }

  private static JsonObject json(HttpResponse<String> response, int status) {
    status(response, status);
    return new JsonObject(response.body());
  }

  private static void status(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new AssertionError(
          response.request().method()
              + " "
              + response.uri()
              + ": "
              + response.statusCode()
              + " "
              + response.body());
    }
  }
}
