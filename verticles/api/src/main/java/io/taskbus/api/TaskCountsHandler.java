package io.taskbus.api;

import io.taskbus.api.query.ViewCounts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /tasks/counts?tz=}: how many tasks each view of the task page holds, the fixed ones
 * and every saved filter, in the caller's zone. Two read-only round trips at most: the fixed counts
 * with the saved filters' texts, then (when there are any) the saved filters' counts.
 */
final class TaskCountsHandler {

  private final UserDb db;

  TaskCountsHandler(UserDb db) {
    this.db = db;
  }

  void handle(RoutingContext ctx) {
    Violations v = new Violations();
    ZoneId zone = TaskQuery.zone(ctx.queryParams().get("tz"), v);
    v.throwIfAny();
    String user = TaskHandlers.user(ctx);
    Instant now = TaskService.now();
    ViewCounts.Statement fixed = ViewCounts.fixed(user, zone, now);
    db.read(user, fixed.sql(), Tuple.from(fixed.params()))
        .compose(
            rows -> {
              Row row = rows.iterator().next();
              JsonObject counts = new JsonObject();
              for (int i = 0; i < ViewCounts.FIXED.size(); i++) {
                counts.put(ViewCounts.FIXED.get(i), row.getLong(i));
              }
              JsonArray saved = row.getJsonArray(ViewCounts.FIXED.size());
              return filterCounts(user, zone, now, saved).map(f -> counts.put("filters", f));
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(Databases.translate(ar.cause()));
              } else {
                Responses.json(ctx, ar.result());
              }
            });
  }

  /** {@code saved}: {@code [id, filter]} pairs. */
  private Future<JsonObject> filterCounts(String user, ZoneId zone, Instant now, JsonArray saved) {
    JsonObject counts = new JsonObject();
    if (saved.isEmpty()) {
      return Future.succeededFuture(counts);
    }
    List<String> texts = new ArrayList<>(saved.size());
    for (int i = 0; i < saved.size(); i++) {
      texts.add(saved.getJsonArray(i).getString(1));
    }
    ViewCounts.Statement statement = ViewCounts.filters(user, zone, now, texts);
    return db.read(user, statement.sql(), Tuple.from(statement.params()))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              for (int i = 0; i < saved.size(); i++) {
                counts.put(saved.getJsonArray(i).getString(0), row.getLong(i));
              }
              return counts;
            });
  }
}
