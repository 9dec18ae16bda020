package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.taskbus.api.OpenApiDocument;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every operation of the OpenAPI document the server serves, called as a client would, and every
 * answer checked against it: its status must be one the operation lists (there is no {@code
 * default} to hide one), its media type one that status lists, its required headers present, and
 * its body must match that status's schema (the OpenAPI response validator). The refusals are
 * provoked too: no token, an unacceptable {@code Accept}, a body too large, too slow or of the
 * wrong type, a stale {@code If-Match}, a reused or over-long {@code Idempotency-Key}, the rate
 * limit, a verticle that is away.
 */
class ApiContractIT {

  /** Every role the operations need. */
  static TestSystem system;

  /**
   * The api alone, with a low rate limit and a short body timeout: what it needs from audit,
   * recurrence or notification is away (503), and a user soon meets the limit (429).
   */
  static TestSystem edge;

  static Vertx vertx;
  static ResponseValidator responses;
  static JsonObject served;
  static Validator problemSchema;
  static final Set<String> covered = new TreeSet<>();
  static final Map<String, Set<Integer>> seen = new TreeMap<>();

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,kafka,audit,recurrence,notification");
    edge =
        TestSystem.start(
            "api",
            Map.of(
                "TASKBUS_API_RATELIMITPERSECOND", "1",
                "TASKBUS_API_RATELIMITBURST", "3",
                "TASKBUS_HTTP_BODYTIMEOUTMS", "500"));
    vertx = Vertx.vertx();
    HttpResponse<String> document = system.get("/api/v1/openapi.yaml", null);
    assertEquals(200, document.statusCode());
    OpenApiDocument bundled = OpenApiDocument.load();
    assertEquals(bundled.text().toString(StandardCharsets.UTF_8), document.body());
    Map<String, Object> yaml =
        new Yaml(new SafeConstructor(new LoaderOptions())).load(document.body());
    served = new JsonObject(yaml);
    OpenAPIContract contract = OpenAPIContract.from(vertx, bundled.forValidator()).await();
    responses = ResponseValidator.create(vertx, contract);
    problemSchema =
        Validator.create(
            JsonSchema.of(
                bundled
                    .forValidator()
                    .getJsonObject("components")
                    .getJsonObject("schemas")
                    .getJsonObject("Problem")),
            new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://taskbus.io/"));
  }

  @AfterAll
  static void stop() {
    System.out.println("statuses seen per operation: " + seen);
    edge.close();
    system.close();
    vertx.close();
  }

