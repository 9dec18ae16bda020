package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Per-user isolation, swept from the served OpenAPI document so that no operation escapes it. User
 * A owns a full set of resources ({@link OwnedResources}). User B calls every operation with A's
 * ids in every path parameter, A's validators and Idempotency-Key in its headers and A's ids in
 * bodies that take ids, with a body valid for B's own resources: a 404 exactly like that of an id
 * that does not exist, B's own data otherwise, never a 5xx, never anything of A. Every kind of bad
 * credential on every operation is a 401 that changes nothing. Every bridge frame B aims at A's
 * addresses, on the WebSocket and the xhr transports, is refused, and B hears nothing of A while
 * A's own clients hear everything. A's view of its data, validators included, is the same
 * afterwards.
 */
class IsolationIT {

  /** The operations anyone may call without a bearer token. */
  private static final Set<String> OPEN = Set.of("serveCalendarFeed", "devToken");

  private static TestSystem system;
  private static OwnedResources a;
  private static String b;
  private static List<Operation> operations;

  /** Intruders with no history of their own, for requests that carry A's Idempotency-Key. */
  private static final AtomicInteger FRESH = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    system =
        TestSystem.start(
            "api,bridge,kafka,audit,recurrence,notification",
            Map.of(
                "TASKBUS_AUTH_ISSUER", "https://login.example.test/isolation",
                "TASKBUS_AUTH_AUDIENCE", "taskbus-isolation"));
    a = OwnedResources.create(system, TestSystem.uniqueUser("owner"));
    b = TestSystem.uniqueUser("intruder");
    // B has data of its own, so its answers hold something, and none of it A's
    system.createTask(b, "the intruder's own");
    assertEquals(201, system.call("POST", "/api/v1/calendar-feed", b, null).statusCode());
    operations = Operation.served();
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void userBReachesNothingOfUserAThroughAnyOperation() throws Exception {
    Map<String, Fill> table = table();
    assertEquals(
        ids(operations),
        table.keySet(),
        "every operation of the served document, and only those, has a way to be called against"
            + " another user's data");
    Map<String, String> before = a.snapshot();
    List<String> failures = new ArrayList<>();
    int calls = 0;
    for (Operation op : operations) {
      Fill fill = table.get(op.id());
      assertEquals(
          Set.copyOf(op.pathParams()), fill.path().keySet(), op.id() + ": its path parameters");
      for (Map<String, String> values : combinations(fill.path())) {
        for (boolean withHeaders :
            op.headerParams().isEmpty() ? List.of(false) : List.of(false, true)) {
          for (String body : fill.bodies().isEmpty() ? singletonNull() : fill.bodies()) {
            Call call = call(op, fill, values, withHeaders, body);
            String intruder = call.headers().containsKey("Idempotency-Key") ? fresh() : b;
            // an operation open to anyone is tried without a token too, as a calendar app calls it
            for (String authorization :
                op.open()
                    ? java.util.Arrays.asList("Bearer " + system.token(intruder), null)
                    : List.of("Bearer " + system.token(intruder))) {
              HttpResponse<String> response = send(call, authorization);
              calls++;
              check(fill.expect(), call, response, failures);
              if (fill.expect() == Expect.NOT_FOUND) {
                Call unknown = call(op, fill, unknown(values), withHeaders, body);
                HttpResponse<String> twin = send(unknown, authorization);
                calls++;
                if (!sameProblem(call, response, unknown, twin)) {
                  failures.add(
                      "tells A's id from an unknown one: "
                          + describe(call, response)
                          + " but "
                          + describe(unknown, twin));
                }
              }
            }
          }
        }
      }
    }
    System.out.println(
        "isolation: " + calls + " requests over " + operations.size() + " operations");
    assertEquals(List.of(), failures);
    assertEquals(List.of(), OwnedResources.changes(before, a.snapshot()), "A's data changed");
  }

