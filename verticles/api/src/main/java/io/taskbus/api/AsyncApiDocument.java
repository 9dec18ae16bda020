package io.taskbus.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The AsyncAPI document of the events (Kafka topics and bridge addresses), served at {@code GET
 * /api/v1/asyncapi.yaml} as one self-contained document. The source in the contracts jar refers to
 * the events' JSON Schema files ({@code schemas/*.json}, the one definition of every payload); this
 * puts each file's {@code $defs} under {@code components.schemas} by the same names (a file's root
 * by the file's name) and points every reference there, so the schemas cannot drift apart and a
 * client needs no second request to read the document.
 */
public final class AsyncApiDocument {

  public static final String RESOURCE = "asyncapi/taskbus-events.yaml";
  private static final String COMPONENTS_SCHEMAS = "#/components/schemas/";
  private static final String DEFS = "#/$defs/";

  private final Buffer text;

  private AsyncApiDocument(Buffer text) {
    this.text = text;
  }

  public static AsyncApiDocument load() {
    JsonObject document = bundle(yaml(read(RESOURCE)));
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setWidth(100);
    options.setDereferenceAliases(true);
    String yaml = new Yaml(new Representer(options), options).dump(plain(document));
    return new AsyncApiDocument(Buffer.buffer(yaml, "UTF-8"));
  }

  /** The bundled document as YAML. */
  public Buffer text() {
    return text;
  }

  /** {@code document} with every schema file it refers to inlined under components.schemas. */
  static JsonObject bundle(JsonObject document) {
    JsonObject schemas = new JsonObject();
    Deque<String> pending = new ArrayDeque<>();
    Map<String, Boolean> seen = new HashMap<>();
    rewrite(document, RESOURCE, pending);
    while (!pending.isEmpty()) {
      String file = pending.pop();
      if (seen.put(file, Boolean.TRUE) != null) {
        continue;
      }
      JsonObject schema = new JsonObject(read(file));
      JsonObject defs = (JsonObject) schema.remove("$defs");
      schema.remove("$schema");
      schema.remove("$id");
      add(schemas, name(file), rewrite(schema, file, pending));
      if (defs != null) {
        for (String def : defs.fieldNames()) {
          add(schemas, def, rewrite(defs.getJsonObject(def), file, pending));
        }
      }
    }
    JsonObject components = document.getJsonObject("components");
    if (components == null) {
      components = new JsonObject();
      document.put("components", components);
    }
    JsonObject own = components.getJsonObject("schemas", new JsonObject());
    for (String name : own.fieldNames()) {
      add(schemas, name, own.getValue(name));
    }
    components.put("schemas", schemas);
    return document;
  }

  /**
   * Points each reference of {@code node} (read from resource {@code from}) into
   * components.schemas, queueing the files it names.
   */
  private static JsonObject rewrite(JsonObject node, String from, Deque<String> pending) {
    for (String key : node.fieldNames()) {
      Object value = node.getValue(key);
      if (key.equals("$ref") && value instanceof String ref) {
        node.put(key, target(ref, from, pending));
      } else if (value instanceof JsonObject child) {
        rewrite(child, from, pending);
      } else if (value instanceof JsonArray array) {
        for (Object item : array) {
          if (item instanceof JsonObject child) {
            rewrite(child, from, pending);
          }
        }
      }
    }
    return node;
  }

  private static String target(String ref, String from, Deque<String> pending) {
    int hash = ref.indexOf('#');
    String path = hash < 0 ? ref : ref.substring(0, hash);
    String fragment = hash < 0 ? "" : ref.substring(hash);
    if (path.isEmpty() && !from.endsWith(".json")) {
      return ref; // a reference inside the AsyncAPI document itself
    }
    String file = path.isEmpty() ? from : URI.create(from).resolve(path).toString();
    if (!path.isEmpty()) {
      pending.add(file);
    }
    if (fragment.isEmpty() || fragment.equals("#")) {
      return COMPONENTS_SCHEMAS + name(file);
    }
    if (!fragment.startsWith(DEFS) || fragment.indexOf('/', DEFS.length()) >= 0) {
      throw new IllegalStateException(
          "only a schema file or one of its $defs can be referred to: " + ref + " in " + from);
    }
    return COMPONENTS_SCHEMAS + fragment.substring(DEFS.length());
  }

  private static void add(JsonObject schemas, String name, Object schema) {
    Object before = schemas.getValue(name);
    if (before != null && !before.equals(schema)) {
      throw new IllegalStateException("two schemas are named " + name);
    }
    schemas.put(name, schema);
  }

  /** The component name of a schema file's root: its file name without {@code .json}. */
  private static String name(String file) {
    String base = file.substring(file.lastIndexOf('/') + 1);
    return base.endsWith(".json") ? base.substring(0, base.length() - 5) : base;
  }

  private static JsonObject yaml(String text) {
    Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    return new JsonObject(map).copy();
  }

  /** Plain maps and lists for the YAML writer, which does not know JsonObject. */
  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new java.util.LinkedHashMap<>();
      object.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
      return map;
    }
    if (value instanceof JsonArray array) {
      java.util.List<Object> list = new java.util.ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    return value;
  }

  private static String read(String resource) {
    try (InputStream in = AsyncApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
