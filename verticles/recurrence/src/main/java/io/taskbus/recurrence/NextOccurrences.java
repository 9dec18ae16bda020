package io.taskbus.recurrence;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * On a completed (or skipped) occurrence of a recurring task, asks the api to create the next one,
 * with the series' skipped and moved occurrences applied.
 */
final class NextOccurrences {

  private static final DeliveryOptions COMMAND = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;

  NextOccurrences(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> handle(JsonObject event) {
    if (!EventTypes.TASK_COMPLETED.equals(event.getString(Envelope.TYPE))) {
      return Future.succeededFuture();
    }
    JsonObject task =
        event.getJsonObject(Envelope.DATA, new JsonObject()).getJsonObject(Envelope.DATA_TASK);
    if (task == null || !(task.getValue("recurrence") instanceof JsonObject recurrence)) {
      return Future.succeededFuture();
    }
    Optional<SeriesPlan.Planned> next;
    SeriesPlan plan;
    try {
      Recurrence rule = Recurrence.parse(recurrence);
      plan = new SeriesPlan(Schedule.of(rule, TaskAnchors.seriesAnchor(task)));
      Instant completedAt = Instant.parse(task.getString("completedAt"));
      // from the occurrence the task stood for, not its due: a postponed one does not shift the
      // rest
      next = plan.next(TaskAnchors.own(task, plan), completedAt);
    } catch (RuntimeException e) {
      // the record's own fault: refused, retried, then dead-lettered with this reason, so the
      // series' next occurrence is not lost without a trace
      return Future.failedFuture(
          new IllegalArgumentException(
              "task " + task.getString("id") + ": no next occurrence: " + e.getMessage(), e));
    }
    if (next.isEmpty()) {
      return Future.succeededFuture();
    }
    Occurrence occurrence = next.get().occurrence();
    Occurrence due = next.get().due();
    // the exceptions the series has passed are history: the next task carries only those ahead
    JsonObject carried = recurrence.copy();
    carried.remove("exceptions");
    if (!plan.after(occurrence).isEmpty()) {
      carried.put("exceptions", plan.after(occurrence));
    }
    JsonObject command =
        new JsonObject()
            .put("command", "createOccurrence")
            .put("userId", event.getString(Envelope.USER_ID))
            .put("taskId", task.getString("id"))
            .put("occurrence", occurrence.start())
            .put("recurrence", carried);
    if (due.isAllDay()) {
      command.put("dueDate", due.date().toString());
    } else {
      command.put("dueAt", due.dateTime().orElseThrow().toOffsetDateTime().toString());
    }
    return vertx.eventBus().request(Addresses.API_COMMANDS, command, COMMAND).mapEmpty();
  }
}