  @Test
  void everyBadCredentialOnEveryOperationIsA401ThatChangesNothing() throws Exception {
    Set<String> open = new LinkedHashSet<>();
    operations.stream().filter(Operation::open).forEach(op -> open.add(op.id()));
    assertEquals(OPEN, open, "the operations served without a bearer token");
    BadCredentials credentials = new BadCredentials(system, a.user);
    HttpResponse<String> control =
        send(
            new Call("GET", "/api/v1/tasks?status=all", Map.of(), null, null), credentials.valid());
    assertEquals(200, control.statusCode(), "a token made as the bad ones are passes");
    assertTrue(control.body().contains(a.word), "and is A's");
    Map<String, String> bad = credentials.all(system.token(b));
    Map<String, String> before = a.snapshot();
    Map<String, Fill> table = table();
    List<String> failures = new ArrayList<>();
    for (Operation op : operations) {
      if (op.open()) {
        continue;
      }
      Fill fill = table.get(op.id());
      // what the victim could do with this request: its ids, its validators, its key
      Call call =
          call(
              op,
              fill,
              combinations(fill.path()).get(0),
              true,
              fill.bodies().isEmpty() ? null : fill.bodies().get(0));
      for (Map.Entry<String, String> credential : bad.entrySet()) {
        HttpResponse<String> response = send(call, credential.getValue());
        if (response.statusCode() != 401
            || !response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")
            || !"unauthorized".equals(problemType(response))) {
          failures.add(
              credential.getKey()
                  + ": "
                  + describe(call, response)
                  + " WWW-Authenticate="
                  + response.headers().firstValue("WWW-Authenticate").orElse("(none)"));
        }
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(List.of(), OwnedResources.changes(before, a.snapshot()), "A's data changed");
  }

  /**
   * The bridge's every frame type from B at A's addresses, on the WebSocket, xhr-streaming and
   * xhr-polling, and B's token on A's xhr sessions: refused, and B hears nothing of A's changes,
   * which A's own clients on every transport hear.
   */
  @Test
  void noBridgeFrameOfBReachesAAndBHearsNothingOfA() throws Exception {
    String owner = TestSystem.uniqueUser("bridge-owner");
    String intruder = TestSystem.uniqueUser("bridge-intruder");
    try (BridgeClient ownerWs = BridgeClient.connect(system.port, system.token(owner));
        XhrBridgeClient ownerStreaming =
            XhrBridgeClient.streaming(system.port, system.token(owner));
        XhrBridgeClient ownerPolling = XhrBridgeClient.polling(system.port, system.token(owner));
        BridgeClient intruderWs = BridgeClient.connect(system.port, system.token(intruder));
        XhrBridgeClient intruderStreaming =
            XhrBridgeClient.streaming(system.port, system.token(intruder));
        XhrBridgeClient intruderPolling =
            XhrBridgeClient.polling(system.port, system.token(intruder))) {
      Map<String, BridgeFrames> owners =
          Map.of(
              "websocket", ownerWs, "xhr-streaming", ownerStreaming, "xhr-polling", ownerPolling);
      Map<String, BridgeFrames> intruders =
          Map.of(
              "websocket",
              intruderWs,
              "xhr-streaming",
              intruderStreaming,
              "xhr-polling",
              intruderPolling);
      for (BridgeFrames client : owners.values()) {
        client.registerAndAwait(Addresses.userTasks(owner));
        client.registerAndAwait(Addresses.userNotifications(owner));
      }
      for (BridgeFrames client : intruders.values()) {
        client.registerAndAwait(Addresses.userTasks(intruder));
      }
      List<String> failures = new ArrayList<>();
      List<String> targets =
          List.of(
              Addresses.userTasks(owner),
              Addresses.userNotifications(owner),
              Addresses.userPrefix(owner) + "tasks.x",
              Addresses.presence(owner),
              "taskbus.api.commands",
              "taskbus.audit.events");
      for (Map.Entry<String, BridgeFrames> client : intruders.entrySet()) {
        for (String address : targets) {
          for (String type : List.of("register", "unregister", "send", "publish")) {
            client
                .getValue()
                .send(
                    new JsonObject()
                        .put("type", type)
                        .put("address", address)
                        .put("replyAddress", Addresses.userTasks(intruder))
                        .put("body", new JsonObject().put("title", "forged")));
            JsonObject err = client.getValue().next("err", Duration.ofSeconds(5));
            if (err == null || !"rejected".equals(err.getString("body"))) {
              failures.add(client.getKey() + " " + type + " " + address + ": " + err);
            }
          }
          client.getValue().send(new JsonObject().put("type", "ping").put("address", address));
        }
      }
      // B's token on A's xhr sessions: no reading A's pushes, no writing into A's session
      String forged =
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("type", "unregister")
                      .put("address", Addresses.userTasks(owner))
                      .encode())
              .encode();
      for (XhrBridgeClient session : List.of(ownerStreaming, ownerPolling)) {
        String token = system.token(intruder);
        assertEquals(
            403,
            XhrBridgeClient.post(system.port, session.session, "xhr", token, null).statusCode());
        assertEquals(
            403,
            XhrBridgeClient.post(system.port, session.session, "xhr_send", token, forged)
                .statusCode());
        assertEquals(403, XhrBridgeClient.streamStatus(system.port, session.session, token));
      }
      assertEquals(List.of(), failures);

      // A's changes reach A's clients on both transports
      String task = system.createTask(owner, "the owner's own").getString("id");
      assertEquals(
          200,
          system
              .call("PATCH", "/api/v1/tasks/" + task, owner, "{\"title\":\"the owner's, renamed\"}")
              .statusCode());
      assertEquals(
          200,
          system.call("POST", "/api/v1/tasks/" + task + "/complete", owner, null).statusCode());
      system.createTask(
          owner,
          new JsonObject()
              .put("title", "the owner's reminder")
              .put("reminders", new JsonArray().add(OwnedResources.soon())));
      for (Map.Entry<String, BridgeFrames> client : owners.entrySet()) {
        List<String> types = new ArrayList<>();
        boolean notified = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((types.size() < 4 || !notified) && System.nanoTime() < deadline) {
          JsonObject rec = client.getValue().next("rec", Duration.ofMillis(500));
          if (rec == null) {
            continue;
          }
          if (rec.getString("address").equals(Addresses.userNotifications(owner))) {
            notified = true;
          } else {
            types.add(rec.getJsonObject("body").getString("type"));
          }
        }
        assertTrue(
            types.containsAll(List.of("task.created", "task.updated", "task.completed")),
            client.getKey() + ": A's own client hears A's changes: " + types);
        assertTrue(notified, client.getKey() + ": A's own client gets A's notification");
      }

      // B's own change reaches B's clients, and nothing of A came before it
      String own = system.createTask(intruder, "the intruder's own").getString("id");
      for (Map.Entry<String, BridgeFrames> client : intruders.entrySet()) {
        boolean heardOwn = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!heardOwn && System.nanoTime() < deadline) {
          JsonObject rec = client.getValue().next("rec", Duration.ofMillis(500));
          if (rec == null) {
            continue;
          }
          if (!rec.getString("address").equals(Addresses.userTasks(intruder))
              || rec.encode().contains(owner)
              || rec.encode().contains(task)) {
            failures.add(client.getKey() + " heard of A: " + rec.encode());
          }
          heardOwn = own.equals(rec.getJsonObject("body").getString("subject"));
        }
        assertTrue(heardOwn, client.getKey() + ": B's client hears B's own change");
      }
      assertEquals(List.of(), failures);
    }
  }

