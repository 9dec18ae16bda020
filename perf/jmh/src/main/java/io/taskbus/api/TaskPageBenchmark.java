package io.taskbus.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A page of {@code GET /api/v1/tasks} (50 tasks and a next cursor) turned into the response body,
 * three ways:
 *
 * <ul>
 *   <li>{@link #handWritten}: what the API does ({@code TaskHandlers.page} calls {@link
 *       TaskJson#page}: {@link JsonBytes} and {@link IsoText});
 *   <li>{@link #library}: Vert.x's way, a {@link JsonObject} of {@link JsonArray}s encoded by
 *       Jackson ({@code toBuffer()}), the texts of ids and times by the JDK's {@code toString()};
 *   <li>{@link #libraryMapsIsoText}: the same maps made by {@link Task#toJson()}, whose times come
 *       from {@link IsoText}: only the JSON writing is the library's.
 * </ul>
 *
 * The setup checks that all three write the same JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TaskPageBenchmark {

  private static final String[] WORDS = {
    "budget", "review", "call", "plumber", "invoice", "passport", "renew", "groceries", "dentist",
    "report", "slides", "backup", "tickets", "garden", "taxes", "meeting", "draft", "order"
  };
  private static final String[] NON_ASCII = {
    "Zoë", "Müller", "café", "São Paulo", "Kraków", "naïve", "Ångström", "½ day", "€ 40", "東京"
  };
  private static final String[] TAGS = {"work", "home", "errands", "bills", "health", "q4"};
  private static final String[] ZONES = {
    "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"
  };
  private static final String[] PRIORITIES = {"low", "medium", "medium", "high"};

  private List<Task> page;
  private String next;

  @Setup
  public void setUp() {
    page = page(50, new SplittableRandom(42));
    next =
        new ListCursor(
                "created",
                "desc",
                page.get(page.size() - 1).createdAt().toString(),
                page.get(page.size() - 1).id())
            .encode();
    String mine = handWritten().toString();
    String theirs = library().toString();
    String maps = libraryMapsIsoText().toString();
    if (!new JsonObject(mine).equals(new JsonObject(theirs))
        || !new JsonObject(mine).equals(new JsonObject(maps))) {
      throw new IllegalStateException("the ways write different JSON:\n" + mine + "\n" + theirs);
    }
    if (!mine.equals(theirs) || !mine.equals(maps)) {
      throw new IllegalStateException("same JSON, different bytes:\n" + mine + "\n" + theirs);
    }
  }

  @Benchmark
  public Buffer handWritten() {
    return TaskJson.page(page, next);
  }

  @Benchmark
  public Buffer library() {
    JsonArray items = new JsonArray(new ArrayList<>(page.size()));
    for (Task t : page) {
      Task.Series series = t.series();
      items.add(
          new JsonObject()
              .put("id", t.id().toString())
              .put("title", t.title())
              .put("description", t.description())
              .put("priority", t.priority())
              .put("tags", new JsonArray(t.tags()))
              .put("dueDate", t.dueDate() == null ? null : t.dueDate().toString())
              .put(
                  "dueAt",
                  t.dueAt() == null
                      ? null
                      : t.dueAt()
                          .atZone(t.zone())
                          .toOffsetDateTime()
                          .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME))
              .put("timeZone", t.timeZone())
              .put("completed", t.completed())
              .put("completedAt", text(t.completedAt()))
              .put("createdAt", text(t.createdAt()))
              .put("updatedAt", text(t.updatedAt()))
              .put("deletedAt", text(t.deletedAt()))
              .put("version", t.version())
              .put("recurrence", series == null ? null : series.recurrence())
              .put("seriesId", series == null ? null : series.id().toString())
              .put("seriesStart", series == null ? null : series.start())
              .put("occurrence", series == null ? null : series.occurrence())
              .put("reminders", t.reminders() == null ? new JsonArray() : t.reminders())
              .put("skipped", t.skipped()));
    }
    return new JsonObject().put("items", items).put("nextCursor", next).toBuffer();
  }

  @Benchmark
  public Buffer libraryMapsIsoText() {
    JsonArray items = new JsonArray(new ArrayList<>(page.size()));
    for (Task t : page) {
      items.add(t.toJson());
    }
    return new JsonObject().put("items", items).put("nextCursor", next).toBuffer();
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /**
   * Tasks as {@link Task#fromRow} makes them from PostgreSQL: times in microseconds, tags as a
   * read-only list over the column's array, reminders parsed from their text. Most titles are
   * ASCII; about one in five has a non-ASCII word, one in ten a quote. Three in four are due (a
   * date, or a time in one of five zones), one in five of those recurs, one in six of those due at
   * a time has a reminder, a quarter are completed.
   */
  static List<Task> page(int size, SplittableRandom random) {
    Instant now = Instant.parse("2026-12-07T09:30:00Z");
    List<Task> tasks = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      Instant created =
          now.minusSeconds(3_600L * i + random.nextInt(3_600)).plusNanos(micros(random));
      Instant updated = created.plusSeconds(random.nextInt(600)).plusNanos(micros(random));
      StringBuilder title = new StringBuilder(capitalised(word(random)));
      for (int w = 1 + random.nextInt(4); w > 0; w--) {
        title.append(' ').append(word(random));
      }
      if (random.nextInt(5) == 0) {
        title.append(" with ").append(NON_ASCII[random.nextInt(NON_ASCII.length)]);
      }
      if (random.nextInt(10) == 0) {
        title.append(" \"").append(word(random)).append('"');
      }
      String description =
          switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> "";
            default -> "Ask about the " + word(random) + " and the " + word(random) + ".";
          };
      String[] tags = new String[random.nextInt(4)];
      for (int t = 0; t < tags.length; t++) {
        tags[t] = TAGS[random.nextInt(TAGS.length)];
      }
      LocalDate dueDate = null;
      Instant dueAt = null;
      String zone = null;
      switch (random.nextInt(4)) {
        case 0 -> {
          dueDate = LocalDate.of(2026, 12, 1).plusDays(random.nextInt(60));
          zone = ZONES[random.nextInt(ZONES.length)];
        }
        case 1 -> {
          zone = ZONES[random.nextInt(ZONES.length)];
          dueAt =
              LocalDate.of(2026, 12, 1)
                  .plusDays(random.nextInt(60))
                  .atTime(8 + random.nextInt(10), random.nextInt(4) * 15)
                  .atZone(ZoneId.of(zone))
                  .toInstant();
        }
        case 2 -> {
          zone = "Europe/Berlin";
          dueAt = now.plusSeconds(60L * random.nextInt(100_000));
        }
        default -> {}
      }
      Task.Series series = null;
      if (random.nextInt(5) == 0 && (dueDate != null || dueAt != null)) {
        String start =
            dueAt != null
                ? dueAt.atZone(ZoneId.of(zone)).toOffsetDateTime().toString()
                : dueDate.toString();
        series =
            new Task.Series(
                new JsonObject()
                    .put("rule", random.nextBoolean() ? "FREQ=WEEKLY;BYDAY=MO" : "FREQ=DAILY")
                    .put("mode", "schedule")
                    .put("overdue", "skip"),
                new UUID(0x0190f5a000007000L | i, 0x8000000000000000L | random.nextLong() >>> 2),
                start,
                start);
      }
      JsonArray reminders =
          random.nextInt(6) == 0 && dueAt != null
              ? new JsonArray("[{\"before\":\"PT15M\"}]")
              : new JsonArray();
      boolean completed = random.nextInt(4) == 0;
      tasks.add(
          new Task(
              new UUID(
                  0x0190f5a000007000L | (long) i << 16,
                  0x8000000000000000L | random.nextLong() >>> 2),
              title.toString(),
              description,
              PRIORITIES[random.nextInt(PRIORITIES.length)],
              Collections.unmodifiableList(Arrays.asList(tags)),
              dueDate,
              dueAt,
              zone,
              completed,
              completed ? updated : null,
              created,
              updated,
              null,
              1 + random.nextInt(5),
              series,
              reminders,
              false));
    }
    return tasks;
  }

  private static String word(SplittableRandom random) {
    return WORDS[random.nextInt(WORDS.length)];
  }

  private static String capitalised(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  /** PostgreSQL keeps microseconds: a fraction of 0–6 digits. */
  private static long micros(SplittableRandom random) {
    return random.nextInt(1_000_000) * 1_000L;
  }
}
