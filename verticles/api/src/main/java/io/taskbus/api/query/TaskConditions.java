package io.taskbus.api.query;

import java.time.ZoneId;
import java.util.Collection;
import java.util.Set;

/**
 * SQL conditions on a task's other fields, for the query parameters and the filter language alike.
 * Lists are one array parameter each ({@code = ANY}, {@code &&}, {@code @>}), so a long list is
 * still one placeholder and the tag conditions can use a GIN index on {@code tags}.
 */
public final class TaskConditions {

  public static final Set<String> PRIORITIES = Set.of("low", "medium", "high");

  private final SqlParams params;
  private final ZoneId zone;

  public TaskConditions(SqlParams params, ZoneId zone) {
    this.params = params;
    this.zone = zone;
  }

  /** Tasks with any of these priorities (each low, medium or high). */
  public String priorityIn(Collection<String> priorities) {
    if (priorities.isEmpty()) {
      throw new IllegalArgumentException("no priority given");
    }
    for (String p : priorities) {
      if (!PRIORITIES.contains(p)) {
        throw new IllegalArgumentException("unknown priority '" + p + "'");
      }
    }
    if (priorities.size() == 1) {
      return "priority = " + params.add(priorities.iterator().next());
    }
    return "priority = ANY(" + params.add(priorities.toArray(String[]::new)) + ")";
  }

  /** Tasks with at least one of these tags. */
  public String tagsAny(Collection<String> tags) {
    return "tags && " + params.add(normalized(tags));
  }

  /** Tasks with every one of these tags. */
  public String tagsAll(Collection<String> tags) {
    return "tags @> " + params.add(normalized(tags));
  }

  public String completed(boolean completed) {
    return completed ? "completed" : "NOT completed";
  }

  /**
   * Title (weighted A) or description (B) match {@code text} as a web search would: all words,
   * {@code "a phrase"}, {@code or}, {@code -word}. The 'simple' configuration neither stems nor
   * drops stop words, so it works alike for every language.
   */
  public String fullText(String text) {
    return "search @@ websearch_to_tsquery('simple', " + params.add(text) + ")";
  }

  public String created(Comparison op, DueBound bound) {
    return Timestamps.compare("created_at", op, bound, zone, params);
  }

  public String updated(Comparison op, DueBound bound) {
    return Timestamps.compare("updated_at", op, bound, zone, params);
  }

  private static String[] normalized(Collection<String> tags) {
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("no tag given");
    }
    return tags.stream().map(Tags::normalize).distinct().toArray(String[]::new);
  }
}
