package io.taskbus.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Malformed and hostile requests for every operation of an OpenAPI document, derived from the
 * document itself (paths, methods, parameters, request body schemas), so a new operation is
 * attacked without a line written for it. Seeded: the same seed gives the same requests.
 *
 * <p>Each request starts from a value the schema allows and breaks one thing: a field of the wrong
 * type, a string too long or full of what databases and parsers choke on (NUL, a lone surrogate,
 * control and bidi characters, SQL, path traversal, template injection), numbers out of range,
 * missing or unknown fields, deep nesting, JSON that is not (comments, duplicate keys, truncated,
 * invalid UTF-8), the wrong media type, hostile path and query parameters, odd headers.
 */
final class HostileRequests {

  record Request(
      String operation,
      String method,
      String path,
      Map<String, String> headers,
      String contentType,
      byte[] body) {

    @Override
    public String toString() {
      String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
      return operation
          + ": "
          + method
          + " "
          + (path.length() > 300 ? path.substring(0, 300) + "…(" + path.length() + ")" : path)
          + " "
          + headers
          + (contentType == null ? "" : " [" + contentType + "] ")
          + (text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + ")" : text);
    }
  }

  private record Operation(
      String id, String method, String path, List<JsonObject> parameters, JsonObject body) {}

  /** Strings that have broken some server somewhere. */
  private static final List<String> NASTY =
      List.of(
          "a\u0000b",
          "\u0000",
          "a\ud800b",
          "\udfff",
          "\u202eevil\u202c",
          "\u0007\u001b[31m\r\n",
          "' OR 1=1 --",
          "'; DROP TABLE tasks; --",
          "\") OR (\"1\"=\"1",
          "../../../../etc/passwd",
          "..%2f..%2fetc%2fpasswd",
          "%00",
          "${jndi:ldap://127.0.0.1:1/a}",
          "{{7*7}}",
          "<script>alert(1)</script>",
          "\ufeff",
          "🙂".repeat(50),
          "x".repeat(70_000),
          "",
          " ",
          "null",
          "NaN",
          "-1",
          "9223372036854775808",
          "1e309",
          "2026-13-45T25:61:61Z",
          "P99999999999Y",
          "FREQ=SECONDLY;INTERVAL=1",
          "Etc/../../../etc/passwd",
          "\\u0000");

  private static final List<Object> NASTY_NUMBERS =
      List.of(-1, 0, Integer.MAX_VALUE, Long.MIN_VALUE, 1.5, -0.0, 1e308);

  private final JsonObject document;
  private final Random random;
  private final List<Operation> operations = new ArrayList<>();
  private final Map<String, String> knownIds;

