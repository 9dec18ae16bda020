package io.taskbus.recurrence;

import static io.taskbus.contracts.ConfigValues.integer;
import static io.taskbus.contracts.ConfigValues.longValue;

import io.vertx.core.json.JsonObject;

/** The {@code timers} section of the configuration, typed; its defaults are in the YAML only. */
record TimerSettings(long intervalMs, int batchSize, int graceSeconds) {

  static TimerSettings from(JsonObject timers) {
    return new TimerSettings(
        longValue(timers, "intervalMs"),
        integer(timers, "batchSize"),
        integer(timers, "graceSeconds"));
  }
}