  // --- the table: how B calls each operation against A ---

  /** What B must get from an operation called against A. */
  private enum Expect {
    /** A's ids in the path: the 404 an id that does not exist gets. */
    NOT_FOUND,
    /** Nothing of A in the request's reach: B's own data, a 2xx. */
    OWN,
    /** A's ids in the body: a 200 with a 404 for each. */
    EACH_NOT_FOUND
  }

  /** Values for each path parameter (every combination is called), a query, bodies. */
  private record Fill(
      Map<String, List<String>> path, String query, List<String> bodies, Expect expect) {}

  /**
   * One entry per operation of the document, by operationId; the test fails when the document and
   * this table disagree, so a new operation cannot pass unswept.
   */
  private static Map<String, Fill> table() {
    Map<String, List<String>> tasks = Map.of("id", a.tasks());
    Map<String, List<String>> occurrences =
        Map.of("id", a.tasks(), "start", List.of(a.skippedStart, a.movedStart, a.plainStart));
    Map<String, Fill> t = new LinkedHashMap<>();
    t.put("createCalendarFeed", own(""));
    t.put("calendarFeed", own(""));
    t.put("revokeCalendarFeed", own(""));
    t.put(
        "serveCalendarFeed",
        new Fill(Map.of("feed", feedGuesses()), "", List.of(), Expect.NOT_FOUND));
    t.put(
        "devToken",
        new Fill(
            Map.of(),
            "",
            List.of(new JsonObject().put("user", a.user).encode()),
            Expect.NOT_FOUND));
    t.put("listTasks", own("?status=all&q=" + a.word));
    t.put(
        "createTask",
        own(
            "",
            new JsonObject()
                .put("title", "the intruder's")
                .put("dueDate", "2030-01-08")
                .put("tags", new JsonArray().add("mine"))
                .encode()));
    t.put("bulkTasks", new Fill(Map.of(), "", bulkBodies(), Expect.EACH_NOT_FOUND));
    t.put("importCalendar", own("?tz=Europe/Berlin", calendar()));
    t.put("exportCalendar", own(""));
    t.put("getTask", notFound(tasks));
    t.put("patchTask", notFound(tasks, "{\"title\":\"the intruder's now\",\"tags\":[\"mine\"]}"));
    t.put("deleteTask", notFound(tasks));
    t.put("completeTask", notFound(tasks));
    t.put("reopenTask", notFound(tasks));
    t.put("restoreTask", notFound(tasks));
    t.put("replaceTags", notFound(tasks, "[\"mine\"]"));
    t.put("taskHistory", notFound(tasks));
    t.put("taskSeries", notFound(tasks));
    t.put("taskOccurrences", notFound(tasks));
    t.put("skipTask", notFound(tasks));
    t.put("skipOccurrence", notFound(occurrences));
    t.put("moveOccurrence", notFound(occurrences, "{\"to\":\"2030-02-21\"}"));
    t.put("restoreOccurrence", notFound(occurrences));
    t.put("listTrash", own(""));
    t.put("sync", own("?since=0"));
    t.put("auditTrail", own("?taskId=" + a.plain));
    t.put("listNotifications", own(""));
    t.put("unreadNotifications", own(""));
    t.put("readAllNotifications", own(""));
    Map<String, List<String>> notifications = Map.of("id", List.of(a.notification, a.reminded));
    t.put("readNotification", notFound(notifications));
    t.put("snoozeNotification", notFound(notifications, "{\"duration\":\"PT10M\"}"));
    Map<String, List<String>> filters = Map.of("id", List.of(a.savedFilter, a.plain));
    t.put("listFilters", own(""));
    t.put("createFilter", own("", "{\"name\":\"the intruder's\",\"filter\":\"tag:mine\"}"));
    t.put("patchFilter", notFound(filters, "{\"name\":\"the intruder's now\"}"));
    t.put("deleteFilter", notFound(filters));
    t.put("taskCounts", own("?tz=Europe/Berlin"));
    t.put("notificationSettings", own(""));
    t.put("saveNotificationSettings", own("", "{\"timeZone\":\"UTC\"}"));
    return t;
  }

