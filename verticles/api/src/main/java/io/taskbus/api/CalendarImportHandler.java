package io.taskbus.api;

import io.taskbus.api.TaskService.Change;
import io.taskbus.api.TaskService.Place;
import io.taskbus.contracts.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code POST /tasks.ics}: the VTODOs of an iCalendar document become tasks, all or none. The
 * document is read off the event loop ({@link CalendarImport}), every task is checked by the rules
 * of a create and its rule by the rules engine (before the transaction, as a create does), and only
 * when every component can be imported are they all created in one transaction, each with its
 * {@code task.created} event exactly as {@code POST /tasks} writes it (a completed one then with
 * its {@code task.completed}). Otherwise a 422 names every component that cannot be imported and
 * why.
 */
final class CalendarImportHandler {

  private static final Pattern CALENDAR_TYPE =
      Pattern.compile(
          "text/calendar\\s*(;\\s*charset\\s*=\\s*\"?utf-8\"?\\s*)?(;.*)?",
          Pattern.CASE_INSENSITIVE);
  private static final ZoneId UTC = ZoneId.of("UTC");

  private final TaskHandlers tasks;
  private final SeriesRules rules;
  private final TaskService service = new TaskService();

  CalendarImportHandler(TaskHandlers tasks, SeriesRules rules) {
    this.tasks = tasks;
    this.rules = rules;
  }

  /** A draft and the task it becomes once checked. */
  private record Checked(CalendarImport.Draft draft, Task task) {}

  void handle(RoutingContext ctx) {
    String text = body(ctx);
    ZoneId zone = zone(ctx.queryParams().get("tz"));
    ctx.vertx()
        .executeBlocking(() -> CalendarImport.read(text, zone), false)
        .compose(this::check)
        .onComplete(
            checked -> {
              if (checked.failed()) {
                ctx.fail(Databases.translate(checked.cause()));
                return;
              }
              tasks.writeReply(
                  ctx,
                  conn ->
                      create(
                              conn,
                              TaskHandlers.user(ctx),
                              TaskHandlers.requestId(ctx),
                              checked.result().tasks())
                          .map(created -> Reply.of(201, answer(checked.result(), created))));
            });
  }

  private record Plan(CalendarImport.Result read, List<Checked> tasks) {}

  /** Every draft through the rules of a create, then its rule through the rules engine. */
  private Future<Plan> check(CalendarImport.Result read) {
    Violations problems = read.problems();
    Instant now = TaskService.now();
    List<Checked> checked = new ArrayList<>();
    for (CalendarImport.Draft draft : read.drafts()) {
      try {
        checked.add(new Checked(draft, TaskChanges.create(draft.body(), now)));
      } catch (ApiException invalid) {
        addAll(problems, draft, invalid);
      }
    }
    List<Checked> resolved = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Checked c : checked) {
      chain =
          chain.compose(
              done ->
                  rules
                      .resolve(c.task())
                      .map(task -> resolved.add(new Checked(c.draft(), task)))
                      .recover(
                          e -> {
                            if (e instanceof ApiException invalid && invalid.status() == 400) {
                              addAll(problems, c.draft(), invalid);
                              return Future.succeededFuture();
                            }
                            return Future.failedFuture(e);
                          })
                      .mapEmpty());
    }
    return chain.map(
        done -> {
          if (!problems.isEmpty()) {
            throw new ApiException(
                422,
                "calendar-not-importable",
                "Unprocessable Content",
                "Nothing was imported: "
                    + problems.size()
                    + " problem(s) in the document's components; "
                    + problems.toException().getMessage(),
                problems.errors());
          }
          return new Plan(read, resolved);
        });
  }

  /** One transaction: each task as a create writes it, a completed one then completed. */
  private Future<List<Task>> create(
      SqlConnection conn, String user, String requestId, List<Checked> checked) {
    List<Task> created = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Checked c : checked) {
      chain =
          chain.compose(
              done ->
                  service
                      .create(conn, user, requestId, c.task())
                      .compose(
                          task ->
                              c.draft().completedAt() == null
                                  ? Future.succeededFuture(task)
                                  : service.change(
                                      conn,
                                      user,
                                      task.id(),
                                      null,
                                      requestId,
                                      Place.LIVE,
                                      t ->
                                          new Change(
                                              t.withState(true, c.draft().completedAt()),
                                              EventTypes.TASK_COMPLETED)))
                      .map(created::add)
                      .mapEmpty());
    }
    return chain.map(created);
  }

  private static JsonObject answer(Plan plan, List<Task> created) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < created.size(); i++) {
      CalendarImport.Draft draft = plan.tasks().get(i).draft();
      items.add(
          new JsonObject()
              .put("index", draft.indexes().get(0))
              .put("uid", draft.uid())
              .put("taskId", created.get(i).id().toString()));
    }
    JsonArray history = new JsonArray();
    for (CalendarImport.History h : plan.read().history()) {
      history.add(
          new JsonObject().put("index", h.index()).put("uid", h.uid()).put("status", h.status()));
    }
    return new JsonObject().put("items", items).put("history", history).put("nextCursor", null);
  }

  /** A create's field errors, named by the iCalendar property they came from. */
  private static void addAll(Violations problems, CalendarImport.Draft draft, ApiException e) {
    int index = draft.indexes().get(0);
    JsonArray errors = e.errors() == null ? new JsonArray() : e.errors();
    if (errors.isEmpty()) {
      errors.add(new JsonObject().put("field", "task").put("message", e.getMessage()));
    }
    for (Object item : errors) {
      JsonObject error = (JsonObject) item;
      String property = property(error.getString("field"));
      problems.add(
          "items[" + index + "]." + property,
          error.getString("message"),
          new JsonObject().put("index", index).put("uid", draft.uid()).put("property", property));
    }
  }

  private static String property(String field) {
    if (field.startsWith("recurrence.exceptions")) {
      return "EXDATE";
    }
    if (field.startsWith("recurrence")) {
      return "RRULE";
    }
    if (field.startsWith("reminders")) {
      return "VALARM";
    }
    return switch (field) {
      case "title" -> "SUMMARY";
      case "description" -> "DESCRIPTION";
      case "priority" -> "PRIORITY";
      case "tags" -> "CATEGORIES";
      case "dueDate", "dueAt", "timeZone", "start" -> "DUE";
      default -> field;
    };
  }

  /** The body as text: iCalendar in UTF-8 (RFC 5545), nothing PostgreSQL could not store. */
  private static String body(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !CALENDAR_TYPE.matcher(type.strip()).matches()) {
      throw new ApiException(
          415,
          "unsupported-media-type",
          "Unsupported Media Type",
          "The request body must be text/calendar (UTF-8)");
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiException.badRequest("An iCalendar body is required");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body.getBytes()))
              .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("The body is not valid UTF-8");
    }
    String problem = StorableText.problem(text);
    if (problem != null) {
      throw Violations.of("body", problem);
    }
    return text;
  }

  /** Where floating times are, and the zone of tasks due in UTC: {@code tz}, default UTC. */
  private static ZoneId zone(String tz) {
    if (tz == null) {
      return UTC;
    }
    String zone = TaskFields.timeZone(tz, new Violations());
    if (zone == null) {
      throw Violations.of("tz", "must be an IANA time zone such as Europe/Berlin");
    }
    return ZoneId.of(zone);
  }
}