  /**
   * @param knownIds values for path parameters by name (e.g. the victim's task id for {@code id}),
   *     used in about half the requests, so isolation is attacked as well as parsing
   */
  HostileRequests(JsonObject document, long seed, Map<String, String> knownIds) {
    this.document = document;
    this.random = new Random(seed);
    this.knownIds = knownIds;
    String base = "/api/v1";
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      List<JsonObject> shared = parameters(item.getJsonArray("parameters"));
      for (String method : List.of("get", "post", "put", "patch", "delete")) {
        JsonObject op = item.getJsonObject(method);
        if (op == null) {
          continue;
        }
        List<JsonObject> params = new ArrayList<>(shared);
        params.addAll(parameters(op.getJsonArray("parameters")));
        JsonObject body = op.getJsonObject("requestBody");
        operations.add(
            new Operation(
                op.getString("operationId", method + " " + path),
                method.toUpperCase(java.util.Locale.ROOT),
                base + path,
                params,
                body == null ? null : resolve(body)));
      }
    }
  }

  int operationCount() {
    return operations.size();
  }

  /** The next request, cycling through every operation in turn. */
  Request next(int n) {
    Operation op = operations.get(n % operations.size());
    Map<String, String> headers = new LinkedHashMap<>();
    StringBuilder query = new StringBuilder();
    String path = op.path();
    boolean broken = false;
    for (JsonObject param : op.parameters()) {
      String name = param.getString("name");
      JsonObject schema = resolve(param.getJsonObject("schema", new JsonObject()));
      boolean hostile = random.nextInt(3) == 0;
      broken |= hostile;
      String value = hostile ? nastyText() : text(valid(schema, 0));
      switch (param.getString("in")) {
        case "path" -> {
          if (!hostile && knownIds.containsKey(name) && random.nextBoolean()) {
            value = knownIds.get(name);
          }
          path = path.replace("{" + name + "}", encode(value.isEmpty() ? "x" : value));
        }
        case "query" -> {
          if (hostile || random.nextBoolean()) {
            query
                .append(query.length() == 0 ? '?' : '&')
                .append(name)
                .append('=')
                .append(encode(value));
          }
        }
        case "header" -> headers.put(name, headerSafe(value));
        default -> {}
      }
    }
    if (random.nextInt(8) == 0) {
      query.append(query.length() == 0 ? '?' : '&').append("unknown=").append(encode(nastyText()));
    }
    if (random.nextInt(10) == 0) {
      headers.put("If-Match", headerSafe(pick(List.of("\"x\"", "*", "W/\"1\"", nastyText()))));
    }
    String contentType = null;
    byte[] body = null;
    if (op.body() != null) {
      JsonObject content = op.body().getJsonObject("content", new JsonObject());
      contentType = content.fieldNames().iterator().next();
      JsonObject schema =
          resolve(content.getJsonObject(contentType).getJsonObject("schema", new JsonObject()));
      if (!broken || random.nextBoolean()) {
        body = hostileBody(schema);
        int twist = random.nextInt(12);
        if (twist == 0) {
          contentType =
              pick(
                  List.of(
                      "text/plain",
                      "application/xml",
                      "application/x-www-form-urlencoded",
                      "multipart/form-data; boundary=x"));
        } else if (twist == 1) {
          contentType = null;
        }
      } else {
        body = new JsonObject(asMap(valid(schema, 0))).toBuffer().getBytes();
      }
    } else if (random.nextInt(10) == 0) {
      contentType = "application/json";
      body = "{\"unexpected\":\"body\"}".getBytes(StandardCharsets.UTF_8);
    }
    return new Request(op.id(), op.method(), path + query, headers, contentType, body);
  }

  /** A body for a JSON schema with exactly one kind of damage. */
  private byte[] hostileBody(JsonObject schema) {
    Object valid = valid(schema, 0);
    String json =
        valid instanceof JsonObject o
            ? o.encode()
            : String.valueOf(new JsonArray().add(valid).encode());
    switch (random.nextInt(14)) {
      case 0: // a field of the wrong type
      case 1: // a field with a nasty value
      case 2:
        if (valid instanceof JsonObject object && schema.containsKey("properties")) {
          List<String> names = new ArrayList<>(schema.getJsonObject("properties").fieldNames());
          String name = pick(names);
          JsonObject broken = object.copy();
          Object value =
              random.nextBoolean()
                  ? wrongType(resolve(schema.getJsonObject("properties").getJsonObject(name)))
                  : (random.nextBoolean() ? nastyText() : pick(NASTY_NUMBERS));
          broken.put(name, value);
          return broken.toBuffer().getBytes();
        }
        return json.getBytes(StandardCharsets.UTF_8);
      case 3: // a required field missing, or an unknown one
        if (valid instanceof JsonObject object) {
          JsonObject broken = object.copy();
          if (!broken.isEmpty() && random.nextBoolean()) {
            broken.remove(pick(new ArrayList<>(broken.fieldNames())));
          } else {
            broken
                .put("isAdmin", true)
                .put("userId", "someone-else")
                .put("__proto__", new JsonObject());
          }
          return broken.toBuffer().getBytes();
        }
        return "{}".getBytes(StandardCharsets.UTF_8);
      case 4: // deep nesting
        int depth = pick(List.of(100, 2_000, 20_000));
        return ("{\"title\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
            .getBytes(StandardCharsets.UTF_8);
      case 5: // truncated
        return json.substring(0, Math.max(1, json.length() / 2)).getBytes(StandardCharsets.UTF_8);
      case 6: // comments, duplicate keys, trailing commas, single quotes
        return pick(List.of(
                "/* c */" + json,
                json.replaceFirst("\\{", "{\"title\":\"a\",\"title\":\"b\","),
                json.replaceFirst("}$", ",}"),
                json.replace('"', '\'')))
            .getBytes(StandardCharsets.UTF_8);
      case 7: // not UTF-8
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[utf8.length + 2];
        System.arraycopy(utf8, 0, bad, 0, Math.min(2, utf8.length));
        bad[2] = (byte) 0xC3;
        bad[3] = (byte) 0x28;
        System.arraycopy(utf8, 2, bad, 4, utf8.length - 2);
        return bad;
      case 8: // JSON, but not an object
        return pick(List.of("[]", "null", "\"x\"", "1", "true", "[" + json + "]", ""))
            .getBytes(StandardCharsets.UTF_8);
      case 9: // lone surrogate and NUL escapes where a string goes
        return json.replaceFirst(":\"", ":\"\\ud800\\u0000").getBytes(StandardCharsets.UTF_8);
      case 10: // numbers JSON allows and Java does not
        return json.replaceFirst(":\"[^\"]*\"", ":1e999999").getBytes(StandardCharsets.UTF_8);
      case 11: // too big
        return ("{\"title\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
      default: // valid for the schema: the request is hostile elsewhere, or not at all
        return json.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A value the schema allows (or close to it: formats are guessed). */
  private Object valid(JsonObject schema, int depth) {
    schema = resolve(schema);
    if (schema.containsKey("enum")) {
      return pick(schema.getJsonArray("enum").getList());
    }
    for (String choice : List.of("oneOf", "anyOf")) {
      if (schema.containsKey(choice)) {
        return valid(schema.getJsonArray(choice).getJsonObject(0), depth + 1);
      }
    }
    if (schema.containsKey("allOf")) {
      JsonObject merged = new JsonObject();
      for (Object part : schema.getJsonArray("allOf")) {
        Object value = valid((JsonObject) part, depth + 1);
        if (value instanceof JsonObject o) {
          merged.mergeIn(o);
        }
      }
      return merged;
    }
    String type = type(schema);
    switch (type) {
      case "object":
        JsonObject object = new JsonObject();
        if (depth < 4) {
          JsonObject properties = schema.getJsonObject("properties", new JsonObject());
          JsonArray required = schema.getJsonArray("required", new JsonArray());
          for (String name : properties.fieldNames()) {
            if (required.contains(name) || random.nextInt(3) == 0) {
              object.put(name, valid(properties.getJsonObject(name), depth + 1));
            }
          }
        }
        return object;
      case "array":
        JsonArray array = new JsonArray();
        if (depth < 4 && schema.containsKey("items") && random.nextBoolean()) {
          array.add(valid(schema.getJsonObject("items"), depth + 1));
        }
        return array;
      case "integer":
        return schema.getInteger("minimum", 1);
      case "number":
        return 1.0;
      case "boolean":
        return random.nextBoolean();
      case "null":
        return null;
      default:
        String format = schema.getString("format", "");
        return switch (format) {
          case "date-time" -> "2030-03-10T10:00:00Z";
          case "date" -> "2030-03-10";
          case "uuid" -> java.util.UUID.randomUUID().toString();
          case "email" -> "someone@example.com";
          case "duration" -> "PT1H";
          default -> "hostile test";
        };
    }
  }

  private Object wrongType(JsonObject schema) {
    return switch (type(resolve(schema))) {
      case "string" -> pick(List.of(1, true, new JsonObject(), new JsonArray().add("x")));
      case "integer", "number" -> pick(List.of("1", true, new JsonArray(), 1.5, "1e3"));
      case "boolean" -> pick(List.of("true", 1, new JsonObject()));
      case "array" -> pick(List.of("a,b", new JsonObject().put("0", "a"), 1));
      default -> pick(List.of("x", 1, new JsonArray()));
    };
  }

  private static String type(JsonObject schema) {
    Object type = schema.getValue("type");
    if (type instanceof JsonArray types) {
      for (Object t : types) {
        if (!"null".equals(t)) {
          return (String) t;
        }
      }
      return "null";
    }
    if (type == null) {
      return schema.containsKey("properties") ? "object" : "string";
    }
    return (String) type;
  }

  private JsonObject resolve(JsonObject node) {
    int hops = 0;
    while (node != null && node.containsKey("$ref") && hops++ < 10) {
      JsonObject target = document;
      for (String part : node.getString("$ref").substring(2).split("/")) {
        target = target.getJsonObject(part);
      }
      node = target;
    }
    return node == null ? new JsonObject() : node;
  }

  private List<JsonObject> parameters(JsonArray list) {
    List<JsonObject> out = new ArrayList<>();
    if (list != null) {
      list.forEach(p -> out.add(resolve((JsonObject) p)));
    }
    return out;
  }

  private String nastyText() {
    return pick(NASTY);
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return value instanceof JsonObject o ? o.getMap() : Map.of("value", value == null ? "" : value);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** What an HTTP client will put in a header: no line breaks or controls, bounded. */
  private static String headerSafe(String value) {
    String clean = value.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() > 8_000 ? clean.substring(0, 8_000) : clean.isEmpty() ? "x" : clean;
  }
}
