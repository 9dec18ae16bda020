package io.taskbus.app;

import io.taskbus.api.RateLimiter;
import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.ConfigValues;
import io.vertx.config.ConfigRetriever;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration's stores again every {@code reload.scanPeriodMs} (a Kubernetes ConfigMap
 * update rewrites the mounted {@code TASKBUS_CONFIG} file). What can change safely while running
 * takes effect at once: log levels, the API's rate limits, the notification settings. Any other
 * change is reported as waiting for a restart, and the running process keeps its old value.
 */
final class ConfigReload {

  private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

  /** Key paths (a prefix ends with a dot) that take effect without a restart. */
  /** What log4j2.xml's layout arbiter reads. */
  static final String FORMAT_PROPERTY = "taskbus.logging.format";

  static final List<String> LIVE =
      List.of("logging.", "api.rateLimitPerSecond", "api.rateLimitBurst", "notification.");

  private final ConfigRetriever retriever;
  private final Vertx vertx;
  private final RateLimiter rateLimiter;

  /** The configuration as read at start, then as last changed: what the process runs on. */
  private JsonObject running;

  private ConfigReload(
      ConfigRetriever retriever, Vertx vertx, RateLimiter rateLimiter, JsonObject loaded) {
    this.retriever = retriever;
    this.vertx = vertx;
    this.rateLimiter = rateLimiter;
    this.running = loaded;
  }

  /**
   * Null when {@code reload.scanPeriodMs} is 0: the configuration is read once.
   *
   * @param loaded the configuration as {@link ConfigLoader#load} read it, before anything set at
   *     start (the embedded servers' addresses) was added
   */
  static ConfigReload start(
      Vertx vertx,
      Map<String, String> env,
      Properties props,
      JsonObject loaded,
      RateLimiter rateLimiter) {
    long every = ConfigValues.longValue(ConfigValues.section(loaded, "reload"), "scanPeriodMs");
    if (every <= 0) {
      return null;
    }
    ConfigRetriever retriever = ConfigLoader.retriever(vertx, env, props, every);
    ConfigReload reload = new ConfigReload(retriever, vertx, rateLimiter, loaded.copy());
    // the retriever's first scan compares with nothing: each scan is compared with what runs
    retriever.listen(change -> reload.changed(change.getNewConfiguration()));
    return reload;
  }

  private void changed(JsonObject next) {
    List<String> changed = ConfigLoader.changedPaths(running, next);
    if (changed.isEmpty()) {
      return;
    }
    List<String> live = changed.stream().filter(ConfigReload::isLive).toList();
    List<String> later = changed.stream().filter(p -> !isLive(p)).toList();
    if (!later.isEmpty()) {
      log.warn("configuration changed: {} take effect after a restart", later);
    }
    running = next;
    if (live.isEmpty()) {
      return;
    }
    try {
      logLevels(next);
      rateLimiter.update(next);
    } catch (IllegalArgumentException e) {
      log.warn("configuration change not applied: {}", e.getMessage());
      return;
    }
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, next);
    log.info("configuration changed: {} applied", live);
  }

  /**
   * {@code logging.level} for taskbus's own loggers, {@code logging.rootLevel} for the rest; unset,
   * the logging configuration file's levels stay.
   */
  static void logLevels(JsonObject config) {
    JsonObject logging = ConfigValues.section(config, "logging");
    logFormat(ConfigValues.string(logging, "format"));
    String own = ConfigValues.optionalString(logging, "level");
    String root = ConfigValues.optionalString(logging, "rootLevel");
    Level ownLevel = own == null ? null : level(own);
    Level rootLevel = root == null ? null : level(root);
    if (ownLevel != null) {
      Configurator.setLevel("io.taskbus", ownLevel);
    }
    if (rootLevel != null) {
      Configurator.setRootLevel(rootLevel);
    }
  }

  /**
   * Switches the console between text and JSON lines: log4j2.xml picks its layout by the system
   * property, read when the configuration is (re)loaded, so a change reloads it (and its levels,
   * which {@link #logLevels} sets again right after).
   */
  private static void logFormat(String format) {
    String wanted = format.trim().toLowerCase(java.util.Locale.ROOT);
    if (!wanted.equals("text") && !wanted.equals("json")) {
      throw new IllegalArgumentException("logging.format must be text or json, not " + format);
    }
    if (!wanted.equals(System.getProperty(FORMAT_PROPERTY, "text"))) {
      System.setProperty(FORMAT_PROPERTY, wanted);
      ((LoggerContext) LogManager.getContext(false)).reconfigure();
    }
  }

  private static Level level(String name) {
    Level level = Level.getLevel(name.trim().toUpperCase(java.util.Locale.ROOT));
    if (level == null) {
      throw new IllegalArgumentException("unknown log level " + name);
    }
    return level;
  }

  static boolean isLive(String path) {
    return LIVE.stream().anyMatch(p -> p.endsWith(".") ? path.startsWith(p) : path.equals(p));
  }

  void close() {
    retriever.close();
  }
}
