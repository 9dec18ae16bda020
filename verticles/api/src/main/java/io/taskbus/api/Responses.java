package io.taskbus.api;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

final class Responses {

  static void json(RoutingContext ctx, JsonObject body) {
    json(ctx, body.toBuffer());
  }

  static void json(RoutingContext ctx, Buffer body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body);
  }

  /** 204 once the work succeeded, else its failure as a problem (503 for a database away). */
  static <T> Handler<AsyncResult<T>> noContent(RoutingContext ctx) {
    return done -> {
      if (done.failed()) {
        ctx.fail(Databases.translate(done.cause()));
      } else {
        ctx.response().setStatusCode(204).end();
      }
    };
  }

  static String urlEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private Responses() {}
}
