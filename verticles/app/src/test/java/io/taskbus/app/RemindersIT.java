package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.taskbus.devstack.DevStack;
import io.taskbus.recurrence.RecurrenceAndRemindersVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reminders fire once, on time, follow their task, and are never silently late. */
class RemindersIT {

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,bridge,kafka,audit,recurrence");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void remindersFiredTogetherReachKafkaInTheirUsersOrder() throws Exception {
    List<String> users = new ArrayList<>();
    for (int u = 0; u < 8; u++) {
      users.add(TestSystem.uniqueUser("order" + u));
    }
    // every reminder due at the same instant: one claim fires them together, users interleaved
    Instant at = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < 25; i++) {
      for (String user : users) {
        var created =
            system.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "call " + i)
                    .put(
                        "reminders", new JsonArray().add(new JsonObject().put("at", at.toString())))
                    .encode());
        assertEquals(201, created.statusCode(), created.body());
      }
    }
    try (EventLog log = new EventLog()) {
      log.readUntil(
          Duration.ofSeconds(30),
          rs ->
              rs.stream()
                      .filter(r -> users.contains(r.key()) && r.value().contains("reminder.due"))
                      .count()
                  == 25L * users.size());
      for (String user : users) {
        List<Long> seqs =
            log.checkedEventsOfUser(user, 50, Duration.ofSeconds(5)).stream()
                .map(e -> e.getLong("seq"))
                .toList();
        assertEquals(50, seqs.size(), user + ": 25 creations and 25 reminders");
        for (int i = 1; i < seqs.size(); i++) {
          assertTrue(seqs.get(i) > seqs.get(i - 1), user + ": order broken at " + i + ": " + seqs);
        }
      }
    }
  }

  @Test
  void aReminderBeforeTheDueFiresOnceAndReachesTheOpenTab() throws Exception {
    String user = TestSystem.uniqueUser("remind");
    try (BridgeClient tab = BridgeClient.connect(system.port, system.token(user))) {
      tab.register(Addresses.userTasks(user));
      Instant due = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
      var created =
          system.call(
              "POST",
              "/api/v1/tasks",
              user,
              new JsonObject()
                  .put("title", "call mum")
                  .put("dueAt", due.toString())
                  .put("timeZone", "Europe/Berlin")
                  .put("reminders", new JsonArray().add(new JsonObject().put("before", "PT2S")))
                  .encode());
      assertEquals(201, created.statusCode(), created.body());
      JsonObject task = new JsonObject(created.body());
      assertEquals(
          new JsonArray().add(new JsonObject().put("before", "PT2S")),
          task.getJsonArray("reminders"));
      JsonObject push = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < deadline) {
        JsonObject frame = tab.next("rec", Duration.ofSeconds(1));
        if (frame != null && "reminder.due".equals(frame.getJsonObject("body").getString("type"))) {
          push = frame;
          break;
        }
      }
      assertNotNull(push, "the reminder should reach the open tab");
      EventSchemas.assertFrame("liveTaskFrame", push);
      JsonObject data = push.getJsonObject("body").getJsonObject("data");
      assertEquals("call mum", data.getJsonObject("task").getString("title"));
      Instant fireAt =
          Instant.parse(data.getJsonObject("reminder").getString("fireAt").replace(" ", "T"));
      assertEquals(due.minusSeconds(2), fireAt);
      // the event is written with the reminder's change to fired, in one transaction, so both are
      // there now; and with nothing pending left for the task, nothing can fire for it again
      assertEquals(
          1,
          TestSystem.count(
              "SELECT count(*) FROM reminders WHERE task_id = ?::uuid AND state = 'fired'",
              task.getString("id")));
      assertEquals(0, pending(task.getString("id")), "nothing left to fire");
    }
  }

  @Test
  void remindersFollowTheirTask() throws Exception {
    String user = TestSystem.uniqueUser("follow");
    Instant due = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    JsonObject task =
        new JsonObject(
            system
                .call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    new JsonObject()
                        .put("title", "dentist")
                        .put("dueAt", due.toString())
                        .put("timeZone", "UTC")
                        .put(
                            "reminders",
                            new JsonArray()
                                .add(new JsonObject().put("before", "PT1H"))
                                .add(
                                    new JsonObject()
                                        .put("at", due.minus(1, ChronoUnit.DAYS).toString())))
                        .encode())
                .body());
    String id = task.getString("id");
    assertEquals(2, pending(id));
    assertEquals(due.minus(1, ChronoUnit.HOURS), latest(id));
    system.call(
        "PATCH",
        "/api/v1/tasks/" + id,
        user,
        new JsonObject().put("dueAt", due.plus(1, ChronoUnit.DAYS).toString()).encode());
    assertEquals(
        due.plus(1, ChronoUnit.DAYS).minus(1, ChronoUnit.HOURS),
        latest(id),
        "rescheduled with the due");
    system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null);
    assertEquals(0, pending(id), "a completed task reminds no one");
    system.call("POST", "/api/v1/tasks/" + id + "/reopen", user, null);
    assertEquals(2, pending(id));
    system.call("DELETE", "/api/v1/tasks/" + id, user, null);
    assertEquals(0, pending(id), "nor does a trashed one");
    var bad =
        system.call(
            "POST",
            "/api/v1/tasks",
            user,
            new JsonObject()
                .put("title", "x")
                .put("reminders", new JsonArray().add(new JsonObject().put("before", "PT15M")))
                .encode());
    assertEquals(400, bad.statusCode(), "a relative reminder needs a due");
    bad =
        system.call(
            "POST",
            "/api/v1/tasks",
            user,
            new JsonObject()
                .put("title", "x")
                .put("dueDate", "2026-12-24")
                .put("reminders", new JsonArray().add(new JsonObject().put("before", "15 minutes")))
                .encode());
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("ISO-8601 duration"), bad.body());
  }

  @Test
  void threeTimersRacingOverAThousandDueRemindersFireEachOnceAndOldOnesAreMissed()
      throws Exception {
    String user = TestSystem.uniqueUser("race");
    String taskId =
        new JsonObject(
                system
                    .call(
                        "POST",
                        "/api/v1/tasks",
                        user,
                        new JsonObject().put("title", "busy").encode())
                    .body())
            .getString("id");
    // two more timer instances in this process, and one in another process that is killed mid-way
    PgConnectOptions pg = PgConnectOptions.fromUri(DevStack.shared().postgresUri());
    Pool pool = PgBuilder.pool().connectingTo(pg).using(system.taskbus.vertx()).build();
    List<String> extra = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      extra.add(
          system
              .taskbus
              .vertx()
              .deployVerticle(
                  new RecurrenceAndRemindersVerticle(pool),
                  new DeploymentOptions().setConfig(system.taskbus.config()))
              .await());
    }
    try (ChildProcess doomed =
        ChildProcess.start("timers-killed", Map.of("TASKBUS_VERTICLES", "recurrence"))) {
      try (Connection c = TestSystem.jdbc();
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO reminders (user_id, task_id, spec, fire_at)"
                      + " SELECT ?, ?::uuid, ?::jsonb, ? FROM generate_series(1, 1000)")) {
        // as the api writes them: reminders at a time, one second ago and two hours ago
        Instant due = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        insert.setString(1, user);
        insert.setString(2, taskId);
        insert.setString(3, new JsonObject().put("at", due.toString()).encode());
        insert.setObject(4, due.atOffset(java.time.ZoneOffset.UTC));
        insert.executeUpdate();
        try (PreparedStatement old =
            c.prepareStatement(
                "INSERT INTO reminders (user_id, task_id, spec, fire_at)"
                    + " VALUES (?, ?::uuid, ?::jsonb, ?)")) {
          Instant missed = due.minus(2, ChronoUnit.HOURS);
          old.setString(1, user);
          old.setString(2, taskId);
          old.setString(3, new JsonObject().put("at", missed.toString()).encode());
          old.setObject(4, missed.atOffset(java.time.ZoneOffset.UTC));
          old.executeUpdate();
        }
      }
      // killed while the reminders are being fired: some are, not necessarily by it
      TestSystem.eventually(
          Duration.ofSeconds(10),
          () ->
              TestSystem.count(
                  "SELECT count(*) FROM reminders WHERE user_id = ? AND state = 'fired'", user),
          n -> n > 0);
      doomed.kill();
    } finally {
      for (String id : extra) {
        system.taskbus.vertx().undeploy(id).await();
      }
      pool.close().await();
    }
    TestSystem.eventually(
        Duration.ofSeconds(30),
        () ->
            TestSystem.count(
                "SELECT count(*) FROM reminders WHERE user_id = ? AND state = 'pending'", user),
        n -> n == 0);
    assertEquals(
        1000,
        TestSystem.count(
            "SELECT count(*) FROM reminders WHERE user_id = ? AND state = 'fired'", user));
    assertEquals(
        1,
        TestSystem.count(
            "SELECT count(*) FROM reminders WHERE user_id = ? AND state = 'missed'", user));
    long events =
        TestSystem.eventually(
            Duration.ofSeconds(30),
            () ->
                TestSystem.count(
                    "SELECT count(*) FROM audit_log WHERE user_id = ? AND type = 'reminder.due'",
                    user),
            n -> n >= 1000);
    assertEquals(1000, events);
    assertEquals(
        1000,
        TestSystem.count(
            "SELECT count(DISTINCT data -> 'reminder' ->> 'id') FROM audit_log"
                + " WHERE user_id = ? AND type = 'reminder.due'",
            user),
        "each reminder fired once");
    assertEquals(
        1,
        TestSystem.count(
            "SELECT count(*) FROM audit_log WHERE user_id = ? AND type = 'reminder.missed'", user));
    try (EventLog kafka = new EventLog()) {
      assertEquals(
          1002,
          kafka.checkedEventsOfUser(user, 1002, Duration.ofSeconds(30)).size(),
          "the task's creation, 1000 fired and 1 missed reminder");
    }
    String metrics = system.get("/metrics", null).body();
    assertTrue(metrics.contains("taskbus_reminder_fire_delay_seconds"), "fire delay is exported");
  }

  private static long pending(String taskId) throws Exception {
    return TestSystem.count(
        "SELECT count(*) FROM reminders WHERE task_id = ?::uuid AND state = 'pending'", taskId);
  }

  private static Instant latest(String taskId) throws Exception {
    try (Connection c = TestSystem.jdbc();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT max(fire_at) FROM reminders WHERE task_id = ?::uuid AND state = 'pending'")) {
      s.setString(1, taskId);
      var rs = s.executeQuery();
      rs.next();
      return rs.getTimestamp(1).toInstant();
    }
  }
}
