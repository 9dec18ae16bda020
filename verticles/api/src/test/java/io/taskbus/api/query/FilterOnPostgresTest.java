package io.taskbus.api.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskbus.devstack.DevStack;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiled filters against real PostgreSQL, on hand-made tasks around the DST changes of New York
 * (8 March and 1 November 2026) and Berlin (29 March and 25 October 2026). Each expectation is the
 * list a user would see; the comments say which trap a task sets.
 */
class FilterOnPostgresTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  // five past midnight on the day New York springs forward: the day is 23 hours long
  private static final Instant NY_NOW = at("2026-03-08T00:05-05:00");
  private static final Instant NY_NOON = at("2026-03-08T12:00-04:00");
  // ten past midnight on the day Berlin falls back: the day is 25 hours long
  private static final Instant BERLIN_NOW = at("2026-10-25T00:10+02:00");
  private static final String OLD = "2026-03-01T12:00Z";

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void createTasks() throws Exception {
    vertx = Vertx.vertx();
    pool =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(DevStack.shared().postgresUri()))
            .using(vertx)
            .build();
    await(pool.query("DROP SCHEMA IF EXISTS filtertest CASCADE").execute());
    await(pool.query("CREATE SCHEMA filtertest").execute());
    await(
        pool.query(
                """
        CREATE TABLE filtertest.tasks (
          id uuid PRIMARY KEY,
          user_id text NOT NULL,
          title text NOT NULL,
          description text,
          priority text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
          completed boolean NOT NULL DEFAULT false,
          completed_at timestamptz,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          deleted_at timestamptz,
          version int NOT NULL DEFAULT 1,
          tags text[] NOT NULL DEFAULT '{}',
          due_date date,
          due_at timestamptz,
          time_zone text,
          search tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title), 'A') ||
              setweight(to_tsvector('simple', coalesce(description, '')), 'B')) STORED,
          CHECK (due_date IS NULL OR due_at IS NULL)
        )""")
            .execute());
    List<Object[]> rows = new ArrayList<>();
    // New York user
    rows.add(allDay("ny", "Pay rent", "high", false, "2026-03-07", OLD, "home", "bills"));
    rows.add(allDay("ny", "File taxes", "medium", true, "2026-03-07", OLD, "bills"));
    rows.add(allDay("ny", "Call mum", "low", false, "2026-03-08", "2026-03-07T17:30Z", "family"));
    rows.add(
        set(
            allDay("ny", "Water plants", "low", false, "2026-03-09", "2026-03-07T16:30Z", "home"),
            3,
            "buy soil first"));
    rows.add(
        timed("ny", "Submit report", "high", false, "2026-03-07T23:59-05:00", NEW_YORK, "work"));
    rows.add(
        timed(
            "ny",
            "Night shift handover",
            "high",
            false,
            "2026-03-08T00:01-05:00",
            NEW_YORK,
            "work"));
    // today, but only if the day ends 23 hours after it began, not 24
    rows.add(
        timed(
            "ny", "Evening standup", "medium", false, "2026-03-08T23:30-04:00", NEW_YORK, "work"));
    // tomorrow, though within 24 hours of the start of today
    rows.add(
        set(
            timed(
                "ny",
                "Early flight",
                "medium",
                false,
                "2026-03-09T00:30-04:00",
                NEW_YORK,
                "travel"),
            6,
            OffsetDateTime.parse("2026-03-08T15:00Z")));
    rows.add(
        timed("ny", "Berlin review", "medium", false, "2026-03-08T09:00+01:00", BERLIN, "work"));
    rows.add(allDay("ny", "Dentist", "low", false, "2026-03-14", OLD, "health"));
    // all day in seven days: due at 00:00 that day, before now + 7 days
    rows.add(allDay("ny", "Buy oat milk", "medium", false, "2026-03-15", OLD, "home", "shopping"));
    // a minute either side of now + 7 calendar days (which is 7 x 24 h - 1 h away)
    rows.add(
        timed(
            "ny",
            "Deploy window opens",
            "high",
            false,
            "2026-03-15T00:04-04:00",
            NEW_YORK,
            "work"));
    rows.add(
        timed(
            "ny",
            "Deploy window closes",
            "high",
            false,
            "2026-03-15T00:06-04:00",
            NEW_YORK,
            "work"));
    rows.add(
        set(
            allDay("ny", "Buy bread", "low", false, "2026-03-16", OLD, "shopping"),
            3,
            "and skim milk"));
    rows.add(set(task("ny", "Milk the cows", "low", false, OLD, "farm"), 3, "then sell butter"));
    rows.add(task("ny", "Read a book", "low", false, OLD));
    rows.add(timed("ny", "Old invoice", "medium", true, "2026-03-01T10:00Z", NEW_YORK, "bills"));
    rows.add(allDay("ny", "Clocks go back", "low", false, "2026-11-01", OLD, "home"));
    rows.add(timed("ny", "After-party", "medium", false, "2026-11-01T00:30-04:00", NEW_YORK));
    // still 1 November: the day is 25 hours long
    rows.add(
        timed(
            "ny", "Renew passport", "medium", false, "2026-11-01T23:30-05:00", NEW_YORK, "travel"));
    rows.add(
        timed("ny", "Early train", "medium", false, "2026-11-02T00:30-05:00", NEW_YORK, "travel"));
    rows.add(
        set(
            allDay("ny", "Deleted chore", "high", false, "2026-03-07", OLD, "home"),
            10,
            OffsetDateTime.parse("2026-03-05T10:00Z")));
    // Berlin user
    rows.add(allDay("berlin", "Herbstmarkt", "medium", false, "2026-10-25", OLD));
    rows.add(allDay("berlin", "Chore from yesterday", "medium", false, "2026-10-24", OLD));
    rows.add(allDay("berlin", "Done yesterday", "medium", true, "2026-10-24", OLD));
    rows.add(timed("berlin", "Late night", "medium", false, "2026-10-25T00:05+02:00", BERLIN));
    rows.add(timed("berlin", "Late train", "medium", false, "2026-10-25T23:30+01:00", BERLIN));
    rows.add(timed("berlin", "Early bakery", "medium", false, "2026-10-26T00:30+01:00", BERLIN));
    rows.add(timed("berlin", "Spring forward", "medium", false, "2026-03-29T23:30+02:00", BERLIN));
    rows.add(timed("berlin", "Monday early", "medium", false, "2026-03-30T00:30+02:00", BERLIN));
    await(
        pool.preparedQuery(
                "INSERT INTO filtertest.tasks (id, user_id, title, description,"
                    + " priority, completed, created_at, updated_at, tags, due_date, deleted_at, due_at,"
                    + " time_zone) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
            .executeBatch(rows.stream().map(Tuple::from).toList()));
  }

  @AfterAll
  static void dropTasks() throws Exception {
    if (pool != null) {
      await(pool.query("DROP SCHEMA filtertest CASCADE").execute());
      await(pool.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void overdueIsOpenTasksPastTheirDayOrTime() throws Exception {
    assertEquals(titles("Pay rent", "Submit report", "Night shift handover"), ny("overdue"));
    // the March tasks are long past by October
    assertEquals(
        titles("Chore from yesterday", "Late night", "Spring forward", "Monday early"),
        filter("berlin", BERLIN, BERLIN_NOW, "overdue"));
  }

  @Test
  void todayIsTheUsersWholeDayHoweverLong() throws Exception {
    Set<String> today =
        titles("Call mum", "Night shift handover", "Evening standup", "Berlin review");
    assertEquals(today, ny("today"));
    assertEquals(today, ny("due = today"));
    assertEquals(today, conditions("ny", NEW_YORK, NY_NOW, c -> c.dueToday(NY_NOW)));
    assertEquals(
        titles("Herbstmarkt", "Late night", "Late train"),
        filter("berlin", BERLIN, BERLIN_NOW, "today"));
    assertEquals(
        titles("Spring forward"), filter("berlin", BERLIN, at("2026-03-29T00:10+01:00"), "today"));
    assertEquals(titles("Clocks go back", "After-party", "Renew passport"), ny("due = 2026-11-01"));
  }

  @Test
  void dueWithinSevenDaysCountsCalendarDays() throws Exception {
    assertEquals(
        titles(
            "Pay rent",
            "File taxes",
            "Call mum",
            "Water plants",
            "Dentist",
            "Buy oat milk",
            "Submit report",
            "Night shift handover",
            "Evening standup",
            "Early flight",
            "Berlin review",
            "Deploy window opens",
            "Old invoice"),
        ny("due < 7d"));
  }

  @Test
  void dueOnOrBeforeADateIsBeforeTheNextDayStarts() throws Exception {
    Set<String> expected =
        titles(
            "Pay rent",
            "File taxes",
            "Call mum",
            "Submit report",
            "Night shift handover",
            "Evening standup",
            "Berlin review",
            "Old invoice");
    assertEquals(expected, ny("due <= 2026-03-08"));
    assertEquals(
        expected,
        conditions(
            "ny",
            NEW_YORK,
            NY_NOW,
            c -> c.atOrBefore(DueBound.parse("dueBefore", "2026-03-08", NEW_YORK, NY_NOW))));
  }

  @Test
  void anAllDayTaskIsDueWhenItsDayStarts() throws Exception {
    assertEquals(
        titles("Pay rent", "File taxes", "Submit report", "Old invoice"),
        ny("due < 2026-03-08T00:00:00-05:00"));
    assertEquals(
        titles("Pay rent", "File taxes", "Call mum", "Submit report", "Old invoice"),
        ny("due <= 2026-03-08T05:00:00Z"));
  }

  @Test
  void tagsAnyAndAll() throws Exception {
    Set<String> any =
        titles(
            "Pay rent",
            "File taxes",
            "Old invoice",
            "Early flight",
            "Renew passport",
            "Early train");
    assertEquals(any, ny("tag:bills | tag:TRAVEL"));
    assertEquals(
        any,
        tasks("ny", p -> new TaskConditions(p, NEW_YORK).tagsAny(List.of("bills", " Travel "))));
    assertEquals(titles("Buy oat milk"), ny("tag:home & tag:\"Shopping\""));
    assertEquals(
        titles("Buy oat milk"),
        tasks("ny", p -> new TaskConditions(p, NEW_YORK).tagsAll(List.of("HOME", "shopping"))));
  }

  @Test
  void priorityLists() throws Exception {
    assertEquals(
        titles(
            "Pay rent",
            "Submit report",
            "Night shift handover",
            "Deploy window opens",
            "Call mum",
            "Water plants",
            "Dentist"),
        ny("priority:high,low & due < 7d"));
    assertEquals(
        titles("Pay rent", "Submit report", "Night shift handover", "Deploy window opens"),
        ny("priority:high & (tag:work | tag:home) & due < 7d & !completed"));
    assertEquals(
        titles(
            "Pay rent",
            "Submit report",
            "Night shift handover",
            "Deploy window opens",
            "Deploy window closes"),
        tasks("ny", p -> new TaskConditions(p, NEW_YORK).priorityIn(List.of("high"))));
  }

  @Test
  void fullTextMatchesEveryWordInTitleOrDescription() throws Exception {
    assertEquals(titles("Buy oat milk", "Buy bread"), ny("buy milk"));
    assertEquals(titles("Buy oat milk"), ny("\"oat milk\""));
    assertEquals(titles("Buy bread"), ny("BUY Milk & priority:low & has:due"));
  }

  @Test
  void negationsIncludeTasksWithoutADueDate() throws Exception {
    assertEquals(
        titles(
            "Pay rent",
            "Call mum",
            "Submit report",
            "Night shift handover",
            "Evening standup",
            "Berlin review"),
        ny("!completed & due <= 2026-03-08"));
    assertEquals(
        titles(
            "Deploy window closes",
            "Buy bread",
            "Milk the cows",
            "Read a book",
            "Clocks go back",
            "After-party",
            "Renew passport",
            "Early train"),
        ny("not (due < 7d)"));
    assertEquals(titles("Call mum"), ny("today & !tag:work"));
    assertEquals(titles("Milk the cows", "Read a book"), ny("no:due"));
  }

  @Test
  void createdInTheLastCalendarDay() throws Exception {
    // a day before noon on the DST day is 23 hours ago: Water plants, 23.5 hours ago, is older
    assertEquals(
        titles("Call mum", "Early flight"), filter("ny", NEW_YORK, NY_NOON, "created > -1d"));
    assertEquals(
        titles("Call mum", "Water plants", "Early flight"),
        filter("ny", NEW_YORK, NY_NOON, "created > -24h"));
  }

  private static Set<String> ny(String filter) throws Exception {
    return filter("ny", NEW_YORK, NY_NOW, filter);
  }

  private static Set<String> filter(String user, ZoneId zone, Instant now, String filter)
      throws Exception {
    return tasks(user, p -> FilterLanguage.compile(filter, zone, now, p));
  }

  private static Set<String> conditions(
      String user, ZoneId zone, Instant now, Function<DueConditions, String> condition)
      throws Exception {
    return tasks(user, p -> condition.apply(new DueConditions(p, zone)));
  }

  /** The titles a user sees: their own tasks, not deleted, that match. */
  private static Set<String> tasks(String user, Function<SqlParams, String> condition)
      throws Exception {
    SqlParams params = new SqlParams(2);
    String sql = condition.apply(params);
    List<Object> values = new ArrayList<>(List.of(user));
    values.addAll(params.values());
    Set<String> titles = new TreeSet<>();
    for (Row row :
        await(
            pool.preparedQuery(
                    "SELECT title FROM filtertest.tasks"
                        + " WHERE user_id = $1 AND deleted_at IS NULL AND "
                        + sql)
                .execute(Tuple.from(values)))) {
      titles.add(row.getString(0));
    }
    return titles;
  }

  private static Set<String> titles(String... titles) {
    return new TreeSet<>(List.of(titles));
  }

  /**
   * id, user_id, title, description, priority, completed, created_at, updated_at, tags, due_date,
   * deleted_at, due_at, time_zone.
   */
  private static Object[] task(
      String user,
      String title,
      String priority,
      boolean completed,
      String created,
      String... tags) {
    OffsetDateTime createdAt = OffsetDateTime.parse(created);
    return new Object[] {
      UUID.randomUUID(),
      user,
      title,
      null,
      priority,
      completed,
      createdAt,
      createdAt,
      tags,
      null,
      null,
      null,
      null
    };
  }

  private static Object[] allDay(
      String user,
      String title,
      String priority,
      boolean completed,
      String date,
      String created,
      String... tags) {
    return set(task(user, title, priority, completed, created, tags), 9, LocalDate.parse(date));
  }

  private static Object[] timed(
      String user,
      String title,
      String priority,
      boolean completed,
      String dueAt,
      ZoneId zone,
      String... tags) {
    Object[] row = task(user, title, priority, completed, OLD, tags);
    row[12] = zone.getId();
    return set(row, 11, OffsetDateTime.parse(dueAt));
  }

  private static Object[] set(Object[] row, int column, Object value) {
    row[column] = value;
    return row;
  }

  private static Instant at(String offsetDateTime) {
    return OffsetDateTime.parse(offsetDateTime).toInstant();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
