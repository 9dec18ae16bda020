package io.taskbus.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /sync?since=<seq>}: every change of the caller after a sequence number, in order, for
 * a client that missed pushes. Each task appears once with its state after its latest change (a
 * task in the trash has {@code deletedAt}); a task purged for good is a tombstone. The newest
 * sequence number is read first, so nothing committed meanwhile can fall between the answer and the
 * pushes that follow it: the client continues from {@code seq} and drops pushes at or below it.
 */
final class SyncHandler {

  static final int DEFAULT_LIMIT = 500;
  static final int MAX_LIMIT = 1000;
  private static final String NEWEST = "SELECT seq FROM users WHERE id = $1";
  private static final String TASKS =
      "SELECT "
          + Task.COLUMNS
          + ", change_seq FROM tasks"
          + " WHERE user_id = $1 AND change_seq > $2 ORDER BY change_seq LIMIT $3";
  private static final String TOMBSTONES =
      "SELECT task_id, seq FROM task_tombstones"
          + " WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";

  private final UserDb db;

  SyncHandler(UserDb db) {
    this.db = db;
  }

  void handle(RoutingContext ctx) {
    Violations v = new Violations();
    long since = since(ctx.queryParams().get("since"), v);
    int limit = TaskQuery.limit(ctx.queryParams().get("limit"), DEFAULT_LIMIT, MAX_LIMIT, v);
    v.throwIfAny();
    String user = TaskHandlers.user(ctx);
    db.tx(
            user,
            conn ->
                conn.preparedQuery(NEWEST)
                    .execute(Tuple.of(user))
                    .compose(
                        newest -> {
                          long seq =
                              newest.size() == 0 ? 0 : newest.iterator().next().getLong("seq");
                          Tuple params = Tuple.of(user, since, limit + 1);
                          return Future.all(
                                  conn.preparedQuery(TASKS).execute(params),
                                  conn.preparedQuery(TOMBSTONES).execute(params))
                              .map(all -> answer(all.resultAt(0), all.resultAt(1), limit, seq));
                        }))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(Databases.translate(ar.cause()));
              } else {
                Responses.json(ctx, ar.result());
              }
            });
  }

  private static JsonObject answer(
      Iterable<Row> tasks, Iterable<Row> tombstones, int limit, long newest) {
    List<JsonObject> changes = new ArrayList<>();
    for (Row row : tasks) {
      changes.add(
          new JsonObject()
              .put("seq", row.getLong("change_seq"))
              .put("task", Task.fromRow(row).toJson()));
    }
    for (Row row : tombstones) {
      changes.add(
          new JsonObject()
              .put("seq", row.getLong("seq"))
              .put("taskId", row.getUUID("task_id").toString())
              .put("purged", true));
    }
    changes.sort((a, b) -> Long.compare(a.getLong("seq"), b.getLong("seq")));
    boolean more = changes.size() > limit;
    JsonArray items = new JsonArray(more ? changes.subList(0, limit) : changes);
    long last = items.isEmpty() ? 0 : items.getJsonObject(items.size() - 1).getLong("seq");
    return new JsonObject()
        .put("items", items)
        .put("nextCursor", more ? Long.toString(last) : null)
        .put("seq", more ? last : Math.max(newest, last));
  }

  private static long since(String text, Violations v) {
    if (text == null) {
      return 0;
    }
    try {
      long since = Long.parseLong(text);
      if (since >= 0) {
        return since;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    v.add("since", "must be a sequence number (0 or more)");
    return 0;
  }
}
