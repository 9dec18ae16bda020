package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A timer process is SIGKILLed in the middle of a batch of due reminders; after a restart every
 * reminder has fired exactly once: its row is fired, and its one reminder.due event went through
 * Kafka into the audit log.
 */
class TimerCrashIT {

  static final int REMINDERS = 2_000;
  static final int BATCH = 100;

  @Test
  void aTimerKilledMidBatchLosesNothingAndDoublesNothingAfterARestart() throws Exception {
    // this process publishes and audits; only the child processes run timers
    try (TestSystem system = TestSystem.start("api,kafka,audit")) {
      String user = TestSystem.uniqueUser("crash");
      String taskId = system.createTask(user, "many reminders").getString("id");
      Map<String, String> timers =
          Map.of(
              "TASKBUS_VERTICLES",
              "recurrence",
              "TASKBUS_TIMERS_BATCHSIZE",
              Integer.toString(BATCH),
              "TASKBUS_TIMERS_INTERVALMS",
              "50");
      String function = "slow_" + user.replace('-', '_');
      try (ChildProcess first = ChildProcess.start("timers-first", timers);
          Connection c = TestSystem.jdbc();
          Statement sql = c.createStatement()) {
        // Each of this user's reminder events takes 2 ms to write, so a batch of 100 takes about
        // 200 ms and the kill below lands inside one (the claim statement is seen running).
        sql.execute(
            "CREATE FUNCTION "
                + function
                + "() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN IF NEW.user_id = '"
                + user
                + "' THEN PERFORM pg_sleep(0.002); END IF;"
                + " RETURN NEW; END $$");
        sql.execute(
            "CREATE TRIGGER "
                + function
                + " BEFORE INSERT ON outbox FOR EACH ROW"
                + " EXECUTE FUNCTION "
                + function
                + "()");
        try {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO reminders"
                      + " (user_id, task_id, spec, fire_at) SELECT ?, ?::uuid, '{\"before\":\"PT0S\"}',"
                      + " now() - interval '1 second' FROM generate_series(1, "
                      + REMINDERS
                      + ")")) {
            insert.setString(1, user);
            insert.setString(2, taskId);
            insert.executeUpdate();
          }
          String claiming =
              "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                  + " AND query LIKE '%FOR UPDATE SKIP LOCKED%' AND pid <> pg_backend_pid()";
          long fired =
              TestSystem.eventually(
                  Duration.ofSeconds(30),
                  () -> fired(user),
                  n -> {
                    try {
                      return n >= 3L * BATCH && TestSystem.count(claiming) > 0;
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
          first.kill();
          assertTrue(
              fired >= 3L * BATCH && fired < REMINDERS, "killed part-way: " + fired + " fired");
          // the batch it was in is rolled back whole: only whole committed batches have fired.
          // Its backend ends the statement on its own; once no claim runs (only the killed
          // process ran timers), nothing more can commit
          long afterKill =
              TestSystem.eventually(
                  Duration.ofSeconds(10),
                  () -> TestSystem.count(claiming) == 0 ? fired(user) : -1L,
                  n -> n >= 0);
          assertEquals(0, afterKill % BATCH, afterKill + " fired: a partial batch committed");
          assertEquals(
              REMINDERS, afterKill + pending(user), "nothing lost with the killed process");
        } finally {
          sql.execute("DROP TRIGGER " + function + " ON outbox");
          sql.execute("DROP FUNCTION " + function + "()");
        }
      }
      try (ChildProcess restarted = ChildProcess.start("timers-restarted", timers)) {
        TestSystem.eventually(Duration.ofSeconds(60), () -> pending(user), n -> n == 0);
      }
      assertEquals(REMINDERS, fired(user));
      assertEquals(
          0,
          TestSystem.count(
              "SELECT count(*) FROM reminders WHERE user_id = ? AND state = 'missed'", user));
      // The relay deletes outbox rows once Kafka has them, so the events are counted where they
      // end up: the audit log, fed from Kafka and keyed by event id. A reminder fired twice would
      // be two events (two outbox ids), so two rows here.
      long audited =
          TestSystem.eventually(
              Duration.ofSeconds(60),
              () ->
                  TestSystem.count(
                      "SELECT count(*) FROM audit_log WHERE user_id = ? AND type = 'reminder.due'",
                      user),
              n -> n >= REMINDERS);
      assertEquals(REMINDERS, audited, "through Kafka into the audit log, each once");
      assertEquals(
          REMINDERS,
          TestSystem.count(
              "SELECT count(DISTINCT data -> 'reminder' ->> 'id')"
                  + " FROM audit_log WHERE user_id = ? AND type = 'reminder.due'",
              user));
      JsonObject task = new JsonObject(system.get("/api/v1/tasks/" + taskId, user).body());
      assertEquals("many reminders", task.getString("title"));
      try (EventLog kafka = new EventLog()) {
        List<JsonObject> events =
            kafka.checkedEventsOfUser(user, 1 + REMINDERS, Duration.ofSeconds(30));
        assertEquals(1 + REMINDERS, events.size(), "the task's creation and its reminders");
        assertEquals(
            REMINDERS,
            events.stream().filter(e -> "reminder.due".equals(e.getString("type"))).count());
      }
    }
  }

  private static long fired(String user) throws Exception {
    return TestSystem.count(
        "SELECT count(*) FROM reminders WHERE user_id = ? AND state = 'fired'", user);
  }

  private static long pending(String user) throws Exception {
    return TestSystem.count(
        "SELECT count(*) FROM reminders WHERE user_id = ? AND state = 'pending'", user);
  }
}