  @Test
  void everyOperationAnswersAsDocumented() throws Exception {
    String user = TestSystem.uniqueUser("contract");
    JsonObject task =
        body(
            check(
                "createTask",
                system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    "{\"title\":\"documented\",\"tags\":[\"a\"],\"dueDate\":\"2026-12-24\"}")));
    String id = task.getString("id");
    String path = "/api/v1/tasks/" + id;
    check("createTask", system.call("POST", "/api/v1/tasks", user, "{\"title\":\"\"}"));
    check("listTasks", system.get("/api/v1/tasks?sort=due&limit=1", user));
    check("listTasks", system.get("/api/v1/tasks?limit=0", user));
    check("getTask", system.get(path, user));
    check("getTask", system.get("/api/v1/tasks/00000000-0000-7000-8000-000000000000", user));
    check("patchTask", system.call("PATCH", path, user, "{\"priority\":\"high\"}"));
    check(
        "patchTask",
        system.call("PATCH", path, user, "{\"priority\":\"high\"}", "If-Match", "\"stale\""));
    check("replaceTags", system.call("PUT", path + "/tags", user, "[\"b\",\"c\"]"));
    check("completeTask", system.call("POST", path + "/complete", user, null));
    check("reopenTask", system.call("POST", path + "/reopen", user, null));
    check(
        "bulkTasks",
        system.call(
            "POST",
            "/api/v1/tasks/bulk",
            user,
            new JsonObject()
                .put("action", "setPriority")
                .put("priority", "low")
                .put("ids", new JsonArray().add(id))
                .encode()));
    check("deleteTask", system.call("DELETE", path, user, null));
    check("listTrash", system.get("/api/v1/trash", user));
    check("restoreTask", system.call("POST", path + "/restore", user, null));
    TestSystem.eventually(
        Duration.ofSeconds(10),
        () -> body(system.get(path + "/history", user)).getJsonArray("items").size(),
        n -> n >= 8);
    check("taskHistory", system.get(path + "/history", user));
    check("auditTrail", system.get("/api/v1/audit?limit=3", user));
    check("auditTrail", system.get("/api/v1/audit?since=nope", user));
    JsonObject recurring =
        body(
            check(
                "createTask",
                system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    "{\"title\":\"weekly\",\"dueDate\":\"2026-12-24\",\"recurrence\":{\"preset\":\"weekly\"},"
                        + "\"reminders\":[{\"before\":\"PT1H\"}]}")));
    check("taskSeries", system.get("/api/v1/tasks/" + recurring.getString("id") + "/series", user));
    check(
        "taskOccurrences",
        system.get("/api/v1/tasks/" + recurring.getString("id") + "/occurrences?limit=3", user));
    check("taskOccurrences", system.get(path + "/occurrences", user));
    String series = "/api/v1/tasks/" + recurring.getString("id");
    check(
        "skipOccurrence", system.call("POST", series + "/occurrences/2026-12-31/skip", user, null));
    check(
        "moveOccurrence",
        system.call(
            "POST", series + "/occurrences/2026-12-31/move", user, "{\"to\":\"2027-01-02\"}"));
    check(
        "moveOccurrence",
        system.call(
            "POST", series + "/occurrences/2026-12-30/move", user, "{\"to\":\"2027-01-02\"}"));
    check(
        "restoreOccurrence", system.call("DELETE", series + "/occurrences/2026-12-31", user, null));
    check("skipTask", system.call("POST", series + "/skip", user, null));
    check("skipTask", system.call("POST", path + "/skip", user, null));
    HttpResponse<String> ics = check("exportCalendar", system.get("/api/v1/tasks.ics", user));
    assertEquals(
        "text/calendar; charset=utf-8", ics.headers().firstValue("Content-Type").orElse(""));
    check("exportCalendar", system.get("/api/v1/tasks.ics", null));
    String feedUrl =
        body(check(
                "createCalendarFeed",
                system.send("POST", "/api/v1/calendar-feed", user, null, null)))
            .getString("url");
    check("calendarFeed", system.get("/api/v1/calendar-feed", user));
    check("serveCalendarFeed", system.get(java.net.URI.create(feedUrl).getPath(), null));
    check("serveCalendarFeed", system.get("/api/v1/calendar-feed/unknown.ics", null));
    check("revokeCalendarFeed", system.send("DELETE", "/api/v1/calendar-feed", user, null, null));
    String vtodo =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VTODO\r\nUID:u\r\n"
            + "DTSTAMP:20261201T000000Z\r\nSUMMARY:imported\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    check("importCalendar", system.send("POST", "/api/v1/tasks.ics", user, "text/calendar", vtodo));
    check(
        "importCalendar",
        system.send(
            "POST",
            "/api/v1/tasks.ics",
            user,
            "text/calendar",
            vtodo.replace("SUMMARY:imported\r\n", "")));
    check(
        "importCalendar",
        system.send("POST", "/api/v1/tasks.ics", user, "text/calendar", "no calendar"));
    HttpResponse<String> savedFilter =
        check(
            "createFilter",
            system.call(
                "POST", "/api/v1/filters", user, "{\"name\":\"Work\",\"filter\":\"tag:a\"}"));
    String filterPath = savedFilter.headers().firstValue("Location").orElseThrow();
    check(
        "createFilter",
        system.call("POST", "/api/v1/filters", user, "{\"name\":\"work\",\"filter\":\"tag:b\"}"));
    check(
        "createFilter",
        system.call("POST", "/api/v1/filters", user, "{\"name\":\"x\",\"filter\":\"tag:\"}"));
    check("listFilters", system.get("/api/v1/filters", user));
    check("taskCounts", system.get("/api/v1/tasks/counts?tz=Europe/Paris", user));
    check("taskCounts", system.get("/api/v1/tasks/counts?tz=Mars/Olympus", user));
    check("patchFilter", system.call("PATCH", filterPath, user, "{\"position\":2}"));
    check("patchFilter", system.call("PATCH", filterPath, user, "{\"filter\":\"(\"}"));
    check("deleteFilter", system.call("DELETE", filterPath, user, null));
    check("deleteFilter", system.call("DELETE", filterPath, user, null));
    check("sync", system.get("/api/v1/sync?since=0", user));
    check("sync", system.get("/api/v1/sync?since=x", user));
    check("devToken", system.postJson("/api/v1/dev/token", null, "{\"user\":\"x\"}"));

    check(
        "createTask",
        system.call(
            "POST",
            "/api/v1/tasks",
            user,
            new JsonObject()
                .put("title", "remind me")
                .put(
                    "reminders",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("at", java.time.Instant.now().plusSeconds(2).toString())))
                .encode()));
    String notification =
        TestSystem.eventually(
                Duration.ofSeconds(15),
                () -> body(system.get("/api/v1/notifications", user)).getJsonArray("items"),
                items -> !items.isEmpty())
            .getJsonObject(0)
            .getString("id");
    check("listNotifications", system.get("/api/v1/notifications?limit=5", user));
    check("listNotifications", system.get("/api/v1/notifications?limit=500", user));
    check("unreadNotifications", system.get("/api/v1/notifications/unread-count", user));
    check(
        "readNotification",
        system.call("POST", "/api/v1/notifications/" + notification + "/read", user, null));
    check(
        "readNotification",
        system.call("POST", "/api/v1/notifications/" + id + "/read", user, null));
    check(
        "snoozeNotification",
        system.call(
            "POST",
            "/api/v1/notifications/" + notification + "/snooze",
            user,
            "{\"duration\":\"PT1H\"}"));
    check(
        "snoozeNotification",
        system.call(
            "POST",
            "/api/v1/notifications/" + notification + "/snooze",
            user,
            "{\"duration\":\"soon\"}"));
    check(
        "readAllNotifications", system.call("POST", "/api/v1/notifications/read-all", user, null));
    check("notificationSettings", system.get("/api/v1/notification-settings", user));
    check(
        "saveNotificationSettings",
        system.call(
            "PUT",
            "/api/v1/notification-settings",
            user,
            "{\"email\":\"c@example.com\",\"quietHours\":{\"start\":\"22:00\",\"end\":\"07:00\"}}"));
    check(
        "saveNotificationSettings",
        system.call(
            "PUT", "/api/v1/notification-settings", user, "{\"timeZone\":\"Nowhere/Land\"}"));

    Set<String> operations = new TreeSet<>();
    served
        .getJsonObject("paths")
        .forEach(
            p ->
                ((JsonObject) p.getValue())
                    .forEach(
                        op -> {
                          if (op.getValue() instanceof JsonObject o
                              && o.containsKey("operationId")) {
                            operations.add(o.getString("operationId"));
                          }
                        }));
    assertEquals(operations, covered, "every documented operation is exercised");
  }

  /** What a client meets before its request reaches a handler, on every kind of operation. */
  @Test
  void refusalsAreDocumentedForTheOperationsTheyHappenTo() throws Exception {
    String user = TestSystem.uniqueUser("refused");
    JsonObject task = system.createTask(user, "refusals");
    String path = "/api/v1/tasks/" + task.getString("id");
    String stale = "\"0-stale\"";

    problem("listTasks", system.get("/api/v1/tasks", null), 401, "unauthorized");
    problem("getTask", system.send("GET", path, null, null, null), 401, "unauthorized"); // no token
    problem(
        "listTasks",
        system.call("GET", "/api/v1/tasks", null, null, "Authorization", "Bearer not.a.token"),
        401,
        "unauthorized");
    String badSubject =
        TestSystem.signer()
            .generateToken(
                new JsonObject().put("sub", "no spaces allowed"),
                new io.vertx.ext.auth.JWTOptions().setExpiresInSeconds(60));
    problem(
        "listTrash",
        system.call("GET", "/api/v1/trash", null, null, "Authorization", "Bearer " + badSubject),
        401,
        "unauthorized");
    problem(
        "listTasks",
        system.call("GET", "/api/v1/tasks", user, null, "Accept", "text/html"),
        406,
        "not-acceptable");
    problem(
        "getTask",
        system.call("GET", path, user, null, "Accept", "text/html"),
        406,
        "not-acceptable");
    problem(
        "devToken",
        system.call("POST", "/api/v1/dev/token", null, "{\"user\":\"x\"}", "Accept", "text/html"),
        406,
        "not-acceptable");
    problem("listTasks", system.get("/api/v1/tasks?q=a%00b", user), 400, "validation-failed");
    // a cursor no event id can be: refused here, not passed on to the audit verticle
    problem(
        "auditTrail",
        system.get("/api/v1/audit?cursor=9999999999999999999", user),
        400,
        "validation-failed");

    String huge =
        new JsonObject().put("title", "t").put("description", "d".repeat(70_000)).encode();
    problem(
        "createTask", system.call("POST", "/api/v1/tasks", user, huge), 413, "payload-too-large");
    problem("patchTask", system.call("PATCH", path, user, huge), 413, "payload-too-large");
    // a body where none is expected still counts against the limit
    problem(
        "listTasks",
        system.send("GET", "/api/v1/tasks", user, "application/json", huge),
        413,
        "payload-too-large");

    String text = "text/plain";
    problem(
        "createTask",
        system.send("POST", "/api/v1/tasks", user, text, "{\"title\":\"x\"}"),
        415,
        "unsupported-media-type");
    problem(
        "patchTask",
        system.send("PATCH", path, user, text, "{\"title\":\"x\"}"),
        415,
        "unsupported-media-type");
    problem(
        "replaceTags",
        system.send("PUT", path + "/tags", user, text, "[\"x\"]"),
        415,
        "unsupported-media-type");
    problem(
        "bulkTasks",
        system.send("POST", "/api/v1/tasks/bulk", user, text, "{}"),
        415,
        "unsupported-media-type");
    problem(
        "saveNotificationSettings",
        system.send("PUT", "/api/v1/notification-settings", user, text, "{}"),
        415,
        "unsupported-media-type");
    problem(
        "devToken",
        system.send("POST", "/api/v1/dev/token", null, text, "{\"user\":\"x\"}"),
        415,
        "unsupported-media-type");
    problem(
        "createFilter",
        system.send("POST", "/api/v1/filters", user, text, "{}"),
        415,
        "unsupported-media-type");
    String filter =
        system
            .call("POST", "/api/v1/filters", user, "{\"name\":\"refused\",\"filter\":\"open\"}")
            .headers()
            .firstValue("Location")
            .orElseThrow();
    problem(
        "patchFilter",
        system.send("PATCH", filter, user, text, "{\"name\":\"x\"}"),
        415,
        "unsupported-media-type");
    problem(
        "patchFilter",
        system.call("PATCH", filter, user, "{\"name\":\"x\"}", "If-Match", stale),
        412,
        "precondition-failed");
    problem(
        "deleteFilter",
        system.call("DELETE", filter, user, null, "If-Match", stale),
        412,
        "precondition-failed");
    String filterKey = UUID.randomUUID().toString();
    String newFilter = "{\"name\":\"once\",\"filter\":\"open\"}";
    check(
        "createFilter",
        system.call("POST", "/api/v1/filters", user, newFilter, "Idempotency-Key", filterKey));
    HttpResponse<String> filterReplay =
        check(
            "createFilter",
            system.call("POST", "/api/v1/filters", user, newFilter, "Idempotency-Key", filterKey));
    assertEquals("true", filterReplay.headers().firstValue("Idempotent-Replayed").orElse(""));
    problem(
        "createFilter",
        system.call(
            "POST",
            "/api/v1/filters",
            user,
            "{\"name\":\"twice\",\"filter\":\"open\"}",
            "Idempotency-Key",
            filterKey),
        422,
        "idempotency-key-reused");
    for (int i = 0; i < 98; i++) {
      assertEquals(
          201,
          system
              .call(
                  "POST",
                  "/api/v1/filters",
                  user,
                  new JsonObject().put("name", "f" + i).put("filter", "open").encode())
              .statusCode());
    }
    problem(
        "createFilter",
        system.call("POST", "/api/v1/filters", user, "{\"name\":\"101st\",\"filter\":\"open\"}"),
        422,
        "too-many-filters");

    problem(
        "replaceTags",
        system.call("PUT", path + "/tags", user, "[\"x\"]", "If-Match", stale),
        412,
        "precondition-failed");
    problem(
        "completeTask",
        system.call("POST", path + "/complete", user, null, "If-Match", stale),
        412,
        "precondition-failed");
    problem(
        "deleteTask",
        system.call("DELETE", path, user, null, "If-Match", stale),
        412,
        "precondition-failed");
    problem(
        "reopenTask",
        system.call("POST", path + "/reopen", user, null, "If-Match", stale),
        412,
        "precondition-failed");
    String trashed = "/api/v1/tasks/" + system.createTask(user, "trashed").getString("id");
    check("deleteTask", system.call("DELETE", trashed, user, null));
    problem(
        "restoreTask",
        system.call("POST", trashed + "/restore", user, null, "If-Match", stale),
        412,
        "precondition-failed");
    String series =
        "/api/v1/tasks/"
            + body(system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    "{\"title\":\"daily\",\"dueDate\":\"2026-12-24\",\"recurrence\":{\"preset\":\"daily\"}}"))
                .getString("id");
    problem(
        "skipTask",
        system.call("POST", series + "/skip", user, null, "If-Match", stale),
        412,
        "precondition-failed");
    problem(
        "skipOccurrence",
        system.call("POST", series + "/occurrences/2026-12-26/skip", user, null, "If-Match", stale),
        412,
        "precondition-failed");
    problem(
        "restoreOccurrence",
        system.call("DELETE", series + "/occurrences/2026-12-26", user, null, "If-Match", stale),
        412,
        "precondition-failed");
    problem(
        "moveOccurrence",
        system.send(
            "POST", series + "/occurrences/2026-12-26/move", user, text, "{\"to\":\"2027-01-01\"}"),
        415,
        "unsupported-media-type");
    problem(
        "snoozeNotification",
        system.send(
            "POST",
            "/api/v1/notifications/" + UUID.randomUUID() + "/snooze",
            user,
            text,
            "{\"duration\":\"PT1H\"}"),
        415,
        "unsupported-media-type");

    String key = UUID.randomUUID().toString();
    JsonObject bulk =
        new JsonObject()
            .put("action", "addTags")
            .put("tags", new JsonArray().add("x"))
            .put("ids", new JsonArray().add(task.getString("id")));
    check(
        "bulkTasks",
        system.call("POST", "/api/v1/tasks/bulk", user, bulk.encode(), "Idempotency-Key", key));
    HttpResponse<String> replay =
        check(
            "bulkTasks",
            system.call("POST", "/api/v1/tasks/bulk", user, bulk.encode(), "Idempotency-Key", key));
    assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""));
    problem(
        "bulkTasks",
        system.call(
            "POST",
            "/api/v1/tasks/bulk",
            user,
            bulk.put("action", "removeTags").encode(),
            "Idempotency-Key",
            key),
        422,
        "idempotency-key-reused");
    problem(
        "completeTask",
        system.call("POST", path + "/complete", user, null, "Idempotency-Key", key),
        422,
        "idempotency-key-reused");
    String longKey = "k".repeat(256);
    problem(
        "createTask",
        system.call("POST", "/api/v1/tasks", user, "{\"title\":\"x\"}", "Idempotency-Key", longKey),
        400,
        "bad-idempotency-key");
    problem(
        "bulkTasks",
        system.call("POST", "/api/v1/tasks/bulk", user, bulk.encode(), "Idempotency-Key", longKey),
        400,
        "validation-failed");
    problem("getTask", system.get("/api/v1/tasks/" + UUID.randomUUID(), user), 404, "not-found");

    String etag = system.get(path, user).headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> notModified =
        check("getTask", system.call("GET", path, user, null, "If-None-Match", etag));
    assertEquals(304, notModified.statusCode());
    HttpResponse<String> created =
        check("createTask", system.call("POST", "/api/v1/tasks", user, "{\"title\":\"here\"}"));
    assertTrue(created.headers().firstValue("Location").isPresent());

    // outside every operation: a path that does not exist, and one that does with other methods
    unrouted(system.get("/api/v1/nothing-here", user), 404, "not-found");
    HttpResponse<String> wrongMethod = system.call("PUT", "/api/v1/tasks", user, "{}");
    unrouted(wrongMethod, 405, "method-not-allowed");
    assertEquals("GET, POST", wrongMethod.headers().firstValue("Allow").orElse(""));
  }

  /** The rate limit, a verticle that is away, and a body that does not arrive. */
  @Test
  void limitsAndAbsencesAreDocumented() throws Exception {
    String eager = TestSystem.uniqueUser("eager");
    HttpResponse<String> limited = null;
    for (int i = 0; i < 10 && limited == null; i++) {
      HttpResponse<String> r = check("listTasks", edge.get("/api/v1/tasks", eager));
      limited = r.statusCode() == 429 ? r : null;
    }
    assertNotNull(limited, "a burst of 3 at 1 per second runs out within 10 quick requests");
    problem("listTasks", limited, 429, "rate-limited");

    // audit, recurrence and notification run nowhere in this system
    problem(
        "unreadNotifications",
        edge.get("/api/v1/notifications/unread-count", TestSystem.uniqueUser("inbox")),
        503,
        "unavailable");
    problem(
        "auditTrail",
        edge.get("/api/v1/audit", TestSystem.uniqueUser("auditor")),
        503,
        "unavailable");
    String planner = TestSystem.uniqueUser("planner");
    problem(
        "createTask",
        edge.call(
            "POST",
            "/api/v1/tasks",
            planner,
            "{\"title\":\"weekly\",\"dueDate\":\"2026-12-24\",\"recurrence\":{\"preset\":\"weekly\"}}"),
        503,
        "unavailable");
    JsonObject plain = edge.createTask(planner, "plain");
    problem(
        "taskHistory",
        edge.get("/api/v1/tasks/" + plain.getString("id") + "/history", planner),
        503,
        "unavailable");

    problem("createTask", slowBody(edge, TestSystem.uniqueUser("slow")), 408, "request-timeout");
  }

  /** A create whose body stops short of its Content-Length, answered on the raw connection. */
  private static Answer slowBody(TestSystem target, String user) throws IOException {
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), target.port)) {
      socket.setSoTimeout(10_000);
      String head =
          "POST /api/v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + target.token(user)
              + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
              + "{\"title\":";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = raw.indexOf("\r\n\r\n");
      assertTrue(end > 0, raw);
      String[] lines = raw.substring(0, end).split("\r\n");
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip());
      }
      return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(end + 4));
    }
  }

  /** A response as the checks need it, from the JDK client or read off a socket. */
  record Answer(int status, Map<String, String> headers, String body) {

    static Answer of(HttpResponse<String> response) {
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
      return new Answer(response.statusCode(), headers, response.body());
    }

    String mediaType() {
      return headers
          .getOrDefault("Content-Type", "")
          .split(";")[0]
          .strip()
          .toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static HttpResponse<String> check(String operation, HttpResponse<String> response) {
    check(operation, Answer.of(response));
    return response;
  }

  /** The answer is one the operation documents, with that status's media type, headers and body. */
  private static void check(String operation, Answer answer) {
    covered.add(operation);
    seen.computeIfAbsent(operation, o -> new TreeSet<>()).add(answer.status());
    JsonObject documented = operation(operation).getJsonObject("responses");
    assertFalse(
        documented.containsKey("default"),
        operation + ": a default response would hide undocumented statuses");
    String status = Integer.toString(answer.status());
    assertTrue(
        documented.containsKey(status),
        operation
            + " answered "
            + status
            + ", which the document does not list for it (it lists "
            + documented.fieldNames()
            + "): "
            + answer.body());
    JsonObject response = resolve(documented.getJsonObject(status));
    JsonObject content = response.getJsonObject("content");
    if (content == null) {
      assertTrue(answer.body().isEmpty(), operation + " " + status + " has no documented body");
    } else {
      assertTrue(
          content.containsKey(answer.mediaType()),
          operation
              + " "
              + status
              + " answered "
              + answer.mediaType()
              + ", documented: "
              + content.fieldNames());
    }
    Map<String, String> headers = new HashMap<>();
    JsonObject declared = response.getJsonObject("headers", new JsonObject());
    for (String name : declared.fieldNames()) {
      String value = answer.headers().get(name);
      JsonObject header = resolve(declared.getJsonObject(name));
      if (header.getBoolean("required", false)) {
        assertNotNull(value, operation + " " + status + " lacks its header " + name);
      }
      if (value != null) {
        // vertx-openapi reads a header that is not a bare word as JSON (ETag's quotes, Link's
        // rel="next"): a string header goes to it as a JSON string, so it checks the value as sent
        boolean text = "string".equals(resolve(header.getJsonObject("schema")).getString("type"));
        headers.put(name, text ? io.vertx.core.json.Json.encode(value) : value);
      }
    }
    // the validator knows JSON only: a problem document is JSON with its own media type, and the
    // calendar export's body is checked by CalendarExportIT with an iCalendar parser
    String mediaType =
        answer.mediaType().equals("application/problem+json")
            ? "application/json"
            : answer.mediaType();
    ValidatableResponse validatable =
        answer.body().isEmpty() || mediaType.equals("text/calendar")
            ? ValidatableResponse.create(answer.status(), headers)
            : ValidatableResponse.create(
                answer.status(), headers, Buffer.buffer(answer.body()), mediaType);
    try {
      responses.validate(validatable, operation).await();
    } catch (Exception e) {
      fail(
          operation
              + " "
              + status
              + " does not match the document: "
              + e.getMessage()
              + (e.getCause() == null ? "" : " / " + e.getCause().getMessage())
              + "\n"
              + answer.body());
    }
    if (answer.status() >= 400) {
      assertEquals(answer.status(), new JsonObject(answer.body()).getInteger("status"));
    }
  }

  private static void problem(
      String operation, HttpResponse<String> response, int status, String slug) {
    problem(operation, Answer.of(response), status, slug);
  }

  /** An expected refusal: that status and problem type, and documented for the operation. */
  private static void problem(String operation, Answer answer, int status, String slug) {
    assertEquals(status, answer.status(), operation + ": " + answer.body());
    assertEquals(
        "https://taskbus.io/problems/" + slug,
        new JsonObject(answer.body()).getString("type"),
        answer.body());
    check(operation, answer);
  }

  /** A problem for a request no operation takes, checked against the Problem schema alone. */
  private static void unrouted(HttpResponse<String> response, int status, String slug) {
    Answer answer = Answer.of(response);
    assertEquals(status, answer.status(), answer.body());
    assertEquals("application/problem+json", answer.mediaType());
    JsonObject body = new JsonObject(answer.body());
    var result = problemSchema.validate(body);
    assertTrue(result.getValid(), "the problem does not match its schema: " + result);
    assertEquals("https://taskbus.io/problems/" + slug, body.getString("type"));
  }

  private static JsonObject operation(String operationId) {
    List<JsonObject> found = new ArrayList<>();
    served
        .getJsonObject("paths")
        .forEach(
            path ->
                ((JsonObject) path.getValue())
                    .forEach(
                        op -> {
                          if (op.getValue() instanceof JsonObject o
                              && operationId.equals(o.getString("operationId"))) {
                            found.add(o);
                          }
                        }));
    assertEquals(1, found.size(), "operations named " + operationId);
    return found.get(0);
  }

  /** Follows a local {@code $ref} ({@code #/components/...}). */
  private static JsonObject resolve(JsonObject node) {
    String ref = node.getString("$ref");
    if (ref == null) {
      return node;
    }
    JsonObject target = served;
    for (String part : ref.substring(2).split("/")) {
      target = target.getJsonObject(part);
    }
    return resolve(target);
  }

  private static JsonObject body(HttpResponse<String> response) {
    assertTrue(response.statusCode() < 300, response.body());
    return new JsonObject(response.body());
  }
}