  private static Fill own(String query, String... bodies) {
    return new Fill(Map.of(), query, List.of(bodies), Expect.OWN);
  }

  private static Fill notFound(Map<String, List<String>> path, String... bodies) {
    return new Fill(path, "", List.of(bodies), Expect.NOT_FOUND);
  }

  /** Every bulk action on all of A's tasks. */
  private static List<String> bulkBodies() {
    List<String> bodies = new ArrayList<>();
    for (String action :
        List.of("complete", "reopen", "delete", "addTags", "removeTags", "setPriority")) {
      JsonObject body =
          new JsonObject()
              .put("action", action)
              .put("ids", new JsonArray(new ArrayList<>(a.tasks())));
      if (action.endsWith("Tags")) {
        body.put("tags", new JsonArray().add(a.word).add("mine"));
      }
      if (action.equals("setPriority")) {
        body.put("priority", "low");
      }
      bodies.add(body.encode());
    }
    return bodies;
  }

  /** A's feed secret altered, A's revoked one, A's ids as secrets: none serves anything. */
  private static List<String> feedGuesses() {
    String s = a.feedSecret;
    char last = s.charAt(s.length() - 1);
    return List.of(
        s.substring(0, s.length() - 1) + (last == 'A' ? 'B' : 'A') + ".ics",
        (s.charAt(0) == 'A' ? 'B' : 'A') + s.substring(1) + ".ics",
        s.substring(0, s.length() - 1) + ".ics",
        s + "A.ics",
        s.toUpperCase(Locale.ROOT).equals(s)
            ? s.toLowerCase(Locale.ROOT) + ".ics"
            : s.toUpperCase(Locale.ROOT) + ".ics",
        s,
        s + ".ICS",
        a.revokedSecret + ".ics",
        a.plain + ".ics",
        a.user + ".ics");
  }

  /** VTODOs whose UIDs are A's task ids: imported as B's own new tasks. */
  private static String calendar() {
    StringBuilder ics =
        new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//isolation//EN\r\n");
    for (String id : List.of(a.plain, a.seriesOpen)) {
      ics.append("BEGIN:VTODO\r\nUID:")
          .append(id)
          .append(
              "\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:the intruder's import\r\nDUE;VALUE=DATE:20300301\r\nEND:VTODO\r\n");
    }
    return ics.append("END:VCALENDAR\r\n").toString();
  }

