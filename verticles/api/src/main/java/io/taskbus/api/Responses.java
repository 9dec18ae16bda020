package io.taskbus.api;

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

  static String urlEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private Responses() {}
}
