package io.taskbus.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Reads one value of a configuration section, for the typed settings record each module keeps. A
 * missing or mistyped value fails loudly: the defaults live in {@code conf/taskbus.yaml} only,
 * never repeated in code, so a key that is not there is a mistake, not a default.
 */
public final class ConfigValues {

  public static String string(JsonObject section, String key) {
    return required(section, key, String.class);
  }

  /** A string that may be null (an unset server, secret or URL). */
  public static String optionalString(JsonObject section, String key) {
    Object value = section.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw wrong(key, "string", value);
    }
    return (String) value;
  }

  public static int integer(JsonObject section, String key) {
    return required(section, key, Number.class).intValue();
  }

  public static long longValue(JsonObject section, String key) {
    return required(section, key, Number.class).longValue();
  }

  public static double decimal(JsonObject section, String key) {
    return required(section, key, Number.class).doubleValue();
  }

  public static boolean bool(JsonObject section, String key) {
    return required(section, key, Boolean.class);
  }

  public static JsonArray list(JsonObject section, String key) {
    return required(section, key, JsonArray.class);
  }

  public static JsonObject section(JsonObject parent, String key) {
    return required(parent, key, JsonObject.class);
  }

  private static <T> T required(JsonObject section, String key, Class<T> type) {
    Object value = section.getValue(key);
    if (!type.isInstance(value)) {
      throw wrong(key, type.getSimpleName().toLowerCase(Locale.ROOT), value);
    }
    return type.cast(value);
  }

  private static IllegalArgumentException wrong(String key, String type, Object value) {
    return new IllegalArgumentException(
        "configuration key "
            + key
            + " must be a "
            + type
            + (value == null ? " and is missing" : ", not " + value));
  }

  private ConfigValues() {}
}
