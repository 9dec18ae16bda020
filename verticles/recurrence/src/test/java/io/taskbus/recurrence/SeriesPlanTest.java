package io.taskbus.recurrence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Skipped and moved occurrences: what comes next, and what the preview shows. */
class SeriesPlanTest {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  static SeriesPlan daily(String overdue, JsonArray exceptions) {
    Recurrence r =
        Recurrence.parse(
            new JsonObject()
                .put("rule", "FREQ=DAILY")
                .put("overdue", overdue)
                .put("exceptions", exceptions));
    return new SeriesPlan(Schedule.of(r, Anchor.allDay(LocalDate.parse("2026-06-01"), BERLIN)));
  }

  static Occurrence day(String date) {
    return Occurrence.allDay(LocalDate.parse(date));
  }

  @Test
  void catchUpPassesSkippedOnesAndTakesMovedOnesAtTheirNewDate() {
    SeriesPlan plan =
        daily(
            "catch-up",
            new JsonArray()
                .add(new JsonObject().put("occurrence", "2026-06-02").put("skip", true))
                .add(new JsonObject().put("occurrence", "2026-06-03").put("skip", true))
                .add(new JsonObject().put("occurrence", "2026-06-04").put("to", "2026-06-10")));
    Instant now = Instant.parse("2026-06-01T12:00:00Z");
    SeriesPlan.Planned next = plan.next(day("2026-06-01"), now).orElseThrow();
    assertEquals(day("2026-06-04"), next.occurrence());
    assertEquals(day("2026-06-10"), next.due());
    assertEquals(
        day("2026-06-05"),
        plan.next(next.occurrence(), now).orElseThrow().due(),
        "after a moved one the rule goes on from where it was");
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("occurrence", "2026-06-04").put("to", "2026-06-10")),
        plan.after(day("2026-06-03")));
  }

  @Test
  void skipPolicyJumpsToTheFutureButKeepsAnOccurrenceMovedIntoIt() {
    SeriesPlan plan =
        daily(
            "skip",
            new JsonArray()
                .add(new JsonObject().put("occurrence", "2026-06-03").put("to", "2026-06-25")));
    Instant now = Instant.parse("2026-06-20T12:00:00Z");
    SeriesPlan.Planned next = plan.next(day("2026-06-01"), now).orElseThrow();
    assertEquals(day("2026-06-03"), next.occurrence(), "moved past today: not overdue");
    assertEquals(day("2026-06-25"), next.due());
    assertEquals(day("2026-06-20"), plan.next(day("2026-06-03"), now).orElseThrow().occurrence());
  }

  @Test
  void previewMarksAndChangesAreChecked() {
    SeriesPlan plan =
        daily(
            "catch-up",
            new JsonArray()
                .add(new JsonObject().put("occurrence", "2026-06-02").put("skip", true)));
    JsonArray preview =
        plan.preview(
            Instant.parse("2026-05-31T22:00:00Z"), 3, day("2026-06-01"), day("2026-06-01"));
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("start", "2026-06-01"))
            .add(new JsonObject().put("start", "2026-06-02").put("skipped", true))
            .add(new JsonObject().put("start", "2026-06-03")),
        preview);
    assertTrue(
        assertThrows(
                RecurrenceException.class,
                () -> plan.change(day("2026-06-05"), "2026-06-04", "skip", null))
            .getMessage()
            .startsWith("start: "));
    assertEquals(2, plan.change(day("2026-06-01"), "2026-06-04", "move", "2026-06-06").size());
    assertEquals(0, plan.change(day("2026-06-01"), "2026-06-02", "restore", null).size());
    assertThrows(
        RecurrenceException.class,
        () ->
            Recurrence.parse(
                new JsonObject()
                    .put("preset", "daily")
                    .put("mode", "completion")
                    .put(
                        "exceptions",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("occurrence", "2026-06-02")
                                    .put("skip", true)))));
    assertThrows(
        RecurrenceException.class,
        () ->
            Recurrence.parse(
                new JsonObject()
                    .put("preset", "daily")
                    .put(
                        "exceptions",
                        new JsonArray().add(new JsonObject().put("occurrence", "2026-06-02")))));
  }
}
