package io.taskbus.audit;

import static io.taskbus.contracts.ConfigValues.integer;

import io.vertx.core.json.JsonObject;

/** The {@code audit} section of the configuration, typed; its defaults are in the YAML only. */
record AuditSettings(int batchSize, int maxQueued) {

  static AuditSettings from(JsonObject audit) {
    return new AuditSettings(integer(audit, "batchSize"), integer(audit, "maxQueued"));
  }
}
