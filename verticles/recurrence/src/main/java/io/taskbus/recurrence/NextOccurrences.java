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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** On a completed occurrence of a recurring task, asks the api to create the next one. */
final class NextOccurrences {

  private static final Logger log = LoggerFactory.getLogger(NextOccurrences.class);
  private static final DeliveryOptions COMMAND = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;

  NextOccurrences(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> handle(JsonObject event) {
    if (!EventTypes.TASK_COMPLETED.equals(event.getString(Envelope.TYPE))) {
      return Future.succeededFuture();
    }
    JsonObject task = event.getJsonObject(Envelope.DATA, new JsonObject())
        .getJsonObject(Envelope.DATA_TASK);
    if (task == null || !(task.getValue("recurrence") instanceof JsonObject recurrence)) {
      return Future.succeededFuture();
    }
    Optional<Occurrence> next;
    try {
      Schedule schedule = Schedule.of(Recurrence.parse(recurrence), TaskAnchors.seriesAnchor(task));
      Instant completedAt = Instant.parse(task.getString("completedAt"));
      next = schedule.nextOnCompletion(TaskAnchors.occurrence(task), completedAt);
    } catch (RuntimeException e) {
      // a rule the api accepted cannot turn bad later; log it rather than retry forever
      log.warn("task {}: no next occurrence: {} [event {}]", task.getString("id"), e.getMessage(),
          event.getString(Envelope.ID));
      return Future.succeededFuture();
    }
    if (next.isEmpty()) {
      return Future.succeededFuture();
    }
    Occurrence occurrence = next.get();
    JsonObject command = new JsonObject().put("command", "createOccurrence")
        .put("userId", event.getString(Envelope.USER_ID))
        .put("taskId", task.getString("id"))
        .put("occurrence", occurrence.start());
    if (occurrence.isAllDay()) {
      command.put("dueDate", occurrence.date().toString());
    } else {
      command.put("dueAt", occurrence.dateTime().orElseThrow().toOffsetDateTime().toString());
    }
    return vertx.eventBus().request(Addresses.API_COMMANDS, command, COMMAND).mapEmpty();
  }
}
