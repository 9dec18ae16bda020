package io.taskbus.notification;

import static io.taskbus.contracts.ConfigValues.bool;
import static io.taskbus.contracts.ConfigValues.integer;
import static io.taskbus.contracts.ConfigValues.longValue;
import static io.taskbus.contracts.ConfigValues.optionalString;
import static io.taskbus.contracts.ConfigValues.section;
import static io.taskbus.contracts.ConfigValues.string;

import io.vertx.core.json.JsonObject;

/**
 * The {@code notification} section of the configuration, typed. All of it may change while taskbus
 * runs (a new mounted file): the verticle then swaps its courier's settings and, when the SMTP
 * settings changed, its mail client.
 */
record NotificationSettings(
    Smtp smtp,
    String publicUrl,
    long sweepIntervalMs,
    int batchSize,
    long leaseSeconds,
    long presenceTimeoutMs,
    long retryInitialMs,
    long retryMaxMs,
    int retryMaxAttempts) {

  /** How e-mail is sent; without a host none is. */
  record Smtp(
      String host,
      int port,
      String username,
      String password,
      String from,
      String starttls,
      boolean ssl,
      int connectTimeoutMs,
      int maxConnections,
      int idleTimeoutSeconds) {

    boolean configured() {
      return host != null && !host.isBlank();
    }
  }

  static NotificationSettings from(JsonObject notification) {
    JsonObject smtp = section(notification, "smtp");
    JsonObject retry = section(notification, "retry");
    return new NotificationSettings(
        new Smtp(
            optionalString(smtp, "host"),
            integer(smtp, "port"),
            optionalString(smtp, "username"),
            optionalString(smtp, "password"),
            string(smtp, "from"),
            string(smtp, "starttls"),
            bool(smtp, "ssl"),
            integer(smtp, "connectTimeoutMs"),
            integer(smtp, "maxConnections"),
            integer(smtp, "idleTimeoutSeconds")),
        string(notification, "publicUrl"),
        longValue(notification, "sweepIntervalMs"),
        integer(notification, "batchSize"),
        longValue(notification, "leaseSeconds"),
        longValue(notification, "presenceTimeoutMs"),
        longValue(retry, "initialMs"),
        longValue(retry, "maxMs"),
        integer(retry, "maxAttempts"));
  }

  /**
   * The pause before the next try of an e-mail that failed {@code attempts} times before this
   * failure: {@code retry.initialMs}, doubling, at most {@code retry.maxMs}.
   */
  long retryDelayMs(int attempts) {
    return Math.min(retryMaxMs, retryInitialMs << Math.min(20, Math.max(0, attempts)));
  }
}
