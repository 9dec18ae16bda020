package io.taskbus.app;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration, through vertx-config: {@code conf/taskbus.yaml} in the jar (the one place a
 * default lives), then an optional YAML file named by {@code TASKBUS_CONFIG}, then {@code
 * TASKBUS_*} environment variables, then {@code taskbus.*} system properties, each store overriding
 * the ones before it. Environment names cannot nest, so each is matched against the key paths the
 * files define with dots and underscores ignored, and converted to the type of the value it
 * replaces: only documented keys can be set, and a typo is reported, not ignored.
 */
public final class ConfigLoader {

  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  private static final String ENV_PREFIX = "TASKBUS_";
  private static final String PROP_PREFIX = "taskbus.";
  private static final String FILE_ENV = ENV_PREFIX + "CONFIG";
  private static final String FILE_PROP = PROP_PREFIX + "config";

  /** Where the environment's and the properties' overrides sit in the merged stores. */
  private static final String ENV_STORE = "$env";

  private static final String PROP_STORE = "$properties";

  /**
   * Blocking: reads the configuration once with a short-lived plain Vert.x, because whether the
   * real one is clustered is itself configuration.
   */
  public static JsonObject load(Map<String, String> env, Properties props) {
    Vertx vertx = Vertx.vertx();
    try {
      return retriever(vertx, env, props, 0).getConfig().await();
    } finally {
      vertx.close().await();
    }
  }

  /**
   * A retriever over the same stores; with {@code scanPeriodMs > 0} it reads them again that often
   * and reports what changed (a ConfigMap mounted as the {@code TASKBUS_CONFIG} file).
   */
  static ConfigRetriever retriever(
      Vertx vertx, Map<String, String> env, Properties props, long scanPeriodMs) {
    ConfigRetrieverOptions options =
        new ConfigRetrieverOptions()
            .setIncludeDefaultStores(false)
            .setScanPeriod(scanPeriodMs > 0 ? scanPeriodMs : -1)
            .addStore(yaml("conf/taskbus.yaml"));
    String file = props.getProperty(FILE_PROP, env.get(FILE_ENV));
    if (file != null && !file.isBlank()) {
      options.addStore(yaml(file));
    }
    options.addStore(flat(ENV_STORE, env, ENV_PREFIX, FILE_ENV));
    options.addStore(flat(PROP_STORE, props(props), PROP_PREFIX, FILE_PROP));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    retriever.setConfigurationProcessor(ConfigLoader::applyOverrides);
    return retriever;
  }

  private static ConfigStoreOptions yaml(String path) {
    return new ConfigStoreOptions()
        .setType("file")
        .setFormat("yaml")
        .setConfig(new JsonObject().put("path", path));
  }

  /** One store holding the overriding names as they are, under a key of its own. */
  private static ConfigStoreOptions flat(
      String key, Map<String, String> source, String prefix, String fileKey) {
    JsonObject names = new JsonObject();
    source.forEach(
        (name, value) -> {
          if (name.startsWith(prefix)
              && !name.equals(fileKey)
              && !name.startsWith(PROP_PREFIX + "devstack.")) {
            names.put(name, value);
          }
        });
    return new ConfigStoreOptions().setType("json").setConfig(new JsonObject().put(key, names));
  }

  private static Map<String, String> props(Properties props) {
    Map<String, String> out = new java.util.HashMap<>();
    props.stringPropertyNames().forEach(n -> out.put(n, props.getProperty(n)));
    return out;
  }

  /** Moves the environment's, then the properties' overrides onto the paths they name. */
  static JsonObject applyOverrides(JsonObject merged) {
    JsonObject config = merged.copy();
    JsonObject env = (JsonObject) config.remove(ENV_STORE);
    JsonObject props = (JsonObject) config.remove(PROP_STORE);
    List<String> paths = leafPaths(config, "", new ArrayList<>());
    if (env != null) {
      env.forEach(
          e -> {
            String wanted = normalise(e.getKey().substring(ENV_PREFIX.length()));
            paths.stream()
                .filter(p -> normalise(p).equals(wanted))
                .findFirst()
                .ifPresentOrElse(
                    p -> set(config, p, String.valueOf(e.getValue())),
                    () -> log.warn("ignoring {}: no configuration key matches it", e.getKey()));
          });
    }
    if (props != null) {
      props.forEach(
          p -> {
            String path = p.getKey().substring(PROP_PREFIX.length());
            if (paths.contains(path)) {
              set(config, path, String.valueOf(p.getValue()));
            } else {
              log.warn("ignoring -D{}: no configuration key matches it", p.getKey());
            }
          });
    }
    return config;
  }

  /** Sets a dotted path, converting the text to the type of the default it replaces. */
  private static void set(JsonObject config, String path, String text) {
    String[] parts = path.split("\\.");
    JsonObject node = config;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    String key = parts[parts.length - 1];
    node.put(key, typed(node.getValue(key), text));
  }

  private static Object typed(Object current, String text) {
    if (current instanceof Boolean) {
      return Boolean.parseBoolean(text.trim());
    } else if (current instanceof Integer) {
      return Integer.parseInt(text.trim());
    } else if (current instanceof Long) {
      return Long.parseLong(text.trim());
    } else if (current instanceof JsonArray) {
      return new JsonArray(text);
    }
    return text.isEmpty() ? null : text;
  }

  /** Every leaf's dotted path: the keys that exist, and so the ones that can be overridden. */
  static List<String> leafPaths(JsonObject node, String prefix, List<String> out) {
    for (String key : node.fieldNames()) {
      Object value = node.getValue(key);
      if (value instanceof JsonObject child) {
        leafPaths(child, prefix + key + ".", out);
      } else {
        out.add(prefix + key);
      }
    }
    return out;
  }

  /** The leaves whose values differ between two configurations (added and removed ones too). */
  static List<String> changedPaths(JsonObject before, JsonObject after) {
    List<String> paths = new ArrayList<>(leafPaths(after, "", new ArrayList<>()));
    leafPaths(before, "", new ArrayList<>()).stream()
        .filter(p -> !paths.contains(p))
        .forEach(paths::add);
    return paths.stream()
        .filter(p -> !java.util.Objects.equals(at(before, p), at(after, p)))
        .toList();
  }

  static Object at(JsonObject config, String path) {
    Object node = config;
    for (String part : path.split("\\.")) {
      if (!(node instanceof JsonObject object)) {
        return null;
      }
      node = object.getValue(part);
    }
    return node;
  }

  private static String normalise(String name) {
    return name.replace("_", "").replace(".", "").toLowerCase(Locale.ROOT);
  }

  private ConfigLoader() {}
}