  // --- calling and checking ---

  /** An operation of the served document, as the sweep calls it. */
  private record Operation(
      String id,
      String method,
      String path,
      List<String> pathParams,
      List<String> headerParams,
      String contentType,
      boolean open) {

    static List<Operation> served() throws Exception {
      HttpResponse<String> served = system.get("/api/v1/openapi.yaml", null);
      assertEquals(200, served.statusCode());
      Map<String, Object> yaml =
          new Yaml(new SafeConstructor(new LoaderOptions())).load(served.body());
      JsonObject document = new JsonObject(yaml);
      JsonObject paths = document.getJsonObject("paths");
      List<Operation> found = new ArrayList<>();
      for (String path : paths.fieldNames()) {
        JsonObject item = paths.getJsonObject(path);
        for (String method : List.of("get", "put", "post", "delete", "patch", "head", "options")) {
          JsonObject op = item.getJsonObject(method);
          if (op == null) {
            continue;
          }
          List<JsonObject> params = new ArrayList<>();
          for (JsonArray list :
              new JsonArray[] {item.getJsonArray("parameters"), op.getJsonArray("parameters")}) {
            if (list != null) {
              list.forEach(p -> params.add(resolve(document, (JsonObject) p)));
            }
          }
          List<String> inPath = new ArrayList<>();
          List<String> inHeader = new ArrayList<>();
          for (JsonObject param : params) {
            if ("path".equals(param.getString("in"))) {
              inPath.add(param.getString("name"));
            } else if ("header".equals(param.getString("in"))) {
              inHeader.add(param.getString("name"));
            }
          }
          JsonObject body = op.getJsonObject("requestBody");
          found.add(
              new Operation(
                  op.getString("operationId"),
                  method.toUpperCase(Locale.ROOT),
                  "/api/v1" + path,
                  inPath,
                  inHeader,
                  body == null
                      ? null
                      : body.getJsonObject("content").fieldNames().iterator().next(),
                  op.containsKey("security") && op.getJsonArray("security").isEmpty()));
        }
      }
      return found;
    }

    private static JsonObject resolve(JsonObject document, JsonObject node) {
      if (!node.containsKey("$ref")) {
        return node;
      }
      JsonObject target = document;
      for (String part : node.getString("$ref").substring(2).split("/")) {
        target = target.getJsonObject(part);
      }
      return target;
    }
  }

  /** One request as sent; what it names itself (its path and body) an answer may echo. */
  private record Call(
      String method, String path, Map<String, String> headers, String contentType, String body) {

    boolean mentions(String text) {
      return java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8)
              .contains(text)
          || (body != null && body.contains(text));
    }

