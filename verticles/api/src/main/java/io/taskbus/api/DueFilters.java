package io.taskbus.api;

import io.taskbus.api.query.SqlParams;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** {@code dueBefore}, {@code dueAfter}, {@code overdue}, {@code hasDue}. */
final class DueFilters {

  static void apply(MultiMap query, ZoneId zone, Instant now, SqlParams p, List<String> where,
      Violations v) {
    for (String name : List.of("dueBefore", "dueAfter", "overdue", "hasDue")) {
      if (query.contains(name)) {
        v.add(name, "is not supported yet");
      }
    }
  }

  private DueFilters() {}
}
