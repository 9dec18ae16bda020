package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The schema check the integration tests rely on refuses what taskbus does not write. */
class EventSchemasTest {

  static JsonObject task() {
    return new JsonObject()
        .put("id", "0193a4a2-7c1e-7d2a-9b1f-1c2d3e4f5a6b")
        .put("title", "water the plants")
        .put("description", null)
        .put("priority", "medium")
        .put("tags", new JsonArray())
        .put("dueDate", null)
        .put("dueAt", "2026-12-24T09:00:00+01:00")
        .put("timeZone", "Europe/Berlin")
        .put("completed", false)
        .put("completedAt", null)
        .put("createdAt", "2026-11-21T08:33:17.502764Z")
        .put("updatedAt", "2026-11-21T08:33:17.502764Z")
        .put("deletedAt", null)
        .put("version", 1)
        .put("recurrence", null)
        .put("seriesId", null)
        .put("seriesStart", null)
        .put("occurrence", null)
        .put("reminders", new JsonArray().add(new JsonObject().put("before", "PT15M")))
        .put("skipped", false);
  }

  static JsonObject created() {
    return new JsonObject()
        .put("specversion", "1.0")
        .put("id", "17")
        .put("type", "task.created")
        .put("source", "/taskbus/api")
        .put("subject", "0193a4a2-7c1e-7d2a-9b1f-1c2d3e4f5a6b")
        .put("time", "2026-11-21T08:33:17.502764Z")
        .put("datacontenttype", "application/json")
        .put("userid", "alice")
        .put("seq", 3)
        .put("requestid", "5f0c7a0e-2f4e-4a43-9a53-6c7e0e3f3b1d")
        .put(
            "data",
            new JsonObject()
                .put("task", task())
                .put(
                    "changes",
                    new JsonObject()
                        .put("title", change(null, "water the plants"))
                        .put("priority", change(null, "medium"))));
  }

  static JsonObject reminderDue() {
    return created()
        .put("type", "reminder.due")
        .put("time", "2026-12-24T07:45:00.000123Z")
        .put(
            "data",
            new JsonObject()
                .put(
                    "reminder",
                    new JsonObject()
                        .put("id", 12)
                        .put("fireAt", "2026-12-24T07:45:00+00:00")
                        .put("spec", new JsonObject().put("before", "PT15M")))
                .put(
                    "task",
                    new JsonObject()
                        .put("id", "0193a4a2-7c1e-7d2a-9b1f-1c2d3e4f5a6b")
                        .put("title", "water the plants")
                        .put("dueDate", null)
                        .put("dueAt", "2026-12-24T08:00:00+00:00")
                        .put("timeZone", "Europe/Berlin"))
                .put("changes", new JsonObject()));
  }

  private static JsonObject change(Object old, Object now) {
    return new JsonObject().put("old", old).put("new", now);
  }

  @Test
  void whatTaskbusWritesPasses() {
    EventSchemas.assertValid(created());
    EventSchemas.assertValid(reminderDue());
    EventSchemas.assertValid(reminderDue().put("type", "reminder.missed"));
  }

  @Test
  void anUnknownTypeFailsEvenIfItLooksLikeAKnownOne() {
    JsonObject archived = created().put("type", "task.archived");
    assertThrows(AssertionError.class, () -> EventSchemas.assertValid(archived));
    assertFalse(EventSchemas.valid(archived));
  }

  @Test
  void eachTypeIsCheckedByItsOwnDefinition() {
    // a creation's changes as a completion's: no completed/completedAt among them
    assertThrows(
        AssertionError.class,
        () -> EventSchemas.assertValid(created().put("type", "task.completed")));
    // a reminder without its reminder
    JsonObject noReminder = reminderDue();
    noReminder.getJsonObject("data").remove("reminder");
    assertThrows(AssertionError.class, () -> EventSchemas.assertValid(noReminder));
  }

  @Test
  void dateTimesNeedSecondsAndAnOffset() {
    assertTrue(EventSchemas.valid(created()));
    assertFalse(EventSchemas.valid(created().put("time", "2026-11-21T08:33Z")));
    assertFalse(EventSchemas.valid(created().put("time", "2026-11-21T08:33:17")));
    JsonObject noSeconds = created();
    noSeconds.getJsonObject("data").getJsonObject("task").put("dueAt", "2026-12-24T09:00+01:00");
    assertFalse(EventSchemas.valid(noSeconds));
  }

  @Test
  void nothingBesidesWhatTaskbusWrites() {
    assertFalse(EventSchemas.valid(created().put("dataschema", "https://example.com/s")));
    JsonObject extraField = created();
    extraField.getJsonObject("data").getJsonObject("task").put("colour", "red");
    assertFalse(EventSchemas.valid(extraField));
    JsonObject badSpec = reminderDue();
    badSpec
        .getJsonObject("data")
        .getJsonObject("reminder")
        .put("spec", new JsonObject().put("at", "x"));
    assertFalse(EventSchemas.valid(badSpec));
  }
}
