package io.taskbus.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads a JSON object body, turning every way it can be wrong into a clear 4xx. */
final class Bodies {

  static JsonObject jsonObject(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().replace(" ", "").matches(
        "application/(merge-patch\\+)?json(;charset=utf-8)?")) {
      throw Problems.forStatus(415);
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiException.badRequest("A JSON object body is required");
    }
    Object value;
    try {
      value = io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new ApiException(400, "malformed-json", "Malformed JSON",
          "The request body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiException.badRequest("The request body must be a JSON object");
    }
    return object;
  }

  private Bodies() {}
}
