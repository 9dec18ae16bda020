package io.taskbus.api;

import io.taskbus.contracts.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Asks the recurrence verticle (the owner of the rules engine) to check a task's new or changed
 * rule, and stores what it answers: the normalised rule, where the series starts, which occurrence
 * this task is. A bad rule is a 400 naming the field and the reason.
 */
final class SeriesRules {

  private static final java.util.Set<String> TASK_FIELDS =
      java.util.Set.of(
          "recurrence", "dueDate", "dueAt", "timeZone", "from", "limit", "start", "to");
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);

  private final EventBus bus;

  SeriesRules(EventBus bus) {
    this.bus = bus;
  }

  /** The task with its series resolved; unchanged when there is nothing to resolve. */
  Future<Task> resolve(Task task) {
    Task.Series series = task.series();
    if (series == null || series.start() != null) {
      return Future.succeededFuture(task);
    }
    JsonObject json = task.toJson();
    json.remove("seriesStart");
    return ask(new JsonObject().put("recurrence", series.recurrence()).put("task", json))
        .map(
            answer ->
                task.withSeries(
                    new Task.Series(
                        answer.getJsonObject("recurrence"),
                        series.id(),
                        answer.getString("seriesStart"),
                        series.occurrence() != null
                            ? series.occurrence()
                            : answer.getString("occurrence"))));
  }

  /** Upcoming occurrences of a recurring task. */
  Future<JsonObject> preview(Task task, String from, int limit) {
    JsonObject question =
        new JsonObject()
            .put("recurrence", task.series().recurrence())
            .put("task", task.toJson())
            .put("limit", limit);
    if (from != null) {
      question.put("from", from);
    }
    return ask(question);
  }

  /**
   * How to write the series of this task (its latest occurrence) for calendar software: {@code
   * {"start", "rule"}} or {@code {"start", "dates"}}, local to the task's zone (see the recurrence
   * module's CalendarForm).
   */
  Future<JsonObject> calendar(Task task) {
    return ask(new JsonObject()
            .put("recurrence", task.series().recurrence())
            .put("task", task.toJson())
            .put("calendar", true))
        .map(answer -> answer.getJsonObject("calendar"));
  }

  /**
   * The task's recurrence after skipping, moving ({@code to}) or restoring the future occurrence
   * {@code start}; a 400 naming {@code start} or {@code to} when that is not possible.
   */
  Future<JsonObject> exception(Task task, String start, String action, String to) {
    JsonObject exception = new JsonObject().put("start", start).put("action", action);
    if (to != null) {
      exception.put("to", to);
    }
    return ask(new JsonObject()
            .put("recurrence", task.series().recurrence())
            .put("task", task.toJson())
            .put("exception", exception))
        .map(answer -> answer.getJsonObject("recurrence"));
  }

  private Future<JsonObject> ask(JsonObject question) {
    return bus.<JsonObject>request(Addresses.RECURRENCE_RULES, question, ASK)
        .map(reply -> reply.body())
        .recover(
            e -> {
              if (e instanceof ReplyException reply
                  && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                  && reply.failureCode() == 400) {
                String message = String.valueOf(reply.getMessage());
                int colon = message.indexOf(": ");
                String field = colon > 0 ? message.substring(0, colon) : "recurrence";
                return Future.failedFuture(
                    Violations.of(
                        TASK_FIELDS.contains(field) ? field : "recurrence." + field,
                        colon > 0 ? message.substring(colon + 2) : message));
              }
              return Future.failedFuture(e);
            });
  }
}
