package io.taskbus.api;

import io.taskbus.api.query.SqlParams;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;

/**
 * Turns request bodies into saved filters: a new one from a create, a changed one from a merge
 * patch. Every field is checked here (as for tasks), unknown ones rejected, every mistake listed.
 */
final class SavedFilterChanges {

  static final int NAME_MAX = 100;
  static final int POSITION_MAX = 1_000_000;

  private static final Set<String> WRITABLE = Set.of("name", "filter", "position");

  /** Sent back unchanged by clients that PATCH a whole representation: fine when equal. */
  private static final Set<String> READ_ONLY = Set.of("id", "createdAt", "updatedAt");

  /** A create's fields; a null position means after the user's last filter. */
  record Draft(String name, String filter, Integer position) {}

  static Draft create(JsonObject body, Instant now) {
    Violations v = new Violations();
    for (String field : body.fieldNames()) {
      if (!WRITABLE.contains(field)) {
        v.add(field, READ_ONLY.contains(field) ? "is read-only" : "is not a saved filter field");
      }
    }
    String name = name(body.getValue("name"), v);
    String filter = filter(body.getValue("filter"), now, v);
    Integer position = body.containsKey("position") ? position(body.getValue("position"), v) : null;
    v.throwIfAny();
    return new Draft(name, filter, position);
  }

  /** RFC 7396 over name, filter and position; none of them can be removed. */
  static SavedFilter patch(SavedFilter before, JsonObject patch, Instant now) {
    Violations v = new Violations();
    JsonObject current = before.toJson();
    for (String field : patch.fieldNames()) {
      if (READ_ONLY.contains(field)) {
        if (!Objects.equals(current.getValue(field), patch.getValue(field))) {
          v.add(field, "is read-only");
        }
      } else if (!WRITABLE.contains(field)) {
        v.add(field, "is not a saved filter field");
      }
    }
    String name = patch.containsKey("name") ? name(patch.getValue("name"), v) : before.name();
    String filter =
        patch.containsKey("filter") ? filter(patch.getValue("filter"), now, v) : before.filter();
    Integer position =
        patch.containsKey("position") ? position(patch.getValue("position"), v) : null;
    v.throwIfAny();
    return before.with(name, filter, position == null ? before.position() : position);
  }

  private static String name(Object value, Violations v) {
    if (!(value instanceof String s)) {
      v.add("name", value == null ? "is required" : "must be a string");
      return null;
    }
    String name = s.strip();
    if (name.isEmpty()) {
      v.add("name", "must not be blank");
    } else if (name.length() > NAME_MAX) {
      v.add("name", "must be at most " + NAME_MAX + " characters");
    }
    return name;
  }

  /** Kept as sent; it must compile, with the same message and position as search's filter. */
  private static String filter(Object value, Instant now, Violations v) {
    if (!(value instanceof String s)) {
      v.add("filter", value == null ? "is required" : "must be a string");
      return null;
    }
    FilterParam.compile(s, ZoneOffset.UTC, now, new SqlParams(), v);
    return s;
  }

  private static Integer position(Object value, Violations v) {
    if (!(value instanceof Integer p) || p < 0 || p > POSITION_MAX) {
      v.add("position", "must be an integer from 0 to " + POSITION_MAX);
      return null;
    }
    return p;
  }

  private SavedFilterChanges() {}
}
