package io.taskbus.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
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
    checkStrict(body);
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

  /**
   * What is acknowledged is what is stored: Vert.x's own decoder accepts comments and lets a
   * repeated key win silently, and PostgreSQL cannot store a NUL in text, nor can UTF-8 carry a
   * lone surrogate (it became '?'). Such a body is a 400 naming the field; nothing is written.
   */
  private static void checkStrict(Buffer body) {
    try (JsonParser parser = STRICT.createParser(body.getBytes())) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
          String problem = StorableText.problem(parser.getText());
          if (problem != null) {
            throw Violations.of(field(parser.getParsingContext().pathAsPointer()), problem);
          }
        }
      }
    } catch (JsonParseException e) {
      String message = String.valueOf(e.getOriginalMessage());
      throw new ApiException(
          400,
          "malformed-json",
          "Malformed JSON",
          message.startsWith("Duplicate field")
              ? "The request body repeats a key: " + message
              : "The request body is not valid JSON");
    } catch (java.io.IOException e) {
      throw new ApiException(
          400, "malformed-json", "Malformed JSON", "The request body is not valid JSON");
    }
  }

  /** {@code /tags/0} as {@code tags[0]}, {@code /recurrence/rule} as {@code recurrence.rule}. */
  private static String field(JsonPointer pointer) {
    StringBuilder out = new StringBuilder();
    for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
      if (p.mayMatchElement()) {
        out.append('[').append(p.getMatchingIndex()).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".")
            .append(StorableText.visible(p.getMatchingProperty()));
      }
    }
    return out.length() == 0 ? "body" : out.toString();
  }

  private static final JsonFactory STRICT =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private Bodies() {}
}
