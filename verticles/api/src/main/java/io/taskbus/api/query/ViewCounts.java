package io.taskbus.api.query;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The statements behind {@code GET /tasks/counts}: how many of a user's tasks each view of the task
 * page holds. Each is one pass over the user's rows, found through the per-user indexes, with one
 * {@code count(*) FILTER (...)} per view, so a view costs a comparison per row rather than a query.
 */
public final class ViewCounts {

  /** The fixed views' columns, in the statement's order. */
  public static final List<String> FIXED =
      List.of("today", "overdue", "upcoming", "inbox", "open", "completed", "trash");

  /** A statement and its parameters. */
  public record Statement(String sql, List<Object> params) {}

  /**
   * The fixed views over all the user's tasks (live and trashed), and in its last column the user's
   * saved filters as a JSON array of {@code [id, filter]} pairs, so the same round trip brings what
   * the second statement needs.
   */
  public static Statement fixed(String user, ZoneId zone, Instant now) {
    SqlParams p = new SqlParams();
    String userParam = p.add(user);
    Views views = new Views(p, zone, now);
    StringBuilder sql = new StringBuilder("SELECT");
    for (String view : FIXED) {
      sql.append(count(condition(view, views), view)).append(',');
    }
    sql.append(
            " (SELECT coalesce(json_agg(json_build_array(id, filter) ORDER BY position, name, id),")
        .append(" '[]') FROM saved_filters WHERE user_id = ")
        .append(userParam)
        .append(") AS filters FROM tasks WHERE user_id = ")
        .append(userParam);
    return new Statement(sql.toString(), p.values());
  }

  private static String condition(String view, Views views) {
    String live = "deleted_at IS NULL AND ";
    switch (view) {
      case "today":
        return live + views.today();
      case "overdue":
        return live + views.overdue();
      case "upcoming":
        return live + views.upcoming();
      case "inbox":
        return live + views.inbox();
      case "open":
        return live + "NOT completed";
      case "completed":
        return live + "completed";
      case "trash":
        return "deleted_at IS NOT NULL";
      default:
        throw new IllegalArgumentException(view);
    }
  }

  /**
   * One count per filter over the user's live tasks, in the order given, each with search's default
   * status ({@link FilterLanguage.Compiled#defaultStatus()}); a filter that no longer compiles
   * counts as null.
   */
  public static Statement filters(String user, ZoneId zone, Instant now, List<String> filters) {
    SqlParams p = new SqlParams();
    String userParam = p.add(user);
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < filters.size(); i++) {
      String condition;
      try {
        FilterLanguage.Compiled compiled = FilterLanguage.compiled(filters.get(i), zone, now, p);
        condition =
            compiled.defaultStatus().equals("open")
                ? "NOT completed AND " + compiled.sql()
                : compiled.sql();
      } catch (FilterSyntaxException e) {
        condition = null;
      }
      sql.append(i == 0 ? "" : ", ")
          .append(condition == null ? "NULL::bigint" : "count(*) FILTER (WHERE " + condition + ")");
    }
    sql.append(" FROM tasks WHERE user_id = ").append(userParam).append(" AND deleted_at IS NULL");
    return new Statement(sql.toString(), p.values());
  }

  private static String count(String condition, String name) {
    return " count(*) FILTER (WHERE " + condition + ") AS " + name;
  }

  private ViewCounts() {}
}
