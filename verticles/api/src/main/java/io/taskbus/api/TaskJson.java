package io.taskbus.api;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The task representation clients see, and its mapping from a {@code tasks} row. */
final class TaskJson {

  static final String COLUMNS =
      "id, title, description, priority, completed, completed_at, created_at, updated_at, version";

  static JsonObject fromRow(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("title", row.getString("title"))
        .put("description", row.getString("description"))
        .put("priority", row.getString("priority"))
        .put("completed", row.getBoolean("completed"))
        .put("completedAt", instant(row.getOffsetDateTime("completed_at")))
        .put("createdAt", instant(row.getOffsetDateTime("created_at")))
        .put("updatedAt", instant(row.getOffsetDateTime("updated_at")))
        .put("version", row.getInteger("version"));
  }

  static String instant(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
  }

  /** {@code {field: {old, new}}} for every field whose value differs. */
  static JsonObject changes(JsonObject before, JsonObject after, String... fields) {
    JsonObject changes = new JsonObject();
    for (String field : fields) {
      Object old = before == null ? null : before.getValue(field);
      Object now = after.getValue(field);
      if (old == null ? now != null : !old.equals(now)) {
        changes.put(field, new JsonObject().put("old", old).put("new", now));
      }
    }
    return changes;
  }

  private TaskJson() {}
}
