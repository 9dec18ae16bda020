package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The served AsyncAPI document is one self-contained file with the JSON Schemas inside. */
class AsyncApiDocumentTest {

  static final JsonObject SERVED = parse(AsyncApiDocument.load().text().toString());

  @Test
  void everyReferenceStaysInsideTheDocumentAndResolves() {
    List<String> refs = new ArrayList<>();
    collect(SERVED, refs);
    assertTrue(refs.size() > 50, "refs: " + refs.size());
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/"), "an outside reference is left: " + ref);
      assertNotNull(resolve(ref), "does not resolve: " + ref);
    }
  }

  @Test
  void theSchemasAreTheJsonSchemaFilesDefinitions() throws IOException {
    JsonObject schemas = SERVED.getJsonObject("components").getJsonObject("schemas");
    for (String file : List.of("task-events", "bridge")) {
      JsonObject source = json("schemas/" + file + ".json");
      JsonObject defs = source.getJsonObject("$defs");
      for (String def : defs.fieldNames()) {
        assertEquals(inDocument(defs.getJsonObject(def)), schemas.getJsonObject(def).encode(), def);
      }
      assertEquals(
          inDocument(source.getJsonArray("oneOf")),
          schemas.getJsonObject(file).getJsonArray("oneOf").encode());
    }
    assertEquals(
        "#/components/schemas/task-events",
        schemas
            .getJsonObject("liveTaskFrame")
            .getJsonObject("properties")
            .getJsonObject("body")
            .getString("$ref"));
    assertEquals(
        "#/components/schemas/reminder.due",
        SERVED
            .getJsonObject("components")
            .getJsonObject("messages")
            .getJsonObject("reminderDue")
            .getJsonObject("payload")
            .getString("$ref"));
  }

  /** A schema file's part with its references written as the served document has them. */
  private static String inDocument(Object schema) {
    String json = schema instanceof JsonObject o ? o.encode() : ((JsonArray) schema).encode();
    return json.replace("task-events.json#/$defs/", "#/$defs/")
        .replace("\"task-events.json\"", "\"#/components/schemas/task-events\"")
        .replace("#/$defs/", "#/components/schemas/");
  }

  @Test
  void theSourceRefersToEachFileByWhereItsIdSaysItIs() throws IOException {
    URI base = URI.create("https://taskbus.io/" + AsyncApiDocument.RESOURCE);
    for (String file : List.of("task-events", "bridge")) {
      String path = "schemas/" + file + ".json";
      assertEquals(
          base.resolve("../" + path).toString(), json(path).getString("$id"), "$id of " + path);
    }
    assertEquals("https://taskbus.io/asyncapi/taskbus-events", SERVED.getString("id"));
  }

  private static void collect(Object node, List<String> refs) {
    if (node instanceof JsonObject object) {
      object.forEach(
          e -> {
            if (e.getKey().equals("$ref")) {
              refs.add((String) e.getValue());
            } else {
              collect(e.getValue(), refs);
            }
          });
    } else if (node instanceof JsonArray array) {
      array.forEach(item -> collect(item, refs));
    }
  }

  private static Object resolve(String ref) {
    Object node = SERVED;
    for (String part : ref.substring(2).split("/")) {
      String name = part.replace("~1", "/").replace("~0", "~");
      node = node instanceof JsonObject object ? object.getValue(name) : null;
    }
    return node;
  }

  private static JsonObject parse(String yaml) {
    Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return new JsonObject(map).copy();
  }

  private static JsonObject json(String resource) throws IOException {
    try (InputStream in =
        AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
