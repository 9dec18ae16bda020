package io.taskbus.api;

import io.taskbus.api.query.DueConditions;
import io.taskbus.api.query.FilterLanguage;
import io.taskbus.api.query.SqlParams;
import io.taskbus.api.query.TaskConditions;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /tasks}: filters (combined by AND), sort with a stable id tie-break, keyset page.
 * Builds one statement whose every value is a parameter.
 */
final class TaskQuery {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;
  static final int Q_MAX = 500;

  /** Sort key expressions; each has an index on (user_id, key, id) over live tasks. */
  private static final Map<String, String> ASC_KEYS =
      Map.of(
          "created", "created_at",
          "updated", "updated_at",
          "due", "coalesce(due_sort, 'infinity'::timestamptz)",
          "priority", "priority_rank");

  private static final Map<String, String> DESC_KEYS =
      Map.of(
          "created", "created_at",
          "updated", "updated_at",
          "due", "coalesce(due_sort, '-infinity'::timestamptz)",
          "priority", "priority_rank");
  private static final Map<String, String> KEY_TYPES =
      Map.of(
          "created",
          "timestamptz",
          "updated",
          "timestamptz",
          "due",
          "timestamptz",
          "priority",
          "smallint",
          "relevance",
          "real");
  private static final Set<String> DEFAULT_DESC =
      Set.of("created", "updated", "priority", "relevance");

  final String sql;
  final List<Object> params;
  final int limit;
  final String sort;
  final String order;

  private TaskQuery(String sql, List<Object> params, int limit, String sort, String order) {
    this.sql = sql;
    this.params = params;
    this.limit = limit;
    this.sort = sort;
    this.order = order;
  }

  static TaskQuery parse(String user, MultiMap query, Instant now) {
    Violations v = new Violations();
    SqlParams p = new SqlParams(1);
    String userParam = p.add(user);
    List<String> where = new ArrayList<>();
    where.add("user_id = " + userParam);
    where.add("deleted_at IS NULL");

    ZoneId zone = zone(query.get("tz"), v);
    TaskConditions task = new TaskConditions(p, zone);
    List<String> priorities = many(query, "priority");
    if (!priorities.isEmpty()) {
      if (TaskConditions.PRIORITIES.containsAll(priorities)) {
        where.add(task.priorityIn(priorities));
      } else {
        v.add("priority", "must be low, medium or high");
      }
    }
    List<String> tags = many(query, "tag");
    String tagMode = one(query, "tagMode", "any", v);
    if (!tagMode.equals("any") && !tagMode.equals("all")) {
      v.add("tagMode", "must be any or all");
    } else if (!tags.isEmpty()) {
      where.add(tagMode.equals("all") ? task.tagsAll(tags) : task.tagsAny(tags));
    }
    DueFilters.apply(query, new DueConditions(p, zone), now, zone, where, v);
    String q = query.get("q");
    String tsQuery = null;
    if (q != null) {
      if (q.isBlank() || q.length() > Q_MAX) {
        v.add("q", "must be 1 to " + Q_MAX + " characters");
      } else {
        tsQuery = "websearch_to_tsquery('simple', " + p.add(q) + ")";
        where.add("search @@ " + tsQuery);
      }
    }
    String filterText = query.get("filter");
    FilterLanguage.Compiled filter =
        filterText == null ? null : FilterParam.compile(filterText, zone, now, p, v);
    if (filter != null) {
      where.add(filter.sql());
    }
    String status = one(query, "status", filter == null ? "open" : filter.defaultStatus(), v);
    switch (status) {
      case "open" -> where.add(task.completed(false));
      case "completed" -> where.add(task.completed(true));
      case "all" -> {}
      default -> v.add("status", "must be open, completed or all");
    }

    String sort = one(query, "sort", "created", v);
    if (!KEY_TYPES.containsKey(sort)) {
      v.add("sort", "must be due, priority, created, updated or relevance");
      sort = "created";
    }
    if (sort.equals("relevance") && tsQuery == null) {
      v.add("sort", "relevance needs a q to rank by");
    }
    String order = one(query, "order", DEFAULT_DESC.contains(sort) ? "desc" : "asc", v);
    if (!order.equals("asc") && !order.equals("desc")) {
      v.add("order", "must be asc or desc");
      order = "desc";
    }
    int limit = limit(query.get("limit"), v);
    String cursorText = query.get("cursor");
    v.throwIfAny();

    String key =
        sort.equals("relevance")
            ? "ts_rank(search, " + tsQuery + ")"
            : (order.equals("asc") ? ASC_KEYS : DESC_KEYS).get(sort);
    if (cursorText != null) {
      ListCursor cursor = ListCursor.decode(cursorText, sort, order);
      where.add(
          "("
              + key
              + ", id) "
              + (order.equals("asc") ? ">" : "<")
              + " ("
              + p.add(cursor.key())
              + "::text::"
              + KEY_TYPES.get(sort)
              + ", "
              + p.add(cursor.id())
              + ")");
    }
    String direction = order.equals("asc") ? "ASC" : "DESC";
    String sql =
        "SELECT "
            + Task.COLUMNS
            + ", ("
            + key
            + ")::text AS sort_key FROM tasks WHERE "
            + String.join(" AND ", where)
            + " ORDER BY "
            + key
            + " "
            + direction
            + ", id "
            + direction
            + " LIMIT "
            + p.add(limit + 1);
    return new TaskQuery(sql, p.values(), limit, sort, order);
  }

  static ZoneId zone(String text, Violations v) {
    if (text == null) {
      return java.time.ZoneOffset.UTC;
    }
    String zone = TaskFields.timeZone(text, new Violations());
    if (zone == null) {
      v.add("tz", "must be an IANA time zone such as Europe/Berlin");
      return java.time.ZoneOffset.UTC;
    }
    return ZoneId.of(zone);
  }

  private static String one(MultiMap query, String name, String fallback, Violations v) {
    List<String> values = query.getAll(name);
    if (values.size() > 1) {
      v.add(name, "may be given once");
    }
    return values.isEmpty() ? fallback : values.get(0);
  }

  /** Repeated ({@code tag=a&tag=b}) or comma-separated ({@code tag=a,b}). */
  static List<String> many(MultiMap query, String name) {
    List<String> values = new ArrayList<>();
    for (String value : query.getAll(name)) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          values.add(part.strip());
        }
      }
    }
    return values;
  }

  static int limit(String text, Violations v) {
    return limit(text, DEFAULT_LIMIT, MAX_LIMIT, v);
  }

  /** A page size from 1 to {@code max}; {@code fallback} when absent or wrong (then reported). */
  static int limit(String text, int fallback, int max, Violations v) {
    if (text == null) {
      return fallback;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // the same answer as an out-of-range number
    }
    v.add("limit", "must be an integer from 1 to " + max);
    return fallback;
  }
}
