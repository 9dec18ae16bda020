package io.taskbus.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Defaults from {@code conf/taskbus.yaml} in the jar, then an optional file named by
 * {@code TASKBUS_CONFIG}, then {@code TASKBUS_*} environment variables, then {@code taskbus.*}
 * system properties. Read before Vert.x exists, because whether it is clustered is configuration.
 * Environment names cannot nest, so each is matched against the known key paths with dots and
 * underscores ignored: only documented keys can be set, and a typo is reported, not ignored.
 */
public final class ConfigLoader {

  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  private static final String ENV_PREFIX = "TASKBUS_";
  private static final String PROP_PREFIX = "taskbus.";

  public static JsonObject load(Map<String, String> env, Properties props) {
    JsonObject config = readYaml(ConfigLoader.class.getResourceAsStream("/conf/taskbus.yaml"));
    String file = props.getProperty(PROP_PREFIX + "config", env.get(ENV_PREFIX + "CONFIG"));
    if (file != null && !file.isBlank()) {
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        config.mergeIn(readYaml(in), true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read config file " + file, e);
      }
    }
    List<String> paths = leafPaths(config, "", new ArrayList<>());
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && !name.equals(ENV_PREFIX + "CONFIG")) {
        String wanted = normalise(name.substring(ENV_PREFIX.length()));
        paths.stream().filter(p -> normalise(p).equals(wanted)).findFirst().ifPresentOrElse(
            p -> set(config, p, value),
            () -> log.warn("ignoring {}: no configuration key matches it", name));
      }
    });
    props.stringPropertyNames().stream()
        .filter(n -> n.startsWith(PROP_PREFIX) && !n.equals(PROP_PREFIX + "config"))
        .filter(n -> !n.startsWith("taskbus.devstack."))
        .forEach(n -> set(config, n.substring(PROP_PREFIX.length()), props.getProperty(n)));
    return config;
  }

  /** Sets a dotted path, converting the text to the type of the default it replaces. */
  public static void set(JsonObject config, String path, String text) {
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
    Object current = node.getValue(key);
    Object value;
    if (current instanceof Boolean) {
      value = Boolean.parseBoolean(text.trim());
    } else if (current instanceof Integer) {
      value = Integer.parseInt(text.trim());
    } else if (current instanceof Long) {
      value = Long.parseLong(text.trim());
    } else if (current instanceof JsonArray) {
      value = new JsonArray(text);
    } else {
      value = text.isEmpty() ? null : text;
    }
    node.put(key, value);
  }

  private static JsonObject readYaml(InputStream in) {
    if (in == null) {
      throw new IllegalStateException("conf/taskbus.yaml is missing from the classpath");
    }
    Object parsed = new Yaml().load(in);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = parsed == null ? Map.of() : (Map<String, Object>) parsed;
    return new JsonObject(map).copy();
  }

  private static List<String> leafPaths(JsonObject node, String prefix, List<String> out) {
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

  private static String normalise(String name) {
    return name.replace("_", "").replace(".", "").toLowerCase(Locale.ROOT);
  }

  private ConfigLoader() {}
}
