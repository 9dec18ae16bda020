package io.taskbus.recurrence;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The api's questions about a task's recurrence: is the rule valid (normalised), where does the
 * series start, which occurrence is this task, (with {@code from}/{@code limit}) which come next,
 * (with {@code exception: {start, action: skip|move|restore, to}}) the recurrence after skipping,
 * moving or restoring one future occurrence, and (with {@code calendar: true}) how to write the
 * series for calendar software ({@link CalendarForm}).
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
    SeriesPlan plan = new SeriesPlan(schedule);
    Occurrence own = TaskAnchors.own(task, plan);
    JsonObject exception = request.getJsonObject("exception");
    boolean calendar = request.getBoolean("calendar", false);
    if (exception != null) {
      recurrence =
          recurrence.withExceptions(
              plan.change(
                  own,
                  exception.getString("start"),
                  exception.getString("action"),
                  exception.getString("to")));
    } else if (!request.containsKey("limit") && !calendar) {
      // a new or changed rule: exceptions sent with it must name occurrences still ahead
      for (Object item : recurrence.exceptions()) {
        JsonObject e = (JsonObject) item;
        plan.change(own, e.getString("occurrence"), "restore", null);
      }
    }
    JsonObject answer =
        new JsonObject()
            .put("recurrence", recurrence.toJson())
            .put("seriesStart", TaskAnchors.seriesStart(anchor))
            .put("occurrence", TaskAnchors.occurrence(task).start());
    if (calendar) {
      answer.put("calendar", CalendarForm.of(schedule));
    }
    if (request.containsKey("limit")) {
      int limit = request.getInteger("limit");
      if (limit < 1 || limit > MAX_PREVIEW) {
        throw new RecurrenceException("limit", "must be 1 to " + MAX_PREVIEW);
      }
      Instant from = from(request.getString("from"));
      answer.put("occurrences", plan.preview(from, limit, own, TaskAnchors.occurrence(task)));
    }
    return answer;
  }

  private static Instant from(String text) {
    if (text == null) {
      return Instant.now();
    }
    try {
      return text.length() == 10
          ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(text).toInstant();
    } catch (java.time.DateTimeException e) {
      throw new RecurrenceException("from", "must be a date or a date-time with an offset");
    }
  }

  private RuleQuestions() {}
}
