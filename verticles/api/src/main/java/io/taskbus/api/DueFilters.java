package io.taskbus.api;

import io.taskbus.api.query.DueBound;
import io.taskbus.api.query.DueBoundException;
import io.taskbus.api.query.DueConditions;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.List;

/**
 * {@code dueBefore}, {@code dueAfter} (a date, an instant, today/tomorrow, or 7d-style offsets),
 * {@code overdue} and {@code hasDue}, with the semantics of {@link DueConditions}.
 */
final class DueFilters {

  static void apply(
      MultiMap query,
      DueConditions due,
      Instant now,
      java.time.ZoneId zone,
      List<String> where,
      Violations v) {
    bound(query, "dueBefore", zone, now, v, b -> where.add(due.before(b)));
    bound(query, "dueAfter", zone, now, v, b -> where.add(due.after(b)));
    Boolean overdue = flag(query, "overdue", v);
    if (overdue != null) {
      where.add(overdue ? due.overdue(now) : "(" + due.overdue(now) + ") IS NOT TRUE");
    }
    Boolean hasDue = flag(query, "hasDue", v);
    if (hasDue != null) {
      where.add(due.hasDue(hasDue));
    }
  }

  private static void bound(
      MultiMap query,
      String name,
      java.time.ZoneId zone,
      Instant now,
      Violations v,
      java.util.function.Consumer<DueBound> use) {
    String text = query.get(name);
    if (text != null) {
      try {
        use.accept(DueBound.parse(name, text, zone, now));
      } catch (DueBoundException e) {
        v.add(name, e.getMessage());
      }
    }
  }

  private static Boolean flag(MultiMap query, String name, Violations v) {
    String text = query.get(name);
    if (text == null) {
      return null;
    }
    if (!text.equals("true") && !text.equals("false")) {
      v.add(name, "must be true or false");
      return null;
    }
    return Boolean.parseBoolean(text);
  }

  private DueFilters() {}
}
