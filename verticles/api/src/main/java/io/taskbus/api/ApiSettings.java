package io.taskbus.api;

import static io.taskbus.contracts.ConfigValues.decimal;
import static io.taskbus.contracts.ConfigValues.integer;
import static io.taskbus.contracts.ConfigValues.longValue;
import static io.taskbus.contracts.ConfigValues.optionalString;
import static io.taskbus.contracts.ConfigValues.section;

import io.vertx.core.json.JsonObject;

/**
 * What the api reads of the configuration ({@code api}, {@code http.bodyLimit} and {@code
 * pg.poolSize}), typed; the defaults are in the YAML only.
 */
record ApiSettings(
    double rateLimitPerSecond,
    double rateLimitBurst,
    int maxInFlight,
    long queueTargetMs,
    long queueIntervalMs,
    int trashRetentionDays,
    long housekeepingIntervalMs,
    int bodyLimit,
    String publicBaseUrl) {

  static ApiSettings from(JsonObject config) {
    JsonObject api = section(config, "api");
    return new ApiSettings(
        decimal(api, "rateLimitPerSecond"),
        decimal(api, "rateLimitBurst"),
        integer(api, "maxInFlight"),
        longValue(api, "queueTargetMs"),
        longValue(api, "queueIntervalMs"),
        integer(api, "trashRetentionDays"),
        longValue(api, "housekeepingIntervalMs"),
        integer(section(config, "http"), "bodyLimit"),
        optionalString(api, "publicBaseUrl"));
  }
}
