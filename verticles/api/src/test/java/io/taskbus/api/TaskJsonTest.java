package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskJsonTest {

  private static final Instant CREATED = Instant.parse("2026-03-08T06:59:59.123456Z");

  private static Task plain() {
    return new Task(
        UUID.fromString("0190f5a0-1b2c-7d3e-8f40-123456789abc"),
        "Buy milk",
        null,
        "medium",
        List.of(),
        null,
        null,
        null,
        false,
        null,
        CREATED,
        CREATED,
        null,
        1,
        null,
        null,
        false);
  }

  private static Task everything() {
    JsonObject recurrence =
        new JsonObject()
            .put("rule", "FREQ=MONTHLY;BYMONTHDAY=31")
            .put("mode", "schedule")
            .put("overdue", "skip")
            .put("interval", 2)
            .put("nested", new JsonObject().put("a", new JsonArray().add(1.5).add(true).addNull()));
    JsonArray reminders =
        new JsonArray()
            .add(new JsonObject().put("id", "r1").put("before", "PT15M"))
            .add(new JsonObject().put("id", "r2").put("at", "2026-03-29T00:30:00Z"));
    StringBuilder ascii = new StringBuilder();
    for (char c = 0; c < 128; c++) {
      ascii.append(c);
    }
    return new Task(
        UUID.fromString("0190f5a0-1b2c-7d3e-8f40-cba987654321"),
        "Quote \" backslash \\ tab \t newline \n control \u0001 é ß ӿ 中文 😀 </script> " + ascii,
        "line one\r\nline two\u2028end\uffff\u0800\u07ff\u0080 \uD83D\uDE00\uDBFF\uDFFF lone \uD800 x \uDC00",
        "high",
        List.of("work", "zürich", "a/b"),
        null,
        Instant.parse("2026-03-29T00:30:00Z"),
        "Europe/Berlin",
        true,
        Instant.parse("2026-03-30T10:00:00Z"),
        CREATED,
        Instant.parse("2026-03-30T10:00:00.5Z"),
        Instant.parse("2026-03-31T00:00:00Z"),
        7,
        new Task.Series(
            recurrence,
            UUID.fromString("0190f5a0-0000-7000-8000-000000000001"),
            "2026-01-31T09:00:00+01:00",
            "2026-03-31T09:00:00+02:00"),
        reminders,
        true);
  }

  private static Task allDay() {
    return new Task(
        UUID.fromString("0190f5a0-1b2c-7d3e-8f40-000000000002"),
        "Gifts",
        "",
        "low",
        List.of("home"),
        LocalDate.of(2026, 12, 24),
        null,
        "America/New_York",
        false,
        null,
        CREATED,
        CREATED,
        null,
        2,
        null,
        new JsonArray(),
        false);
  }

  /** ASCII only: the fast path, with escapes at and across eight-byte boundaries. */
  private static Task ascii(int version) {
    return new Task(
        UUID.fromString("0190f5a0-1b2c-7d3e-8f40-000000000003"),
        "1234567\"\\abcdefg\u001f",
        "\"starts and ends with a quote, tab\there, ~DEL\u007f, null \u0000\"",
        "high",
        List.of("x\by", "12345678"),
        null,
        Instant.parse("1970-01-01T00:00:00Z"),
        "Asia/Kolkata",
        false,
        null,
        Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"),
        null,
        version,
        null,
        new JsonArray(),
        false);
  }

  private static String viaMaps(List<Task> tasks, String next) {
    JsonArray items = new JsonArray();
    tasks.forEach(task -> items.add(task.toJson()));
    return new JsonObject().put("items", items).put("nextCursor", next).toBuffer().toString();
  }

  @Test
  void aPageIsByteForByteWhatTheMapsEncodeTo() {
    List<Task> tasks =
        List.of(
            plain(),
            everything(),
            allDay(),
            ascii(0),
            ascii(10),
            ascii(123_456_789),
            ascii(Integer.MAX_VALUE),
            ascii(-3));
    assertEquals(
        viaMaps(tasks, "eyJzIjoiY3JlYXRlZCJ9"),
        TaskJson.page(tasks, "eyJzIjoiY3JlYXRlZCJ9").toString());
    assertEquals(viaMaps(tasks, null), TaskJson.page(tasks, null).toString());
  }

  @Test
  void aPageWrittenAfterABiggerOneHasNothingOfIt() {
    List<Task> many = java.util.Collections.nCopies(200, everything());
    Buffer big = TaskJson.page(many, "eyJzIjoiY3JlYXRlZCJ9");
    List<Task> one = List.of(plain());
    Buffer small = TaskJson.page(one, null);
    assertEquals(viaMaps(one, null), small.toString());
    assertEquals(
        viaMaps(many, "eyJzIjoiY3JlYXRlZCJ9"),
        big.toString(),
        "the first page is a copy of its own");
  }

  @Test
  void stringsAreWhatJacksonWrites() {
    SplittableRandom random = new SplittableRandom(7);
    // with halves of a surrogate pair, alone or together, and a '?' the encoder puts for one
    String alphabet = "abcdefgh?? \"\\\n\u0001\u001f\u007f~é中\uD83D\uDE00";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      // mostly plain ASCII; a special char now and then, at any position
      for (int j = 0; j < length; j++) {
        text.append(
            random.nextInt(8) == 0
                ? alphabet.charAt(random.nextInt(alphabet.length()))
                : (char) ('a' + random.nextInt(26)));
      }
      String expected = Json.encodeToBuffer(text.toString()).toString();
      String actual = new JsonBytes(4).string(text.toString()).toBuffer().toString();
      assertEquals(show(expected), show(actual));
    }
  }

  @Test
  void idsAreWhatJacksonWrites() {
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 10_000; i++) {
      UUID id = new UUID(random.nextLong(), random.nextLong());
      assertEquals(Json.encode(id.toString()), new JsonBytes(4).uuid(id).toBuffer().toString());
    }
    UUID edge = new UUID(-1L, 0L);
    assertEquals(Json.encode(edge.toString()), new JsonBytes(4).uuid(edge).toBuffer().toString());
  }

  /** Control characters and non-ASCII as numbers: a report shows them. */
  private static String show(String s) {
    StringBuilder b = new StringBuilder();
    s.chars().forEach(c -> b.append(c < 32 || c > 126 ? "<" + c + ">" : String.valueOf((char) c)));
    return b.toString();
  }

  @Test
  void anEmptyPage() {
    assertEquals("{\"items\":[],\"nextCursor\":null}", TaskJson.page(List.of(), null).toString());
  }

  @Test
  void theTextReadsBackAsTheTask() {
    JsonObject item =
        new JsonObject(TaskJson.page(List.of(everything()), null).toString())
            .getJsonArray("items")
            .getJsonObject(0);
    assertEquals(everything().title(), item.getString("title"));
    assertEquals("2026-03-29T01:30:00+01:00", item.getString("dueAt"));
    assertEquals(everything().toJson(), item);
  }
}
