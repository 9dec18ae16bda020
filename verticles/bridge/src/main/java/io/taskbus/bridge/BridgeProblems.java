package io.taskbus.bridge;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The bridge's refusals as RFC 9457 problem documents, like the API's. */
final class BridgeProblems {

  static void send(RoutingContext ctx, int status, String slug, String title, String detail) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/problem+json")
        .end(
            new JsonObject()
                .put("type", "https://taskbus.io/problems/" + slug)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .toBuffer());
  }

  private BridgeProblems() {}
}
