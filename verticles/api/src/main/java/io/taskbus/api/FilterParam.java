package io.taskbus.api;

import io.taskbus.api.query.FilterLanguage;
import io.taskbus.api.query.FilterSyntaxException;
import io.taskbus.api.query.SqlParams;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;

/** {@code filter=}: the query language; a mistake is a 400 that points at its position. */
final class FilterParam {

  static String compile(String text, ZoneId zone, Instant now, SqlParams p, Violations v) {
    try {
      return FilterLanguage.compile(text, zone, now, p);
    } catch (FilterSyntaxException e) {
      v.add("filter", e.getMessage(), new JsonObject().put("position", e.position()));
      return "true";
    }
  }

  private FilterParam() {}
}