    @Override
    public String toString() {
      return method
          + " "
          + path
          + (headers.isEmpty() ? "" : " " + headers)
          + (body == null ? "" : " " + body);
    }
  }

  private static Call call(
      Operation op, Fill fill, Map<String, String> values, boolean withHeaders, String body) {
    String path = op.path();
    for (Map.Entry<String, String> value : values.entrySet()) {
      path =
          path.replace(
              "{" + value.getKey() + "}",
              java.net.URLEncoder.encode(value.getValue(), java.nio.charset.StandardCharsets.UTF_8)
                  .replace("+", "%20"));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (withHeaders) {
      for (String name : op.headerParams()) {
        headers.put(name, header(name, values.get("id")));
      }
    }
    return new Call(
        op.method(), path + fill.query(), headers, body == null ? null : op.contentType(), body);
  }

  /** A's value for a header parameter: the validator of A's task, A's Idempotency-Key. */
  private static String header(String name, String task) {
    try {
      return switch (name) {
        case "If-Match", "If-None-Match" -> {
          String etag = task == null ? null : etag(task);
          yield etag == null ? etag(a.plain) : etag;
        }
        case "Idempotency-Key" -> a.idempotencyKey;
        default -> throw new AssertionError("the sweep has no value for header parameter " + name);
      };
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A's ETags by task, as A read them (none for a trashed task). */
  private static final Map<String, java.util.Optional<String>> ETAGS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static String etag(String task) throws Exception {
    java.util.Optional<String> etag = ETAGS.get(task);
    if (etag == null) {
      etag = java.util.Optional.ofNullable(a.etag(task));
      ETAGS.put(task, etag);
    }
    return etag.orElse(null);
  }

  /** The same values with A's ids and secrets replaced by ones that name nothing. */
  private static Map<String, String> unknown(Map<String, String> values) {
    Map<String, String> unknown = new LinkedHashMap<>();
    values.forEach(
        (name, value) -> {
          if (a.ids().contains(value)) {
            unknown.put(name, UUID.randomUUID().toString());
          } else if (name.equals("feed")) {
            byte[] secret = new byte[32];
            new java.security.SecureRandom().nextBytes(secret);
            unknown.put(
                name, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + ".ics");
          } else {
            unknown.put(name, value);
          }
        });
    return unknown;
  }

  private static void check(
      Expect expect, Call call, HttpResponse<String> response, List<String> failures) {
    int status = response.statusCode();
    if (status >= 500) {
      failures.add("a 5xx: " + describe(call, response));
    }
    for (String marker : a.markers()) {
      if (!call.mentions(marker)
          && (response.body().contains(marker)
              || response.headers().map().toString().contains(marker))) {
        failures.add("reveals A's " + marker + ": " + describe(call, response));
      }
    }
    response
        .headers()
        .firstValue("Idempotent-Replayed")
        .ifPresent(replayed -> failures.add("a replayed answer: " + describe(call, response)));
    switch (expect) {
      case NOT_FOUND -> {
        if (status != 404 || !"not-found".equals(problemType(response))) {
          failures.add("not the 404 of an unknown id: " + describe(call, response));
        }
      }
      case OWN -> {
        if (status < 200 || status > 299) {
          failures.add("B's own request failed: " + describe(call, response));
        }
      }
      case EACH_NOT_FOUND -> {
        boolean each = status == 200;
        if (each) {
          for (Object item : new JsonObject(response.body()).getJsonArray("items")) {
            JsonObject result = (JsonObject) item;
            each &= result.getInteger("status") == 404 && !result.containsKey("task");
          }
        }
        if (!each) {
          failures.add("not a 404 for each of A's ids: " + describe(call, response));
        }
      }
    }
  }

  /** Whether two refusals say the same, apart from the ids in them and the request id. */
  private static boolean sameProblem(
      Call call, HttpResponse<String> response, Call unknown, HttpResponse<String> twin) {
    return response.statusCode() == twin.statusCode()
        && normalized(call, response).equals(normalized(unknown, twin));
  }

  private static String normalized(Call call, HttpResponse<String> response) {
    if (!response.body().startsWith("{")) {
      return response.body();
    }
    JsonObject problem = new JsonObject(response.body());
    problem.remove("requestId");
    problem.remove("instance");
    String text = problem.encode();
    for (String part : call.path().split("/")) {
      String value = java.net.URLDecoder.decode(part, java.nio.charset.StandardCharsets.UTF_8);
      if (value.length() > 8) {
        text = text.replace(value, "{value}");
      }
    }
    return text;
  }

  private static HttpResponse<String> send(Call call, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(system.uri(call.path()))
            .timeout(Duration.ofSeconds(10))
            .method(
                call.method(),
                call.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(call.body()));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (call.contentType() != null) {
      request.header("Content-Type", call.contentType());
    }
    call.headers().forEach(request::header);
    return system.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String problemType(HttpResponse<String> response) {
    if (!response
        .headers()
        .firstValue("Content-Type")
        .orElse("")
        .startsWith("application/problem+json")) {
      return null;
    }
    String type = new JsonObject(response.body()).getString("type", "");
    return type.substring(type.lastIndexOf('/') + 1);
  }

  private static String describe(Call call, HttpResponse<String> response) {
    String body = response.body();
    return call
        + " -> "
        + response.statusCode()
        + " "
        + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
  }

  /** Every combination of the path parameters' values, in a stable order. */
  private static List<Map<String, String>> combinations(Map<String, List<String>> values) {
    List<Map<String, String>> combinations = new ArrayList<>();
    combinations.add(new LinkedHashMap<>());
    for (String name : new java.util.TreeSet<>(values.keySet())) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : combinations) {
        for (String value : values.get(name)) {
          Map<String, String> more = new LinkedHashMap<>(partial);
          more.put(name, value);
          next.add(more);
        }
      }
      combinations = next;
    }
    return combinations;
  }

  private static Set<String> ids(List<Operation> operations) {
    Set<String> ids = new LinkedHashSet<>();
    operations.forEach(op -> ids.add(op.id()));
    return ids;
  }

  private static List<String> singletonNull() {
    List<String> none = new ArrayList<>();
    none.add(null);
    return none;
  }

  private static String fresh() {
    return b + "-" + FRESH.incrementAndGet();
  }
}
