package io.taskbus.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

final class Responses {

  static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

  private Responses() {}
}
