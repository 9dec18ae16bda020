package io.taskbus.api;

import io.taskbus.contracts.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A task's history and the caller's audit trail, both answered by the audit verticle (which lags a
 * commit by the moment the event takes through Kafka).
 */
final class AuditHandlers {

  private static final String OWNS = "SELECT 1 FROM tasks WHERE id = $1 AND user_id = $2";
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);

  private final UserDb db;
  private final EventBus bus;

  AuditHandlers(UserDb db, EventBus bus) {
    this.db = db;
    this.bus = bus;
  }

  /** Oldest first; the task may be live or in the trash, but must be the caller's. */
  void history(RoutingContext ctx) {
    String user = TaskHandlers.user(ctx);
    UUID id = TaskHandlers.taskId(ctx);
    db.tx(user, conn -> conn.preparedQuery(OWNS).execute(io.vertx.sqlclient.Tuple.of(id, user)))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(ApiException.notFound("task"));
              }
              JsonObject query = new JsonObject().put("userId", user).put("taskId", id.toString());
              return bus.<JsonObject>request(Addresses.AUDIT_HISTORY, query, ASK);
            })
        .onComplete(ar -> reply(ctx, ar));
  }

  /** The caller's events, newest first, filtered by task, type and time range. */
  void audit(RoutingContext ctx) {
    var params = ctx.queryParams();
    Violations v = new Violations();
    JsonObject query =
        new JsonObject()
            .put("userId", TaskHandlers.user(ctx))
            .put("limit", TaskQuery.limit(params.get("limit"), v));
    String task = params.get("taskId");
    if (task != null) {
      if (Uuids.parse(task) == null) {
        v.add("taskId", "must be a task id");
      }
      query.put("taskId", task);
    }
    var types = TaskQuery.many(params, "type");
    if (!types.isEmpty()) {
      query.put("types", new JsonArray(types));
    }
    instant(params.get("since"), "since", query, v);
    instant(params.get("until"), "until", query, v);
    String cursor = params.get("cursor");
    if (cursor != null) {
      // an event id fits a long; 19 digits may not, and such a cursor reached the audit verticle,
      // failed to parse there unanswered, and was a 503 after the bus timeout instead of a 400
      if (!cursor.matches("[0-9]{1,18}")) {
        v.add("cursor", "is not a cursor this API issued");
      }
      query.put("before", cursor);
    }
    v.throwIfAny();
    bus.<JsonObject>request(Addresses.AUDIT_QUERY, query, ASK).onComplete(ar -> reply(ctx, ar));
  }

  private static void instant(String text, String name, JsonObject query, Violations v) {
    if (text != null) {
      try {
        query.put(name, OffsetDateTime.parse(text).toInstant().toString());
      } catch (DateTimeException e) {
        v.add(name, "must be a date-time with an offset, like 2026-11-21T09:00:00Z");
      }
    }
  }

  private static void reply(
      RoutingContext ctx,
      io.vertx.core.AsyncResult<io.vertx.core.eventbus.Message<JsonObject>> ar) {
    if (ar.failed()) {
      ctx.fail(Databases.translate(ar.cause()));
    } else {
      JsonObject body = ar.result().body();
      Responses.json(
          ctx,
          new JsonObject()
              .put("items", body.getJsonArray("items"))
              .put("nextCursor", body.getString("nextCursor")));
    }
  }
}
