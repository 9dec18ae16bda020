package io.taskbus.api;

import io.taskbus.api.TaskService.Place;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** The task endpoints. Every query is scoped to the authenticated user: others' tasks are 404s. */
final class TaskHandlers {

  private static final String TRASH =
      "SELECT "
          + Task.COLUMNS
          + ", deleted_at::text AS sort_key"
          + " FROM tasks WHERE user_id = $1 AND deleted_at IS NOT NULL";

  private static final String SERIES =
      "SELECT "
          + Task.COLUMNS
          + " FROM tasks"
          + " WHERE user_id = $1 AND series_id = $2 ORDER BY occurrence, created_at LIMIT 1000";

  private final UserDb db;
  private final SeriesRules rules;

  /** How often a change is prepared again when its task changed meanwhile, before a 409. */
  private static final int CHANGED_WHILE_ASKING_TRIES = 3;

  private final TaskService service = new TaskService();

  TaskHandlers(UserDb db, SeriesRules rules) {
    this.db = db;
    this.rules = rules;
  }

  void create(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    Task draft = TaskChanges.create(body, TaskService.now());
    // the rules engine is asked before the transaction: no connection waits on the bus
    rules
        .resolve(draft)
        .onComplete(
            resolved -> {
              if (resolved.failed()) {
                ctx.fail(Databases.translate(resolved.cause()));
                return;
              }
              writeReply(
                  ctx,
                  conn ->
                      service
                          .create(conn, user(ctx), requestId(ctx), resolved.result())
                          .map(
                              created ->
                                  Reply.created(
                                      created, ctx.request().path() + "/" + created.id())));
            });
  }

