package io.taskbus.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The API's OpenAPI document: served to clients as written, and handed to the request validator in
 * the form it accepts. vertx-openapi knows only a few media types, so for the validator {@code
 * application/problem+json} responses are declared as {@code application/json} and the {@code
 * application/merge-patch+json} request of PATCH is dropped (that operation is validated by the
 * handler, which applies RFC 7396 itself), and the {@code text/calendar} answer of the calendar
 * export and request body of the calendar import are left undescribed (not JSON; the export's test
 * parses the answer as iCalendar, the import reads its body itself). Its server URL is relative
 * (the paths are under {@code /api/v1} of whatever host serves the document), and vertx-openapi
 * reads the base path only from an absolute URL.
 */
public final class OpenApiDocument {

  public static final String RESOURCE = "openapi/taskbus-v1.yaml";
  private static final String PROBLEM = "application/problem+json";
  private static final String MERGE_PATCH = "application/merge-patch+json";
  private static final String CALENDAR = "text/calendar";

  private final Buffer text;
  private final JsonObject forValidator;

  private OpenApiDocument(Buffer text, JsonObject forValidator) {
    this.text = text;
    this.forValidator = forValidator;
  }

  public static OpenApiDocument load() {
    byte[] bytes;
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> yaml =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    JsonObject document = new JsonObject(yaml).copy();
    JsonObject forValidator = adapt(document.copy());
    forValidator
        .getJsonArray("servers")
        .forEach(
            server -> {
              JsonObject s = (JsonObject) server;
              if (s.getString("url").startsWith("/")) {
                s.put("url", "http://localhost" + s.getString("url"));
              }
            });
    return new OpenApiDocument(Buffer.buffer(bytes), forValidator);
  }

  /** As written, for {@code GET /api/v1/openapi.yaml}. */
  public Buffer text() {
    return text;
  }

  /** In the form the request validator (and a test's response validator) accepts. */
  public JsonObject forValidator() {
    return forValidator;
  }

  private static JsonObject adapt(JsonObject node) {
    for (String key : node.fieldNames().toArray(new String[0])) {
      Object value = node.getValue(key);
      if (key.equals("content") && value instanceof JsonObject content) {
        if (content.containsKey(PROBLEM) && !content.containsKey("application/json")) {
          content.put("application/json", content.remove(PROBLEM));
        }
        content.remove(PROBLEM);
        content.remove(MERGE_PATCH);
        content.remove(CALENDAR);
        if (content.isEmpty()) {
          node.remove(key);
          continue;
        }
      }
      if (key.equals("requestBody")
          && value instanceof JsonObject body
          && body.getJsonObject("content") != null
          && body.getJsonObject("content").fieldNames().equals(java.util.Set.of(CALENDAR))) {
        // a calendar import's body: nothing the validator can read, so nothing for it to check
        node.remove(key);
        continue;
      }
      if (value instanceof JsonObject child) {
        adapt(child);
      } else if (value instanceof io.vertx.core.json.JsonArray array) {
        array.forEach(
            item -> {
              if (item instanceof JsonObject child) {
                adapt(child);
              }
            });
      }
    }
    return node;
  }
}
