package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskJsonTest {

  private static final Instant CREATED = Instant.parse("2026-03-08T06:59:59.123456Z");

  private static Task plain() {
    return new Task(UUID.fromString("0190f5a0-1b2c-7d3e-8f40-123456789abc"), "Buy milk", null,
        "medium", List.of(), null, null, null, false, null, CREATED, CREATED, null, 1, null,
        null, false);
  }

  private static Task everything() {
    JsonObject recurrence = new JsonObject().put("rule", "FREQ=MONTHLY;BYMONTHDAY=31")
        .put("mode", "schedule").put("overdue", "skip").put("interval", 2)
        .put("nested", new JsonObject().put("a", new JsonArray().add(1.5).add(true).addNull()));
    JsonArray reminders = new JsonArray().add(new JsonObject().put("id", "r1").put("before", "PT15M"))
        .add(new JsonObject().put("id", "r2").put("at", "2026-03-29T00:30:00Z"));
    StringBuilder ascii = new StringBuilder();
    for (char c = 0; c < 128; c++) {
      ascii.append(c);
    }
    return new Task(UUID.fromString("0190f5a0-1b2c-7d3e-8f40-cba987654321"),
        "Quote \" backslash \\ tab \t newline \n control \u0001 é ß ӿ 中文 😀 </script> " + ascii,
        "line one\r\nline two\u2028end\uffff\u0800\u07ff\u0080 \uD83D\uDE00\uDBFF\uDFFF lone \uD800 x \uDC00", "high",
        List.of("work", "zürich", "a/b"),
        null, Instant.parse("2026-03-29T00:30:00Z"), "Europe/Berlin", true,
        Instant.parse("2026-03-30T10:00:00Z"), CREATED, Instant.parse("2026-03-30T10:00:00.5Z"),
        Instant.parse("2026-03-31T00:00:00Z"), 7,
        new Task.Series(recurrence, UUID.fromString("0190f5a0-0000-7000-8000-000000000001"),
            "2026-01-31T09:00:00+01:00", "2026-03-31T09:00:00+02:00"),
        reminders, true);
  }

  private static Task allDay() {
    return new Task(UUID.fromString("0190f5a0-1b2c-7d3e-8f40-000000000002"), "Gifts", "",
        "low", List.of("home"), LocalDate.of(2026, 12, 24), null, "America/New_York", false, null,
        CREATED, CREATED, null, 2, null, new JsonArray(), false);
  }

  private static String viaMaps(List<Task> tasks, String next) {
    JsonArray items = new JsonArray();
    tasks.forEach(task -> items.add(task.toJson()));
    return new JsonObject().put("items", items).put("nextCursor", next).toBuffer().toString();
  }

  @Test
  void aPageIsByteForByteWhatTheMapsEncodeTo() {
    List<Task> tasks = List.of(plain(), everything(), allDay());
    assertEquals(viaMaps(tasks, "eyJzIjoiY3JlYXRlZCJ9"), TaskJson.page(tasks, "eyJzIjoiY3JlYXRlZCJ9").toString());
    assertEquals(viaMaps(tasks, null), TaskJson.page(tasks, null).toString());
  }

  @Test
  void anEmptyPage() {
    assertEquals("{\"items\":[],\"nextCursor\":null}", TaskJson.page(List.of(), null).toString());
  }

  @Test
  void theTextReadsBackAsTheTask() {
    JsonObject item = new JsonObject(TaskJson.page(List.of(everything()), null).toString())
        .getJsonArray("items").getJsonObject(0);
    assertEquals(everything().title(), item.getString("title"));
    assertEquals("2026-03-29T01:30+01:00", item.getString("dueAt"));
    assertEquals(everything().toJson(), item);
  }
}
