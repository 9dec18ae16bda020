package io.taskbus.bridge;

import static io.taskbus.contracts.ConfigValues.decimal;
import static io.taskbus.contracts.ConfigValues.integer;
import static io.taskbus.contracts.ConfigValues.longValue;
import static io.taskbus.contracts.ConfigValues.optionalString;

import io.vertx.core.json.JsonObject;

/** The {@code bridge} section of the configuration, typed; its defaults are in the YAML only. */
record BridgeSettings(
    String allowedOrigins,
    double messagesPerSecond,
    double messageBurst,
    int maxRegistrations,
    int writeQueueBytes,
    int maxFrameBytes,
    long pingTimeoutMs,
    long heartbeatMs) {

  static BridgeSettings from(JsonObject bridge) {
    return new BridgeSettings(
        optionalString(bridge, "allowedOrigins"),
        decimal(bridge, "messagesPerSecond"),
        decimal(bridge, "messageBurst"),
        integer(bridge, "maxRegistrations"),
        integer(bridge, "writeQueueBytes"),
        integer(bridge, "maxFrameBytes"),
        longValue(bridge, "pingTimeoutMs"),
        longValue(bridge, "heartbeatMs"));
  }
}