  /**
   * Every occurrence of the task's series so far (completed ones are its history), oldest first.
   */
  void series(RoutingContext ctx) {
    UUID id = taskId(ctx);
    db.tx(
            user(ctx),
            conn ->
                service
                    .get(conn, user(ctx), id)
                    .compose(
                        task ->
                            task.series() == null
                                ? Future.succeededFuture(List.of(task))
                                : conn.preparedQuery(SERIES)
                                    .execute(Tuple.of(user(ctx), task.series().id()))
                                    .map(
                                        rows -> {
                                          List<Task> items = new ArrayList<>(rows.size());
                                          rows.forEach(row -> items.add(Task.fromRow(row)));
                                          return items;
                                        })))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(Databases.translate(ar.cause()));
              } else {
                Responses.json(ctx, TaskJson.page(ar.result(), null));
              }
            });
  }

  /** Upcoming occurrences of a recurring task: {@code from} (date or date-time), {@code limit}. */
  void occurrences(RoutingContext ctx) {
    UUID id = taskId(ctx);
    Violations v = new Violations();
    int limit = TaskQuery.limit(ctx.queryParams().get("limit"), v);
    v.throwIfAny();
    db.tx(user(ctx), conn -> service.get(conn, user(ctx), id))
        .compose(
            task -> {
              if (task.series() == null) {
                return Future.failedFuture(
                    new ApiException(
                        409,
                        "not-recurring",
                        "Conflict",
                        "This task does not recur; give it a recurrence first"));
              }
              return rules.preview(task, ctx.queryParams().get("from"), Math.min(limit, 100));
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(Databases.translate(ar.cause()));
              } else {
                Responses.json(
                    ctx,
                    new JsonObject()
                        .put("items", ar.result().getJsonArray("occurrences"))
                        .put("nextCursor", null));
              }
            });
  }

  /** Closes the open occurrence as skipped; the series goes on with the next one, once. */
  void skip(RoutingContext ctx) {
    change(ctx, Place.LIVE, TaskService::skip);
  }

  /**
   * Skips, moves or restores one future occurrence of the task's series (an exception kept in its
   * recurrence; the rest of the series is untouched). {@code id} is the open occurrence.
   */
  void changeOccurrence(RoutingContext ctx, String action) {
    UUID id = taskId(ctx);
    String start = ctx.pathParam("start");
    String to = "move".equals(action) ? moveTarget(Bodies.object(ctx)) : null;
    changeWithRules(
        ctx,
        id,
        t -> {
          Task.Series series = t.series();
          if (series == null) {
            throw new ApiException(
                409,
                "not-recurring",
                "Conflict",
                "This task does not recur; give it a recurrence first");
          }
          if (t.completed()) {
            throw new ApiException(
                409,
                "occurrence-closed",
                "Conflict",
                "This occurrence is closed; change the series through its open occurrence");
          }
          return rules
              .exception(t, start, action, to)
              .map(
                  recurrence ->
                      TaskService.update(
                          t.withSeries(
                              new Task.Series(
                                  recurrence, series.id(), series.start(), series.occurrence()))));
        });
  }

  private static String moveTarget(JsonObject body) {
    Violations v = new Violations();
    for (String field : body.fieldNames()) {
      if (!field.equals("to")) {
        v.add(field, "is not a field here; send {\"to\": the new date or date-time}");
      }
    }
    if (!(body.getValue("to") instanceof String)) {
      v.add("to", "is required: the new date (all-day series) or date-time with offset");
    }
    v.throwIfAny();
    return body.getString("to");
  }

  /** The caller's live tasks as iCalendar VTODOs (see {@link CalendarExport}). */
  void calendar(RoutingContext ctx) {
    CalendarDocument.of(db, ctx.vertx(), rules, user(ctx))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(Databases.translate(ar.cause()));
              } else {
                CalendarDocument.send(ctx, ar.result());
              }
            });
  }

  void get(RoutingContext ctx) {
    UUID id = taskId(ctx);
    db.tx(user(ctx), conn -> service.get(conn, user(ctx), id))
        .onComplete(
            ar -> {
              if (ar.succeeded() && ETags.notModified(ctx, ar.result().etag())) {
                return;
              }
              send(ctx, ar.map(Reply::ok));
            });
  }

  void patch(RoutingContext ctx) {
    JsonObject patch = Bodies.object(ctx);
    changeWithRules(
        ctx, taskId(ctx), t -> rules.resolve(TaskChanges.patch(t, patch)).map(TaskService::update));
  }

  /**
   * A change of a live task that needs the rules engine's answer. The engine is asked about the
   * task as read, outside any transaction (a slow or missing recurrence verticle must not hold a
   * connection and a row lock); the change is then written only if the task is still that version,
   * and asked again otherwise.
   */
  private void changeWithRules(
      RoutingContext ctx, UUID id, Function<Task, Future<TaskService.Change>> ask) {
    askThenWrite(ctx, id, ask, CHANGED_WHILE_ASKING_TRIES);
  }

  private void askThenWrite(
      RoutingContext ctx, UUID id, Function<Task, Future<TaskService.Change>> ask, int tries) {
    String user = user(ctx);
    String ifMatch = ctx.request().getHeader("If-Match");
    db.tx(user, conn -> service.get(conn, user, id))
        .compose(
            seen -> {
              ETags.checkIfMatch(ifMatch, seen);
              return ask.apply(seen).map(change -> new Asked(seen.etag(), change));
            })
        .onComplete(
            asked -> {
              if (asked.failed()) {
                ctx.fail(Databases.translate(asked.cause()));
                return;
              }
              write(
                      ctx,
                      conn ->
                          service
                              .change(
                                  conn,
                                  user,
                                  id,
                                  ifMatch,
                                  requestId(ctx),
                                  Place.LIVE,
                                  before -> {
                                    if (!before.etag().equals(asked.result().etag())) {
                                      throw new ChangedWhileAsking();
                                    }
                                    return asked.result().change();
                                  })
                              .map(Reply::ok))
                  .onComplete(
                      written -> {
                        if (written.failed() && written.cause() instanceof ChangedWhileAsking) {
                          if (tries > 1) {
                            askThenWrite(ctx, id, ask, tries - 1);
                          } else {
                            ctx.fail(
                                new ApiException(
                                    409,
                                    "busy-task",
                                    "Conflict",
                                    "The task kept changing while this change was prepared; retry"));
                          }
                          return;
                        }
                        send(ctx, written);
                      });
            });
  }

  /** The rules engine's answer about one version of a task. */
  private record Asked(String etag, TaskService.Change change) {}

  /** The task changed between the question and the write: ask again about the new version. */
  private static final class ChangedWhileAsking extends RuntimeException {
    ChangedWhileAsking() {
      super("the task changed while the rules engine was asked", null, false, false);
    }
  }

  void replaceTags(RoutingContext ctx) {
    Violations v = new Violations();
    List<String> tags = TaskFields.tags(Bodies.array(ctx), "tags", v);
    v.throwIfAny();
    change(ctx, Place.LIVE, t -> TaskService.update(t.withTags(tags)));
  }

  void complete(RoutingContext ctx) {
    change(ctx, Place.LIVE, TaskService::complete);
  }

  void reopen(RoutingContext ctx) {
    change(ctx, Place.LIVE, TaskService::reopen);
  }

  void restore(RoutingContext ctx) {
    change(ctx, Place.TRASH, TaskService::restore);
  }

  void delete(RoutingContext ctx) {
    UUID id = taskId(ctx);
    String ifMatch = ctx.request().getHeader("If-Match");
    db.tx(
            user(ctx),
            conn ->
                service.change(
                    conn, user(ctx), id, ifMatch, requestId(ctx), Place.LIVE, TaskService::trash))
        .onComplete(Responses.noContent(ctx));
  }

  void list(RoutingContext ctx) {
    TaskQuery query = TaskQuery.parse(user(ctx), ctx.queryParams(), TaskService.now());
    page(ctx, query.sql, query.params, query.limit, query.sort, query.order);
  }

  void trash(RoutingContext ctx) {
    Violations v = new Violations();
    int limit = TaskQuery.limit(ctx.queryParams().get("limit"), v);
    v.throwIfAny();
    List<Object> params = new ArrayList<>(List.of(user(ctx)));
    String sql = TRASH;
    String cursor = ctx.queryParams().get("cursor");
    if (cursor != null) {
      ListCursor after = ListCursor.decode(cursor, "deleted", "desc");
      sql += " AND (deleted_at, id) < ($2::text::timestamptz, $3)";
      params.add(after.key());
      params.add(after.id());
    }
    params.add(limit + 1);
    sql += " ORDER BY deleted_at DESC, id DESC LIMIT $" + params.size();
    page(ctx, sql, params, limit, "deleted", "desc");
  }

  /** A keyset page: one row more than asked tells whether a next page exists. */
  private void page(
      RoutingContext ctx, String sql, List<Object> params, int limit, String sort, String order) {
    db.read(user(ctx), sql, Tuple.from(params))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(Databases.translate(ar.cause()));
                return;
              }
              List<Task> items = new ArrayList<>(Math.min(limit, ar.result().size()));
              String next = null;
              Row last = null;
              for (Row row : ar.result()) {
                if (items.size() == limit) {
                  next =
                      new ListCursor(sort, order, last.getString("sort_key"), last.getUUID("id"))
                          .encode();
                  break;
                }
                items.add(Task.fromRow(row));
                last = row;
              }
              if (next != null) {
                ctx.response().putHeader("Link", "<" + nextLink(ctx, next) + ">; rel=\"next\"");
              }
              Responses.json(ctx, TaskJson.page(items, next));
            });
  }

  private static String nextLink(RoutingContext ctx, String cursor) {
    StringBuilder link = new StringBuilder(ctx.request().path()).append("?");
    ctx.queryParams()
        .forEach(
            (name, value) -> {
              if (!name.equals("cursor")) {
                link.append(Responses.urlEncode(name))
                    .append('=')
                    .append(Responses.urlEncode(value))
                    .append('&');
              }
            });
    return link.append("cursor=").append(cursor).toString();
  }

  private void change(
      RoutingContext ctx, Place place, Function<Task, TaskService.Change> operation) {
    UUID id = taskId(ctx);
    String ifMatch = ctx.request().getHeader("If-Match");
    writeReply(
        ctx,
        conn ->
            service
                .change(conn, user(ctx), id, ifMatch, requestId(ctx), place, operation)
                .map(Reply::ok));
  }

  /** A write in the user's transaction, answered; POSTs honour {@code Idempotency-Key}. */
  void writeReply(RoutingContext ctx, Function<SqlConnection, Future<Reply>> operation) {
    write(ctx, operation).onComplete(ar -> send(ctx, ar));
  }

  private Future<Reply> write(
      RoutingContext ctx, Function<SqlConnection, Future<Reply>> operation) {
    String user = user(ctx);
    boolean post = ctx.request().method().name().equals("POST");
    String key = post ? ctx.request().getHeader(Idempotency.HEADER) : null;
    String hash =
        key == null ? null : Idempotency.hash("POST", ctx.request().path(), ctx.body().buffer());
    return db.tx(user, conn -> Idempotency.run(conn, user, key, hash, () -> operation.apply(conn)));
  }

  static void send(RoutingContext ctx, AsyncResult<Reply> result) {
    if (result.failed()) {
      ctx.fail(Databases.translate(result.cause()));
      return;
    }
    Reply reply = result.result();
    HttpServerResponse response = ctx.response().setStatusCode(reply.status());
    if (reply.location() != null) {
      response.putHeader("Location", reply.location());
    }
    if (reply.etag() != null) {
      response.putHeader("ETag", reply.etag());
    }
    if (reply.replayed()) {
      response.putHeader("Idempotent-Replayed", "true");
    }
    Responses.json(ctx, reply.body());
  }

  static String user(RoutingContext ctx) {
    return ctx.user().subject();
  }

  static String requestId(RoutingContext ctx) {
    return ctx.get(RequestIds.KEY);
  }

  /** A malformed id cannot name a task, so it is a 404 like any unknown id. */
  static UUID taskId(RoutingContext ctx) {
    UUID id = Uuids.parse(ctx.pathParam("id"));
    if (id == null) {
      throw ApiException.notFound("task");
    }
    return id;
  }
}
