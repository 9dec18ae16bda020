package io.taskbus.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import java.util.List;
import java.util.Set;

/**
 * The {@code /health} document: the process's roles and overall status, then one object per check
 * of {@link Readiness} (its status and its data side by side), keyed by the check's name, so an
 * operator reads {@code .kafka.subscriptions["taskbus-audit"].lag} instead of searching a list.
 */
final class HealthDetail {

  static JsonObject of(CheckResult result, Set<String> roles) {
    JsonObject detail =
        new JsonObject()
            .put("status", status(result))
            .put("roles", new JsonArray(List.copyOf(roles)));
    List<CheckResult> checks = result.getChecks();
    if (checks != null) {
      for (CheckResult check : checks) {
        JsonObject entry = new JsonObject().put("status", status(check));
        if (check.getData() != null) {
          entry.mergeIn(check.getData());
        }
        detail.put(check.getId(), entry);
      }
    }
    return detail;
  }

  private static String status(CheckResult result) {
    return CheckResult.isUp(result) ? "UP" : "DOWN";
  }

  private HealthDetail() {}
}
