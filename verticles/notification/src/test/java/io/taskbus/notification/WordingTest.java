package io.taskbus.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * What a notification says: its title and body in the inbox, the toast and the e-mail. Times read
 * in the task's zone when it has one, else in the user's.
 */
class WordingTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final String DUE = "reminder.due";
  private static final String MISSED = "reminder.missed";

  private static JsonObject task(String title) {
    return new JsonObject().put("id", "0190f5a0-1b2c-7d3e-8f40-123456789abc").put("title", title);
  }

  @Test
  void theTitleIsTheTasksAsItIs() {
    assertEquals("Call Ada", Wording.title(task("Call Ada")));
    // escaping is the mailer's job: the inbox and the toast show the text as typed
    assertEquals(
        "<b>Tom & Jerry's \"quote\"</b>", Wording.title(task("<b>Tom & Jerry's \"quote\"</b>")));
  }

  @Test
  void aTaskWithoutATitleIsUntitled() {
    assertEquals("(untitled task)", Wording.title(null));
    assertEquals("(untitled task)", Wording.title(new JsonObject()));
    assertEquals("(untitled task)", Wording.title(task("")));
    assertEquals("(untitled task)", Wording.title(task("  ")));
  }

  @Test
  void aDueTimeReadsInTheTasksZone() {
    JsonObject task =
        task("Call Ada").put("dueAt", "2024-04-01T07:00:00Z").put("timeZone", "Europe/Berlin");
    assertEquals(
        "Due Mon 1 Apr 2024, 09:00 CEST.",
        Wording.body(DUE, task, "2024-04-01T06:45:00Z", NEW_YORK));
  }

  @Test
  void withoutAZoneOfItsOwnTheTaskReadsInTheUsersZone() {
    JsonObject task = task("Call Ada").put("dueAt", "2024-01-15T14:30:00Z");
    assertEquals("Due Mon 15 Jan 2024, 09:30 EST.", Wording.body(DUE, task, null, NEW_YORK));
    assertEquals(
        "Due Mon 15 Jan 2024, 14:30 UTC.", Wording.body(DUE, task, null, ZoneId.of("UTC")));
    assertEquals(
        "Due Mon 15 Jan 2024, 09:30 EST.",
        Wording.body(DUE, task.put("timeZone", "Not/AZone"), null, NEW_YORK),
        "a zone that is not one is left out");
  }

  @Test
  void aDueDayHasNoTime() {
    JsonObject task = task("Pay rent").put("dueDate", "2024-12-24");
    assertEquals("Due Tue 24 Dec 2024.", Wording.body(DUE, task, null, NEW_YORK));
  }

  @Test
  void withoutADueTimeItIsJustAReminder() {
    assertEquals(
        "Reminder.", Wording.body(DUE, task("Call Ada"), "2024-04-01T06:45:00Z", NEW_YORK));
    assertEquals("Reminder.", Wording.body(DUE, null, null, NEW_YORK));
  }

  @Test
  void aMissedReminderSaysWhenItWasDue() {
    JsonObject task =
        task("Call Ada").put("dueAt", "2024-04-01T07:00:00Z").put("timeZone", "Europe/Berlin");
    assertEquals(
        "Missed while taskbus was down: the reminder was due at Mon 1 Apr 2024, 08:45 CEST."
            + " Due Mon 1 Apr 2024, 09:00 CEST.",
        Wording.body(MISSED, task, "2024-04-01T06:45:00Z", NEW_YORK));
    assertEquals(
        "Missed while taskbus was down: the reminder was due at Sun 31 Mar 2024, 23:00 EDT.",
        Wording.body(MISSED, task("Call Ada"), "2024-04-01T03:00:00Z", NEW_YORK));
    assertEquals(
        "Missed while taskbus was down: the reminder was due.",
        Wording.body(MISSED, null, null, NEW_YORK));
  }
}
