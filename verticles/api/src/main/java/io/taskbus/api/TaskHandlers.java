package io.taskbus.api;

import io.taskbus.contracts.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** The task endpoints. Every query is scoped to the authenticated user: others' tasks are 404s. */
final class TaskHandlers {

  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 200;

  private final TaskRepository tasks;
  private final EventBus bus;

  TaskHandlers(TaskRepository tasks, EventBus bus) {
    this.tasks = tasks;
    this.bus = bus;
  }

  void create(RoutingContext ctx) {
    TaskInput input = TaskInput.forCreate(Bodies.jsonObject(ctx));
    tasks.create(user(ctx), ctx.get(RequestIds.KEY), input).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(Databases.translate(ar.cause()));
        return;
      }
      ctx.response().setStatusCode(201)
          .putHeader("Location", ctx.request().path() + "/" + ar.result().getString("id"));
      Responses.json(ctx, ar.result());
    });
  }

  void get(RoutingContext ctx) {
    respond(ctx, tasks.find(user(ctx), taskId(ctx)));
  }

  void list(RoutingContext ctx) {
    int limit = limit(ctx);
    String cursor = ctx.queryParams().get("cursor");
    tasks.list(user(ctx), limit, cursor == null ? null : Cursor.decode(cursor)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(Databases.translate(ar.cause()));
        return;
      }
      String next = ar.result().next() == null ? null : ar.result().next().encode();
      if (next != null) {
        ctx.response().putHeader("Link",
            "<" + ctx.request().path() + "?limit=" + limit + "&cursor=" + next + ">; rel=\"next\"");
      }
      Responses.json(ctx, new JsonObject().put("items", ar.result().items()).put("nextCursor", next));
    });
  }

  void complete(RoutingContext ctx) {
    respond(ctx, tasks.complete(user(ctx), taskId(ctx), ctx.get(RequestIds.KEY)));
  }

  void delete(RoutingContext ctx) {
    tasks.delete(user(ctx), taskId(ctx), ctx.get(RequestIds.KEY)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(Databases.translate(ar.cause()));
      } else if (ar.result() == null) {
        ctx.fail(ApiException.notFound("task"));
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  /** The task's events, oldest first, from the audit log (which lags commits by a moment). */
  void history(RoutingContext ctx) {
    String userId = user(ctx);
    UUID id = taskId(ctx);
    tasks.existsEvenDeleted(userId, id).compose(exists -> {
      if (!exists) {
        return Future.failedFuture(ApiException.notFound("task"));
      }
      JsonObject query = new JsonObject().put("userId", userId).put("taskId", id.toString());
      return bus.<JsonObject>request(Addresses.AUDIT_HISTORY, query,
          new DeliveryOptions().setSendTimeout(5_000));
    }).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(Databases.translate(ar.cause()));
      } else {
        Responses.json(ctx, ar.result().body().put("nextCursor", null));
      }
    });
  }

  private void respond(RoutingContext ctx, Future<JsonObject> task) {
    task.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(Databases.translate(ar.cause()));
      } else if (ar.result() == null) {
        ctx.fail(ApiException.notFound("task"));
      } else {
        Responses.json(ctx, ar.result());
      }
    });
  }

  static String user(RoutingContext ctx) {
    return ctx.user().subject();
  }

  /** A malformed id cannot name a task, so it is a 404 like any unknown id. */
  private static UUID taskId(RoutingContext ctx) {
    UUID id = Uuids.parse(ctx.pathParam("id"));
    if (id == null) {
      throw ApiException.notFound("task");
    }
    return id;
  }

  private static int limit(RoutingContext ctx) {
    String text = ctx.queryParams().get("limit");
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // falls through to the same answer as an out-of-range number
    }
    throw new ApiException(400, "validation-failed", "Validation Failed",
        "limit must be an integer from 1 to " + MAX_LIMIT);
  }
}
