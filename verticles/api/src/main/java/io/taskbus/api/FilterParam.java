package io.taskbus.api;

import io.taskbus.api.query.FilterLanguage;
import io.taskbus.api.query.FilterSyntaxException;
import io.taskbus.api.query.SqlParams;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The filter language where a request carries it (search's {@code filter=}, a saved filter's {@code
 * filter}): a mistake is a 400 that points at its position.
 */
final class FilterParam {

  /** The compiled filter, or (with the mistake added to {@code v}) one that takes everything. */
  static FilterLanguage.Compiled compile(
      String text, ZoneId zone, Instant now, SqlParams p, Violations v) {
    try {
      return FilterLanguage.compiled(text, zone, now, p);
    } catch (FilterSyntaxException e) {
      v.add("filter", e.getMessage(), new JsonObject().put("position", e.position()));
      return new FilterLanguage.Compiled("true", false);
    }
  }

  private FilterParam() {}
}
