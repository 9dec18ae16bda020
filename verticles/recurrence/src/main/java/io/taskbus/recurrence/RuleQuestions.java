package io.taskbus.recurrence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The api's questions about a task's recurrence: is the rule valid (normalised), where does the
 * series start, which occurrence is this task, and (with {@code from}/{@code limit}) which come next.
 */
final class RuleQuestions {

  static final int MAX_PREVIEW = 100;

  static JsonObject answer(JsonObject request) {
    Object raw = request.getValue("recurrence");
    if (!(raw instanceof JsonObject json)) {
      throw new RecurrenceException("recurrence", "must be an object with a rule or a preset");
    }
    Recurrence recurrence = Recurrence.parse(json);
    JsonObject task = request.getJsonObject("task", new JsonObject());
    Anchor anchor = TaskAnchors.seriesAnchor(task);
    Schedule schedule = Schedule.of(recurrence, anchor);
    JsonObject answer = new JsonObject()
        .put("recurrence", recurrence.toJson())
        .put("seriesStart", TaskAnchors.seriesStart(anchor))
        .put("occurrence", TaskAnchors.occurrence(task).start());
    if (request.containsKey("limit")) {
      int limit = request.getInteger("limit");
      if (limit < 1 || limit > MAX_PREVIEW) {
        throw new RecurrenceException("limit", "must be 1 to " + MAX_PREVIEW);
      }
      Instant from = from(request.getString("from"));
      JsonArray items = new JsonArray();
      schedule.upcoming(from, limit).forEach(o -> items.add(o.toJson()));
      answer.put("occurrences", items);
    }
    return answer;
  }

  private static Instant from(String text) {
    if (text == null) {
      return Instant.now();
    }
    try {
      return text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(text).toInstant();
    } catch (java.time.DateTimeException e) {
      throw new RecurrenceException("from", "must be a date or a date-time with an offset");
    }
  }

  private RuleQuestions() {}
}
