package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the OpenAPI document, called as a client would, and every response checked
 * against the document: success bodies by the OpenAPI response validator, problems against the
 * Problem schema with their media type.
 */
class ApiContractIT {

  static TestSystem system;
  static Vertx vertx;
  static ResponseValidator responses;
  static Validator problemSchema;
  static final Set<String> covered = new TreeSet<>();

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,kafka,audit,recurrence,notification");
    vertx = Vertx.vertx();
    OpenApiDocument document = OpenApiDocument.load();
    OpenAPIContract contract = OpenAPIContract.from(vertx, document.forValidator()).await();
    responses = ResponseValidator.create(vertx, contract);
    JsonObject problem =
        document
            .forValidator()
            .getJsonObject("components")
            .getJsonObject("schemas")
            .getJsonObject("Problem");
    problemSchema =
        Validator.create(
            JsonSchema.of(problem),
            new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://taskbus.io/"));
  }

  @AfterAll
  static void stop() {
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

    HttpResponse<String> document = system.get("/api/v1/openapi.yaml", null);
    assertEquals(200, document.statusCode());
    assertTrue(document.body().startsWith("openapi: 3.1.0"));
    Set<String> operations = new TreeSet<>();
    OpenApiDocument.load()
        .forValidator()
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

  private static HttpResponse<String> check(String operation, HttpResponse<String> response) {
    covered.add(operation);
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (response.statusCode() >= 400) {
      assertEquals("application/problem+json", type, operation + " " + response.body());
      var result = problemSchema.validate(new JsonObject(response.body()));
      assertTrue(result.getValid(), operation + ": problem does not match its schema: " + result);
      return response;
    }
    Map<String, String> headers = new HashMap<>();
    response.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
    boolean described = !type.startsWith("text/calendar");
    ValidatableResponse validatable =
        response.body().isEmpty() || !described
            ? ValidatableResponse.create(response.statusCode(), headers)
            : ValidatableResponse.create(
                response.statusCode(), headers, Buffer.buffer(response.body()), type);
    try {
      responses.validate(validatable, operation).await();
    } catch (Exception e) {
      fail(
          operation
              + " "
              + response.statusCode()
              + " does not match the document: "
              + e.getMessage()
              + (e.getCause() == null ? "" : " / " + e.getCause().getMessage())
              + "\n"
              + response.body());
    }
    return response;
  }

  private static JsonObject body(HttpResponse<String> response) {
    assertTrue(response.statusCode() < 300, response.body());
    return new JsonObject(response.body());
  }
}
