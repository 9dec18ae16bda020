package io.taskbus.kafka;

import static io.taskbus.contracts.ConfigValues.integer;
import static io.taskbus.contracts.ConfigValues.longValue;

import io.vertx.core.json.JsonObject;

/** The {@code relay} section of the configuration, typed; its defaults are in the YAML only. */
record RelaySettings(int batchSize, long pollIntervalMs, long standbyRetryMs, int shards) {

  static RelaySettings from(JsonObject relay) {
    return new RelaySettings(
        integer(relay, "batchSize"),
        longValue(relay, "pollIntervalMs"),
        longValue(relay, "standbyRetryMs"),
        integer(relay, "shards"));
  }
}
