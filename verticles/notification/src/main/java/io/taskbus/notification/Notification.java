package io.taskbus.notification;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One inbox entry, as the api returns it and pushes carry it. */
record Notification(
    UUID id,
    String userId,
    String eventId,
    String type,
    UUID taskId,
    String title,
    String body,
    OffsetDateTime fireAt,
    OffsetDateTime createdAt,
    OffsetDateTime readAt,
    OffsetDateTime snoozedUntil,
    int round) {

  static final String COLUMNS =
      "id, user_id, event_id, type, task_id, title, body, fire_at, "
          + "created_at, read_at, snoozed_until, round";

  static Notification from(Row row) {
    return new Notification(
        row.getUUID("id"),
        row.getString("user_id"),
        row.getString("event_id"),
        row.getString("type"),
        row.getUUID("task_id"),
        row.getString("title"),
        row.getString("body"),
        row.getOffsetDateTime("fire_at"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("read_at"),
        row.getOffsetDateTime("snoozed_until"),
        row.getInteger("round"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("type", type)
        .put("taskId", taskId == null ? null : taskId.toString())
        .put("title", title)
        .put("body", body)
        .put("fireAt", text(fireAt))
        .put("createdAt", text(createdAt))
        .put("readAt", text(readAt))
        .put("snoozedUntil", text(snoozedUntil));
  }

  private static String text(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }
}
