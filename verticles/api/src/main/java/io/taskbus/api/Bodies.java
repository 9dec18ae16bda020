package io.taskbus.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Reads JSON bodies, turning every way one can be wrong into a clear 4xx. */
final class Bodies {

  private static final Pattern JSON_TYPE =
      Pattern.compile(
          "application/(merge-patch\\+)?json\\s*(;\\s*charset\\s*=\\s*\"?utf-8\"?\\s*)?",
          Pattern.CASE_INSENSITIVE);

  /** Deeper than any task body needs; stops stack-hungry documents early. */
  private static final int MAX_DEPTH = 32;

  static JsonObject object(RoutingContext ctx) {
    if (!(value(ctx) instanceof JsonObject object)) {
      throw Violations.of("body", "must be a JSON object");
    }
    return object;
  }

  static JsonArray array(RoutingContext ctx) {
    if (!(value(ctx) instanceof JsonArray array)) {
      throw Violations.of("body", "must be a JSON array");
    }
    return array;
  }

  private static Object value(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !JSON_TYPE.matcher(type.strip()).matches()) {
      throw Problems.forStatus(415);
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiException.badRequest("A JSON body is required");
    }
    checkUtf8(body);
    checkDepth(body);
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new ApiException(
          400, "malformed-json", "Malformed JSON", "The request body is not valid JSON");
    }
  }

  /** JSON text is UTF-8 (RFC 8259); silently replacing bad bytes would store garbage. */
  private static void checkUtf8(Buffer body) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body.getBytes()));
    } catch (CharacterCodingException e) {
      throw new ApiException(
          400, "malformed-json", "Malformed JSON", "The request body is not valid UTF-8");
    }
  }

  private static void checkDepth(Buffer body) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > MAX_DEPTH) {
          throw ApiException.badRequest("The JSON body nests deeper than " + MAX_DEPTH + " levels");
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
  }

  private Bodies() {}
}
