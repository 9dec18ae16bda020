package io.taskbus.api;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** Turns request bodies into tasks: a new one from a create, a changed one from a merge patch. */
final class TaskChanges {

  private static final Set<String> WRITABLE =
      Set.of(
          "title",
          "description",
          "priority",
          "tags",
          "dueDate",
          "dueAt",
          "timeZone",
          "recurrence",
          "reminders");

  /** Sent back unchanged by clients that PATCH a whole representation: fine when equal. */
  private static final Set<String> READ_ONLY =
      Set.of(
          "id",
          "completed",
          "completedAt",
          "createdAt",
          "updatedAt",
          "deletedAt",
          "version",
          "seriesId",
          "seriesStart",
          "occurrence",
          "skipped");

  static Task create(JsonObject body, Instant now) {
    Violations v = new Violations();
    for (String field : body.fieldNames()) {
      if (!WRITABLE.contains(field)) {
        v.add(field, READ_ONLY.contains(field) ? "is read-only" : "is not a task field");
      }
    }
    String title = TaskFields.title(body.getValue("title"), v);
    String description = TaskFields.description(body.getValue("description"), v);
    String priority = TaskFields.priority(body.getValue("priority"), v);
    List<String> tags = TaskFields.tags(body.getValue("tags"), "tags", v);
    LocalDate dueDate = TaskFields.dueDate(body.getValue("dueDate"), v);
    Instant dueAt = TaskFields.dueAt(body.getValue("dueAt"), v);
    String timeZone = TaskFields.timeZone(body.getValue("timeZone"), v);
    TaskFields.checkDue(dueDate, dueAt, timeZone, v);
    JsonObject recurrence = TaskFields.recurrence(body.getValue("recurrence"), v);
    io.vertx.core.json.JsonArray reminders = TaskFields.reminders(body.getValue("reminders"), v);
    TaskFields.checkReminders(reminders, dueDate, dueAt, v);
    v.throwIfAny();
    java.util.UUID id = Uuids.v7(now.toEpochMilli());
    return new Task(
        id,
        title,
        description,
        priority,
        tags,
        dueDate,
        dueAt,
        timeZone,
        false,
        null,
        now,
        now,
        null,
        1,
        recurrence == null ? null : new Task.Series(recurrence, id, null, null),
        reminders,
        false);
  }

  /**
   * RFC 7396: a member replaces the field, null removes it. Setting one kind of due removes the
   * other, so a task never has both.
   */
  static Task patch(Task before, JsonObject patch) {
    Violations v = new Violations();
    JsonObject current = before.toJson();
    for (String field : patch.fieldNames()) {
      if (READ_ONLY.contains(field)) {
        if (!java.util.Objects.equals(current.getValue(field), patch.getValue(field))) {
          v.add(
              field,
              "is read-only"
                  + ("completed".equals(field)
                      ? ": use POST /tasks/{id}/complete or /reopen"
                      : ""));
        }
      } else if (!WRITABLE.contains(field)) {
        v.add(field, "is not a task field");
      }
    }
    String title =
        patch.containsKey("title") ? TaskFields.title(patch.getValue("title"), v) : before.title();
    String description =
        patch.containsKey("description")
            ? TaskFields.description(patch.getValue("description"), v)
            : before.description();
    String priority =
        patch.containsKey("priority")
            ? TaskFields.priority(patch.getValue("priority"), v)
            : before.priority();
    List<String> tags =
        patch.containsKey("tags")
            ? TaskFields.tags(patch.getValue("tags"), "tags", v)
            : before.tags();
    LocalDate dueDate = before.dueDate();
    Instant dueAt = before.dueAt();
    if (patch.containsKey("dueDate")) {
      dueDate = TaskFields.dueDate(patch.getValue("dueDate"), v);
      if (dueDate != null && !patch.containsKey("dueAt")) {
        dueAt = null;
      }
    }
    if (patch.containsKey("dueAt")) {
      dueAt = TaskFields.dueAt(patch.getValue("dueAt"), v);
      if (dueAt != null && !patch.containsKey("dueDate")) {
        dueDate = null;
      }
    }
    String timeZone =
        patch.containsKey("timeZone")
            ? TaskFields.timeZone(patch.getValue("timeZone"), v)
            : before.timeZone();
    TaskFields.checkDue(dueDate, dueAt, timeZone, v);
    Task.Series series = before.series();
    boolean sameRule = series != null && series.recurrence().equals(patch.getValue("recurrence"));
    if (patch.containsKey("recurrence") && !sameRule) {
      JsonObject recurrence = TaskFields.recurrence(patch.getValue("recurrence"), v);
      // A new rule applies from this occurrence on: the series restarts at this task's due (start
      // and occurrence unresolved; completed occurrences keep theirs as history). The rule sent
      // back unchanged, as a client PATCHing a whole task does, changes nothing.
      series =
          recurrence == null
              ? null
              : new Task.Series(recurrence, series == null ? before.id() : series.id(), null, null);
    }
    io.vertx.core.json.JsonArray reminders =
        patch.containsKey("reminders")
            ? TaskFields.reminders(patch.getValue("reminders"), v)
            : before.reminders();
    TaskFields.checkReminders(reminders, dueDate, dueAt, v);
    v.throwIfAny();
    return new Task(
        before.id(),
        title,
        description,
        priority,
        tags,
        dueDate,
        dueAt,
        timeZone,
        before.completed(),
        before.completedAt(),
        before.createdAt(),
        before.updatedAt(),
        before.deletedAt(),
        before.version(),
        series,
        reminders,
        before.skipped());
  }

  private TaskChanges() {}
}
