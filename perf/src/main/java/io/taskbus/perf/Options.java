package io.taskbus.perf;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} command-line options with defaults; unknown names are an error. */
final class Options {

  static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("base-url", "http://127.0.0.1:8080");
    DEFAULTS.put("users", "20");
    DEFAULTS.put("connections", "32");
    DEFAULTS.put("warmup", "5");
    DEFAULTS.put("warmup-max", "0");
    DEFAULTS.put("hold", "");
    DEFAULTS.put("rewarm", "10");
    DEFAULTS.put("max-duration", "20");
    DEFAULTS.put("open-duration", "20");
    DEFAULTS.put("open-warmup", "10");
    DEFAULTS.put("rate", "0");
    DEFAULTS.put("rate-fraction", "0.5");
    DEFAULTS.put("event-timeout", "5");
    DEFAULTS.put("ping-interval", "20");
    DEFAULTS.put("pgbench-out", "");
    DEFAULTS.put("pgbench-log-prefix", "");
    DEFAULTS.put("pgbench-schema", "");
    DEFAULTS.put("pgbench-cpu", "");
    DEFAULTS.put("pgbench-cpu-file", "");
    DEFAULTS.put("label", "");
  }

  private final Map<String, String> values;

  /** A defaults map from name, value pairs (in order: the order of the usage text). */
  static Map<String, String> defaults(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /** Parses, or prints the usage (every option with its default) and exits 2. */
  static Options parseOrExit(String[] args, Map<String, String> defaults) {
    try {
      return new Options(args, defaults);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return null;
    }
  }

  /** The create scenario's options ({@link #DEFAULTS}). */
  Options(String[] args) {
    this(args, DEFAULTS);
  }

  /** Options with their defaults: {@code defaults} names every option there is. */
  Options(String[] args, Map<String, String> defaults) {
    values = new LinkedHashMap<>(defaults);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || !defaults.containsKey(arg.substring(2)) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + arg
            + "\noptions (with defaults): " + defaults);
      }
      values.put(arg.substring(2), args[++i]);
    }
  }

  String string(String name) {
    return values.get(name);
  }

  int integer(String name) {
    return Integer.parseInt(values.get(name).trim());
  }

  long longValue(String name) {
    return Long.parseLong(values.get(name).trim());
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(values.get(name).trim());
  }

  double number(String name) {
    return Double.parseDouble(values.get(name).trim());
  }
}
