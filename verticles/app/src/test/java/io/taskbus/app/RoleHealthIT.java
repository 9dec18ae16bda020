package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.audit.AuditVerticle;
import io.taskbus.contracts.ConfigValues;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads at {@code /health} and {@code /health/ready}: one entry per role the
 * process runs, and a consumer that stops taking its records makes its pod unready, by name, until
 * it takes them again.
 */
class RoleHealthIT {

  private static final Set<String> ACK_GROUPS =
      Set.of("taskbus-audit", "taskbus-recurrence", "taskbus-notification");

  @Test
  void theDetailShowsEachRoleTheProcessRunsAndNoOther() throws Exception {
    // stands in for the SMTP server: what /health reports is whether it accepts a connection
    try (ServerSocket smtp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TestSystem all =
            TestSystem.start(
                "api,bridge,kafka,audit,recurrence,notification",
                Map.of(
                    "TASKBUS_NOTIFICATION_SMTP_HOST",
                    "127.0.0.1",
                    "TASKBUS_NOTIFICATION_SMTP_PORT",
                    Integer.toString(smtp.getLocalPort())))) {
      String user = TestSystem.uniqueUser("health");
      all.createTask(user, "seen by every role");
      JsonObject health =
          TestSystem.eventually(
              Duration.ofSeconds(40),
              () -> detail(all),
              h ->
                  h.getJsonObject("kafka").getJsonObject("relay").getString("lastSendAt") != null
                      && h.getJsonObject("kafka")
                              .getJsonObject("relay")
                              .getJsonArray("shards")
                              .size()
                          == h.getJsonObject("kafka")
                              .getJsonObject("relay")
                              .getInteger("shardCount")
                      && subscriptions(h).stream()
                          .allMatch(
                              s ->
                                  !s.getJsonArray("partitions").isEmpty()
                                      && s.getString("lagMeasuredAt") != null
                                      && s.getLong("lag") == 0)
                      && audit(h).getString("lastProgressAt") != null
                      && Boolean.TRUE.equals(
                          h.getJsonObject("notification")
                              .getJsonObject("smtp")
                              .getBoolean("reachable"))
                      && h.getJsonObject("recurrence")
                              .getJsonObject("timers")
                              .getString("lastTickAt")
                          != null);

      assertEquals("UP", health.getString("status"), health.encodePrettily());
      assertEquals(
          new JsonArray(List.of("api", "bridge", "kafka", "audit", "recurrence", "notification")),
          health.getJsonArray("roles"));
      assertEquals(
          Set.of("status", "roles", "postgres", "kafka", "recurrence", "notification", "bridge"),
          health.fieldNames(),
          health.encodePrettily());

      JsonObject kafka = health.getJsonObject("kafka");
      assertEquals("UP", kafka.getString("status"));
      assertEquals("up", kafka.getJsonObject("broker").getString("status"));
      JsonObject relay = kafka.getJsonObject("relay");
      assertEquals("active", relay.getString("state"), relay.encode());
      assertEquals(
          relay.getInteger("shardCount"),
          relay.getJsonArray("shards").size(),
          "the only relay holds every shard: " + relay);
      assertTrue(relay.getBoolean("ok"));
      assertTrue(
          relay.containsKey("backlog"), "a relay holding shards counts the outbox: " + relay);
      assertRecent(relay.getString("lastSendAt"));

      JsonObject subscriptions = kafka.getJsonObject("subscriptions");
      assertEquals(
          Set.of("taskbus-audit", "taskbus-recurrence", "taskbus-notification", "taskbus-live"),
          subscriptions.fieldNames());
      for (String group : subscriptions.fieldNames()) {
        JsonObject s = subscriptions.getJsonObject(group);
        assertEquals(group, s.getString("group"));
        assertEquals("task-events", s.getString("topic"));
        assertEquals(ACK_GROUPS.contains(group) ? "ack" : "publish", s.getString("mode"));
        assertEquals(0, s.getInteger("parked"), s.encode());
        assertFalse(s.getBoolean("stalled"), s.encode());
        assertEquals(
            ACK_GROUPS.contains(group) ? Long.valueOf(60_000) : null,
            s.getLong("stallAfterMs"),
            "the default, and none for live fan-out: " + s);
      }
      assertRecent(audit(health).getString("lastProgressAt"));

      JsonObject notification = health.getJsonObject("notification");
      JsonObject smtpState = notification.getJsonObject("smtp");
      assertEquals(smtp.getLocalPort(), smtpState.getInteger("port"));
      assertTrue(smtpState.getBoolean("configured"));
      assertTrue(
          notification.getJsonObject("courier").containsKey("lastDelivery"), "null before one");

      assertRecent(
          health.getJsonObject("recurrence").getJsonObject("timers").getString("lastTickAt"));

      int before = health.getJsonObject("bridge").getInteger("connections");
      try (BridgeClient browser = BridgeClient.connect(all.port, all.token(user))) {
        browser.registerAndAwait("user." + user + ".tasks");
        int connected =
            TestSystem.eventually(
                Duration.ofSeconds(10),
                () -> detail(all).getJsonObject("bridge").getInteger("connections"),
                n -> n == before + 1);
        assertEquals(before + 1, connected, "a browser's connection is counted");

        // a reminder comes due while the user's page is open: the courier pushes it
        HttpResponse<String> created =
            all.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "remind me")
                    .put(
                        "reminders",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("at", Instant.now().plus(Duration.ofHours(1)).toString())))
                    .encode());
        assertEquals(201, created.statusCode(), created.body());
        try (var c = TestSystem.jdbc();
            var due =
                c.prepareStatement(
                    "UPDATE reminders SET fire_at = now() WHERE user_id = ? AND state = 'pending'")) {
          due.setString(1, user);
          assertEquals(1, due.executeUpdate());
        }
        JsonObject delivery =
            TestSystem.eventually(
                Duration.ofSeconds(30),
                () ->
                    detail(all)
                        .getJsonObject("notification")
                        .getJsonObject("courier")
                        .getJsonObject("lastDelivery"),
                d -> d != null && "push".equals(d.getString("channel")));
        assertNotNull(delivery, "no delivery reported");
        assertEquals("push", delivery.getString("channel"), delivery.encode());
        assertEquals("sent", delivery.getString("outcome"), delivery.encode());
        assertRecent(delivery.getString("at"));
      }

      HttpResponse<String> ready = all.get("/health/ready", null);
      assertEquals(200, ready.statusCode(), ready.body());
    }

    try (TestSystem edge = TestSystem.start("api,bridge")) {
      HttpResponse<String> response = edge.get("/health", null);
      assertEquals(200, response.statusCode(), response.body());
      assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
      JsonObject health = new JsonObject(response.body());
      assertEquals(new JsonArray(List.of("api", "bridge")), health.getJsonArray("roles"));
      assertEquals(
          Set.of("status", "roles", "postgres", "bridge"),
          health.fieldNames(),
          "no relay, subscriptions, timers or courier where they do not run: "
              + health.encodePrettily());
      assertEquals("UP", health.getJsonObject("bridge").getString("status"));
      assertTrue(health.getJsonObject("bridge").getInteger("connections") >= 0);
    }
  }

  /**
   * The audit subscription runs in a process without the audit consumer: a new task's record parks
   * there. Once it has waited {@code stallAfterMs} without progress, readiness fails and says which
   * subscription; the others, which took their records, stay fine. Deploying the consumer lets the
   * record through, and readiness comes back by itself.
   */
  @Test
  void aStalledConsumerMakesItsProcessUnreadyUntilItMovesAgain() throws Exception {
    drainAckSubscriptions();
    Map<String, String> quick =
        Map.of(
            "TASKBUS_KAFKA_SUBSCRIPTIONDEFAULTS_STALLAFTERMS", "4000",
            "TASKBUS_KAFKA_SUBSCRIPTIONDEFAULTS_BACKOFFMS", "100",
            // it stays in its group however long this takes: the stall rule is under test here
            "TASKBUS_KAFKA_SUBSCRIPTIONDEFAULTS_YIELDAFTERMS", "0");
    try (TestSystem noAudit = TestSystem.start("api,kafka", quick)) {
      JsonObject assigned =
          TestSystem.eventually(
              Duration.ofSeconds(30),
              () -> detail(noAudit),
              h ->
                  "UP".equals(h.getString("status"))
                      && !audit(h).getJsonArray("partitions").isEmpty());
      assertEquals("UP", assigned.getString("status"), assigned.encodePrettily());
      assertEquals(4000, audit(assigned).getLong("stallAfterMs"));

      String user = TestSystem.uniqueUser("stall");
      String taskId = noAudit.createTask(user, "nobody audits this yet").getString("id");

      HttpResponse<String> unready =
          TestSystem.eventually(
              Duration.ofSeconds(40),
              () -> noAudit.get("/health/ready", null),
              r -> r.statusCode() == 503);
      assertEquals(503, unready.statusCode(), unready.body());
      JsonObject kafkaCheck = check(new JsonObject(unready.body()), "kafka");
      assertEquals("DOWN", kafkaCheck.getString("status"), unready.body());
      JsonArray problems = kafkaCheck.getJsonObject("data").getJsonArray("problems");
      assertEquals(1, problems.size(), problems.encode());
      assertTrue(problems.getString(0).contains("subscription taskbus-audit"), problems.encode());

      HttpResponse<String> detailed = noAudit.get("/health", null);
      assertEquals(503, detailed.statusCode(), "/health answers as readiness does");
      JsonObject health = new JsonObject(detailed.body());
      assertEquals("DOWN", health.getString("status"));
      JsonObject audit = audit(health);
      assertTrue(audit.getBoolean("stalled"), audit.encode());
      assertTrue(audit.getInteger("parked") >= 1, "the record waits for its consumer: " + audit);
      assertTrue(audit.getLong("lag") >= 1, audit.encode());
      assertTrue(audit.getLong("waitedMs") > 4000, audit.encode());
      assertFalse(audit.getJsonArray("stalledPartitions").isEmpty());
      for (String group : List.of("taskbus-recurrence", "taskbus-notification", "taskbus-live")) {
        JsonObject other = subscription(health, group);
        assertFalse(other.getBoolean("stalled"), "it took its records: " + other);
      }
      assertEquals("UP", health.getJsonObject("postgres").getString("status"));
      assertEquals(0, TestSystem.count("SELECT count(*) FROM audit_log WHERE user_id = ?", user));

      // the consumer arrives in the process, as a restarted audit pod would
      Pools pools =
          new Pools(
              noAudit.taskbus.vertx(),
              PgConnectOptions.fromUri(
                  noAudit.taskbus.config().getJsonObject("pg").getString("url")),
              ConfigValues.section(noAudit.taskbus.config(), "pg"));
      try {
        noAudit
            .taskbus
            .vertx()
            .deployVerticle(
                new AuditVerticle(pools.of("audit")),
                new DeploymentOptions().setConfig(noAudit.taskbus.config()))
            .await();
        HttpResponse<String> readyAgain =
            TestSystem.eventually(
                Duration.ofSeconds(40),
                () -> noAudit.get("/health/ready", null),
                r -> r.statusCode() == 200);
        assertEquals(200, readyAgain.statusCode(), readyAgain.body());
        JsonObject recovered = audit(detail(noAudit));
        assertFalse(recovered.getBoolean("stalled"), recovered.encode());
        assertRecent(recovered.getString("lastProgressAt"));
        assertEquals(
            1,
            TestSystem.count(
                "SELECT count(*) FROM audit_log WHERE user_id = ? AND subject = ?", user, taskId),
            "the parked record reached the audit log");
      } finally {
        pools.close().await();
      }
    }
  }

  /** Records other tests left uncommitted are taken first, so only this test's record waits. */
  private static void drainAckSubscriptions() throws Exception {
    try (TestSystem workers = TestSystem.start("api,kafka,audit,recurrence,notification")) {
      JsonObject health =
          TestSystem.eventually(
              Duration.ofSeconds(60),
              () -> detail(workers),
              h ->
                  subscriptions(h).stream()
                      .filter(s -> ACK_GROUPS.contains(s.getString("group")))
                      .allMatch(
                          s ->
                              s.getString("lagMeasuredAt") != null
                                  && !s.getJsonArray("partitions").isEmpty()
                                  && s.getLong("lag") == 0));
      for (String group : ACK_GROUPS) {
        assertEquals(0, subscription(health, group).getLong("lag"), health.encodePrettily());
      }
    }
  }

  private static JsonObject detail(TestSystem system) throws Exception {
    HttpResponse<String> response = system.get("/health", null);
    assertTrue(
        response.statusCode() == 200 || response.statusCode() == 503,
        response.statusCode() + " " + response.body());
    return new JsonObject(response.body());
  }

  private static List<JsonObject> subscriptions(JsonObject health) {
    JsonObject all = health.getJsonObject("kafka").getJsonObject("subscriptions");
    return all.fieldNames().stream().map(all::getJsonObject).toList();
  }

  private static JsonObject subscription(JsonObject health, String group) {
    JsonObject s =
        health.getJsonObject("kafka").getJsonObject("subscriptions").getJsonObject(group);
    assertNotNull(s, group + " in " + health.encodePrettily());
    return s;
  }

  private static JsonObject audit(JsonObject health) {
    return subscription(health, "taskbus-audit");
  }

  /** A check of the /health/ready answer (Vert.x's format: a list of checks with their data). */
  private static JsonObject check(JsonObject ready, String id) {
    return ready.getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + ready.encode()));
  }

  private static void assertRecent(String time) {
    assertNotNull(time);
    Instant at = Instant.parse(time);
    assertTrue(
        at.isAfter(Instant.now().minus(Duration.ofMinutes(2))) && !at.isAfter(Instant.now()),
        time + " is no recent time");
  }
}
