package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.Topics;
import io.taskbus.devstack.DevStack;
import io.taskbus.notification.NotificationVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Notifications as a user meets them: a reminder lands in the inbox and reaches the user once, by
 * push when a tab is open and by e-mail (to a real SMTP server) when not; snoozed ones come back;
 * quiet hours hold them back; nobody sees another user's.
 */
class NotificationsIT {

  static TestSystem system;
  static int smtpPort;
  static GreenMail smtp;

  @BeforeAll
  static void start() throws Exception {
    smtpPort = TestSystem.freePort();
    smtp = startSmtp();
    system =
        TestSystem.start(
            "api,bridge,kafka,recurrence,notification",
            Map.of(
                "TASKBUS_NOTIFICATION_SMTP_HOST", "127.0.0.1",
                "TASKBUS_NOTIFICATION_SMTP_PORT", Integer.toString(smtpPort),
                "TASKBUS_NOTIFICATION_SMTP_STARTTLS", "DISABLED",
                "TASKBUS_NOTIFICATION_SWEEPINTERVALMS", "200",
                "TASKBUS_NOTIFICATION_RETRY_INITIALMS", "300",
                "TASKBUS_NOTIFICATION_RETRY_MAXMS", "1000",
                "TASKBUS_NOTIFICATION_PUBLICURL", "http://tasks.example.com/"));
  }

  @AfterAll
  static void stop() {
    system.close();
    smtp.stop();
  }

  private static GreenMail startSmtp() {
    GreenMail mail =
        new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    return mail;
  }

  @Test
  void offlineTheReminderIsMailedOnceInTextAndHtmlAndWaitsInTheInbox() throws Exception {
    String user = TestSystem.uniqueUser("mailme");
    String address = user + "@example.com";
    saveSettings(user, new JsonObject().put("email", address).put("timeZone", "Europe/Berlin"));
    JsonObject task = remindSoon(user, "pay the rent <today>");

    List<MimeMessage> mails = mailsTo(address, 1, Duration.ofSeconds(20));
    assertEquals(1, mails.size());
    MimeMessage mail = mails.get(0);
    assertEquals("Reminder: pay the rent <today>", mail.getSubject());
    String raw = GreenMailUtil.getWholeMessage(mail);
    assertTrue(raw.contains("text/plain") && raw.contains("text/html"), raw);
    assertTrue(raw.contains("pay the rent &lt;today&gt;"), "HTML is escaped: " + raw);
    assertTrue(raw.contains("http://tasks.example.com/#task=" + task.getString("id")), raw);

    JsonObject inbox = json(system.get("/api/v1/notifications", user), 200);
    assertEquals(1, inbox.getInteger("unread"));
    JsonObject item = inbox.getJsonArray("items").getJsonObject(0);
    assertEquals("reminder.due", item.getString("type"));
    assertEquals(task.getString("id"), item.getString("taskId"));
    assertEquals("pay the rent <today>", item.getString("title"));
    assertNull(item.getString("readAt"));

    awaitSettled(user, 1);
    assertEquals(1, mailsTo(address, 1, Duration.ZERO).size(), "no second mail");
  }

  @Test
  void onlineTheReminderIsPushedToEveryTabAndNotMailed() throws Exception {
    String user = TestSystem.uniqueUser("pushme");
    String address = user + "@example.com";
    saveSettings(user, new JsonObject().put("email", address));
    try (BridgeClient tab = BridgeClient.connect(system.port, system.token(user));
        BridgeClient other = BridgeClient.connect(system.port, system.token(user))) {
      tab.register(Addresses.userNotifications(user));
      other.register(Addresses.userNotifications(user));
      JsonObject task = remindSoon(user, "stretch");
      for (BridgeClient client : List.of(tab, other)) {
        JsonObject push = nextNotification(client, Duration.ofSeconds(15));
        assertNotNull(push, "the open tab gets the notification");
        assertEquals("notification", push.getString("kind"));
        assertEquals(task.getString("id"), push.getJsonObject("notification").getString("taskId"));
        assertEquals(1, push.getInteger("unread"));
      }
      awaitSettled(user, 1);
      assertEquals(
          0, mailsTo(address, 0, Duration.ZERO).size(), "nobody mails a user who is online");
      assertEquals(
          0,
          TestSystem.count(
              "SELECT count(*) FROM notification_deliveries d"
                  + " JOIN notifications n USING (event_id) WHERE n.user_id = ? AND d.channel = 'email'",
              user));

      // read in one tab: the other hears of it
      String id =
          json(system.get("/api/v1/notifications", user), 200)
              .getJsonArray("items")
              .getJsonObject(0)
              .getString("id");
      JsonObject read =
          json(system.postJson("/api/v1/notifications/" + id + "/read", user, null), 200);
      assertNotNull(read.getString("readAt"));
      JsonObject state = nextKind(other, "state", Duration.ofSeconds(5));
      assertNotNull(state);
      assertEquals(new JsonArray().add(id), state.getJsonArray("ids"));
      assertEquals(0, state.getInteger("unread"));
      assertEquals(
          0,
          json(system.get("/api/v1/notifications/unread-count", user), 200).getInteger("unread"));
    }
  }

  @Test
  void aRefusingSmtpServerThatRecoversStillGetsEachMailOnce() throws Exception {
    String user = TestSystem.uniqueUser("retry");
    String address = user + "@example.com";
    saveSettings(user, new JsonObject().put("email", address));
    smtp.stop();
    try {
      JsonObject task = remindSoon(user, "water the plants");
      TestSystem.eventually(
          Duration.ofSeconds(20),
          () ->
              TestSystem.count(
                  "SELECT coalesce(max(attempts), 0) FROM notifications WHERE task_id = ?::uuid",
                  task.getString("id")),
          n -> n >= 2);
      assertTrue(
          TestSystem.count(
                  "SELECT coalesce(max(attempts), 0) FROM notifications"
                      + " WHERE task_id = ?::uuid",
                  task.getString("id"))
              >= 2,
          "the refused mail is retried");
    } finally {
      smtp = startSmtp();
    }
    assertEquals(1, mailsTo(address, 1, Duration.ofSeconds(20)).size());
    awaitSettled(user, 1);
    assertEquals(1, mailsTo(address, 1, Duration.ZERO).size(), "delivered once after recovering");
  }

  @Test
  void aRedeliveredEventMakesNoSecondNotificationOrMail() throws Exception {
    String user = TestSystem.uniqueUser("twice");
    String address = user + "@example.com";
    saveSettings(user, new JsonObject().put("email", address));
    JsonObject task = remindSoon(user, "only once");
    assertEquals(1, mailsTo(address, 1, Duration.ofSeconds(20)).size());
    String event;
    try (EventLog kafka = new EventLog()) {
      event =
          kafka
              .readUntil(
                  Duration.ofSeconds(10),
                  rs ->
                      rs.stream()
                          .anyMatch(
                              r ->
                                  r.value().contains("reminder.due")
                                      && r.value().contains(task.getString("id"))))
              .stream()
              .filter(
                  r ->
                      r.value().contains("reminder.due")
                          && r.value().contains(task.getString("id")))
              .findFirst()
              .orElseThrow()
              .value();
    }
    Properties props = new Properties();
    props.put("bootstrap.servers", DevStack.shared().kafkaBootstrapServers());
    List<ConsumerGroups.Position> redelivered = new java.util.ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 2; i++) {
        redelivered.add(
            ConsumerGroups.Position.of(
                producer.send(new ProducerRecord<>(Topics.TASK_EVENTS, user, event)).get()));
      }
    }
    // a later reminder of the same user is mailed too
    remindSoon(user, "after the redelivery");
    assertEquals(2, mailsTo(address, 2, Duration.ofSeconds(20)).size());
    // the notification consumer has answered for both copies (it answers once a copy is stored,
    // or found stored before), and no delivery is pending or under way: the count is final
    ConsumerGroups.awaitHandled(ConsumerGroups.NOTIFICATION, redelivered, Duration.ofSeconds(20));
    awaitSettled(user, 2);
    assertEquals(2, mailsTo(address, 2, Duration.ZERO).size());
    assertEquals(
        2, json(system.get("/api/v1/notifications", user), 200).getJsonArray("items").size());
  }

  @Test
  void twoNotificationProcessesMailEachOfTwoHundredRemindersOnce() throws Exception {
    String user = TestSystem.uniqueUser("many");
    String address = user + "@example.com";
    saveSettings(user, new JsonObject().put("email", address));
    PgConnectOptions pg = PgConnectOptions.fromUri(DevStack.shared().postgresUri());
    Pool pool = PgBuilder.pool().connectingTo(pg).using(system.taskbus.vertx()).build();
    JsonObject config = system.taskbus.config().copy();
    config
        .getJsonObject("notification")
        .put("sweepIntervalMs", 100)
        .getJsonObject("smtp")
        .put("host", "127.0.0.1")
        .put("port", smtpPort)
        .put("starttls", "DISABLED");
    String second =
        system
            .taskbus
            .vertx()
            .deployVerticle(
                new NotificationVerticle(pool), new DeploymentOptions().setConfig(config))
            .await();
    try {
      Instant later = Instant.now().plus(1, ChronoUnit.HOURS);
      for (int i = 0; i < 200; i++) {
        json(
            system.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "task " + i)
                    .put(
                        "reminders",
                        new JsonArray().add(new JsonObject().put("at", later.toString())))
                    .encode()),
            201);
      }
      // all due at once, however long creating them took
      try (var c = TestSystem.jdbc();
          var due =
              c.prepareStatement(
                  "UPDATE reminders SET fire_at = now() WHERE user_id = ? AND state = 'pending'")) {
        due.setString(1, user);
        assertEquals(200, due.executeUpdate());
      }
      assertEquals(
          200, mailsTo(address, 200, Duration.ofSeconds(60)).size(), () -> deliveries(user));
      awaitSettled(user, 200);
      List<MimeMessage> mails = mailsTo(address, 200, Duration.ZERO);
      assertEquals(200, mails.size(), "each reminder mailed once");
      assertEquals(
          200,
          mails.stream()
              .map(
                  m -> {
                    try {
                      return m.getSubject();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .distinct()
              .count());
    } finally {
      system.taskbus.vertx().undeploy(second).await();
      pool.close().await();
    }
  }

  @Test
  void aSnoozedNotificationLeavesTheInboxAndComesBackWithAnotherPush() throws Exception {
    String user = TestSystem.uniqueUser("snooze");
    try (BridgeClient tab = BridgeClient.connect(system.port, system.token(user))) {
      tab.register(Addresses.userNotifications(user));
      remindSoon(user, "later, please");
      JsonObject first = nextNotification(tab, Duration.ofSeconds(15));
      assertNotNull(first);
      String id = first.getJsonObject("notification").getString("id");

      JsonObject snoozed =
          json(
              system.postJson(
                  "/api/v1/notifications/" + id + "/snooze",
                  user,
                  new JsonObject().put("duration", "PT2S").encode()),
              200);
      assertNotNull(snoozed.getString("snoozedUntil"));
      JsonObject inbox = json(system.get("/api/v1/notifications", user), 200);
      assertEquals(0, inbox.getJsonArray("items").size(), "hidden while snoozed");
      assertEquals(0, inbox.getInteger("unread"));

      JsonObject again = nextNotification(tab, Duration.ofSeconds(10));
      assertNotNull(again, "it comes back");
      assertEquals(id, again.getJsonObject("notification").getString("id"));
      assertTrue(
          Instant.now().isAfter(Instant.parse(snoozed.getString("snoozedUntil")).minusMillis(100)));
      inbox = json(system.get("/api/v1/notifications", user), 200);
      assertEquals(1, inbox.getJsonArray("items").size());
      assertEquals(1, inbox.getInteger("unread"));
    }
  }

  @Test
  void duringQuietHoursTheNotificationWaitsUntilTheyEnd() throws Exception {
    String user = TestSystem.uniqueUser("quiet");
    ZoneId zone = ZoneId.of("Asia/Kolkata");
    LocalTime now = LocalTime.now(zone).truncatedTo(ChronoUnit.SECONDS);
    LocalTime end = now.plusSeconds(6);
    saveSettings(
        user,
        new JsonObject()
            .put("timeZone", zone.getId())
            .put(
                "quietHours",
                new JsonObject()
                    .put("start", now.minusMinutes(1).toString())
                    .put("end", end.toString())));
    Instant quietEnds = Instant.now().plusSeconds(5);
    try (BridgeClient tab = BridgeClient.connect(system.port, system.token(user))) {
      tab.register(Addresses.userNotifications(user));
      remindSoon(user, "not at night");
      JsonObject push = nextNotification(tab, Duration.ofSeconds(20));
      assertNotNull(push, "delivered when the quiet hours end");
      assertTrue(Instant.now().isAfter(quietEnds), "not before the quiet hours end");
    }
  }

  @Test
  void nobodyReadsOrChangesAnotherUsersNotifications() throws Exception {
    String alice = TestSystem.uniqueUser("alice");
    String mallory = TestSystem.uniqueUser("mallory");
    remindSoon(alice, "private");
    String id =
        TestSystem.eventually(
                Duration.ofSeconds(15),
                () -> json(system.get("/api/v1/notifications", alice), 200).getJsonArray("items"),
                items -> !items.isEmpty())
            .getJsonObject(0)
            .getString("id");
    assertEquals(
        0, json(system.get("/api/v1/notifications", mallory), 200).getJsonArray("items").size());
    assertProblem(
        system.postJson("/api/v1/notifications/" + id + "/read", mallory, null), 404, null);
    assertProblem(
        system.postJson(
            "/api/v1/notifications/" + id + "/snooze",
            mallory,
            new JsonObject().put("duration", "PT1H").encode()),
        404,
        null);
    assertEquals(
        0,
        json(system.postJson("/api/v1/notifications/read-all", mallory, null), 200)
            .getInteger("updated"));
    assertEquals(
        1, json(system.get("/api/v1/notifications/unread-count", alice), 200).getInteger("unread"));
    JsonObject all = json(system.postJson("/api/v1/notifications/read-all", alice, null), 200);
    assertEquals(1, all.getInteger("updated"));
    assertEquals(0, all.getInteger("unread"));
  }

  @Test
  void badDurationsZonesAddressesAndTimesAre400sThatChangeNothing() throws Exception {
    String user = TestSystem.uniqueUser("bad");
    JsonObject saved =
        saveSettings(
            user,
            new JsonObject().put("email", user + "@example.com").put("timeZone", "Europe/Paris"));
    assertEquals("Europe/Paris", saved.getString("timeZone"));
    assertTrue(saved.getBoolean("pushEnabled"));

    JsonObject problem =
        assertProblem(
            system.call(
                "PUT",
                "/api/v1/notification-settings",
                user,
                new JsonObject()
                    .put("email", "not an address")
                    .put("timeZone", "Mars/Olympus")
                    .put("quietHours", new JsonObject().put("start", "25:00").put("end", "07:00"))
                    .encode()),
            400,
            "email");
    String detail = problem.getString("detail");
    assertTrue(detail.contains("timeZone") && detail.contains("quietHours.start"), detail);
    assertProblem(
        system.call(
            "PUT",
            "/api/v1/notification-settings",
            user,
            new JsonObject().put("pushEnabled", "yes").encode()),
        400,
        "pushEnabled");
    for (String address :
        Arrays.asList(
            "<script>alert(1)</script>@x.y",
            "a..b@example.com",
            ".a@example.com",
            "a@-example.com",
            "a@example",
            "a b@example.com",
            "\"quoted\"@example.com",
            "x".repeat(65) + "@example.com")) {
      assertProblem(
          system.call(
              "PUT",
              "/api/v1/notification-settings",
              user,
              new JsonObject().put("email", address).encode()),
          400,
          "email");
    }
    assertEquals(saved, json(system.get("/api/v1/notification-settings", user), 200));

    String unknown = java.util.UUID.randomUUID().toString();
    for (String duration : Arrays.asList("10 minutes", "PT0S", "P60D", "-PT5M")) {
      assertProblem(
          system.postJson(
              "/api/v1/notifications/" + unknown + "/snooze",
              user,
              new JsonObject().put("duration", duration).encode()),
          400,
          "duration");
    }
    assertProblem(system.get("/api/v1/notifications?limit=0", user), 400, "limit");
    assertProblem(system.get("/api/v1/notifications?cursor=abc", user), 400, "cursor");
  }

  // --- helpers

  /**
   * Waits until the user has {@code count} notifications and none of them has a delivery pending or
   * under way: one is taken with a lease and recorded as done (deliver_at and the lease cleared)
   * only after its push or mail went out, and a retry, a snooze or quiet hours leave a deliver_at.
   * From then on nothing sends anything for them, so what the mailbox holds is what was sent.
   */
  private static void awaitSettled(String user, int count) throws Exception {
    String settled =
        "SELECT CASE WHEN count(*) = ? AND count(*) FILTER"
            + " (WHERE deliver_at IS NOT NULL OR lease_until IS NOT NULL) = 0 THEN 1 ELSE 0 END"
            + " FROM notifications WHERE user_id = ?";
    assertEquals(
        1,
        TestSystem.eventually(
            Duration.ofSeconds(20), () -> TestSystem.count(settled, count, user), n -> n == 1),
        () -> count + " notifications of " + user + " not settled: " + deliveries(user));
  }

  /** Where the user's notifications stand, for a failure message. */
  private static String deliveries(String user) {
    try (var c = TestSystem.jdbc();
        var st =
            c.prepareStatement(
                "SELECT"
                    + " (SELECT count(*) FROM reminders WHERE user_id = ? AND state = 'pending') AS reminders_pending,"
                    + " count(*) AS notifications, count(*) FILTER (WHERE deliver_at IS NOT NULL) AS undelivered,"
                    + " count(*) FILTER (WHERE lease_until > now()) AS leased, max(attempts) AS attempts,"
                    + " (SELECT count(*) FROM notification_deliveries d JOIN notifications m USING (event_id)"
                    + "  WHERE m.user_id = ? AND d.state = 'sent') AS sent FROM notifications WHERE user_id = ?")) {
      st.setString(1, user);
      st.setString(2, user);
      st.setString(3, user);
      var rs = st.executeQuery();
      rs.next();
      StringBuilder text = new StringBuilder();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        text.append(rs.getMetaData().getColumnName(i))
            .append('=')
            .append(rs.getString(i))
            .append(' ');
      }
      return text.toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  /**
   * After downtime many reminders are due at once. Each costs the notification consumer a
   * transaction on the pool the API shares, so the subscription hands on only a few at a time
   * (maxInFlight 32): the API goes on answering other users meanwhile, never 503 for a full pool.
   */
  @Test
  void aBacklogOfRemindersDoesNotCrowdTheApiOut() throws Exception {
    String user = TestSystem.uniqueUser("backlog");
    String bystander = TestSystem.uniqueUser("bystander");
    system.createTask(bystander, "my own");
    String taskId =
        json(
                system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    new JsonObject()
                        .put("title", "many")
                        .put(
                            "reminders",
                            new JsonArray()
                                .add(
                                    new JsonObject()
                                        .put("at", Instant.now().plusSeconds(3600).toString())))
                        .encode()),
                201)
            .getString("id");
    int due = 1500;
    try (var c = TestSystem.jdbc();
        var copy =
            c.prepareStatement(
                "INSERT INTO reminders"
                    + " (user_id, task_id, spec, fire_at) SELECT user_id, task_id, spec, now()"
                    + " FROM reminders, generate_series(1, ?) WHERE task_id = ?::uuid")) {
      copy.setInt(1, due);
      copy.setString(2, taskId);
      assertEquals(due, copy.executeUpdate());
    }
    String made = "SELECT count(*) FROM notifications WHERE user_id = ?";
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    AtomicBoolean drained = new AtomicBoolean();
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      for (int i = 0; i < 8; i++) {
        readers.submit(
            () -> {
              while (!drained.get()) {
                statuses.add(system.get("/api/v1/tasks", bystander).statusCode());
              }
              return null;
            });
      }
      long notified =
          TestSystem.eventually(
              Duration.ofSeconds(60), () -> TestSystem.count(made, user), n -> n >= due);
      assertEquals(due, notified, "every due reminder became one notification");
    } finally {
      drained.set(true);
      readers.shutdown();
      readers.awaitTermination(20, TimeUnit.SECONDS);
    }
    assertTrue(
        statuses.size() >= 50, "the API was asked while the backlog drained: " + statuses.size());
    assertEquals(
        List.of(200),
        statuses.stream().distinct().toList(),
        "the bystander's reads while the backlog drained");
  }

  private static JsonObject saveSettings(String user, JsonObject settings) throws Exception {
    return json(system.call("PUT", "/api/v1/notification-settings", user, settings.encode()), 200);
  }

  /** A task with a reminder two seconds from now. */
  private static JsonObject remindSoon(String user, String title) throws Exception {
    Instant at = Instant.now().plusSeconds(2);
    HttpResponse<String> created =
        system.call(
            "POST",
            "/api/v1/tasks",
            user,
            new JsonObject()
                .put("title", title)
                .put("reminders", new JsonArray().add(new JsonObject().put("at", at.toString())))
                .encode());
    return json(created, 201);
  }

  private static JsonObject nextNotification(BridgeClient client, Duration timeout)
      throws Exception {
    return nextKind(client, "notification", timeout);
  }

  private static JsonObject nextKind(BridgeClient client, String kind, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject frame = client.next("rec", Duration.ofMillis(200));
      if (frame != null && kind.equals(frame.getJsonObject("body").getString("kind"))) {
        return frame.getJsonObject("body");
      }
    }
    return null;
  }

  private static List<MimeMessage> mailsTo(String address, int expected, Duration timeout)
      throws Exception {
    return TestSystem.eventually(
        timeout,
        () ->
            Arrays.stream(smtp.getReceivedMessages())
                .filter(
                    m -> {
                      try {
                        return Arrays.stream(m.getAllRecipients())
                            .anyMatch(a -> a.toString().equals(address));
                      } catch (Exception e) {
                        return false;
                      }
                    })
                .toList(),
        list -> list.size() >= expected);
  }

  private static JsonObject json(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static JsonObject assertProblem(HttpResponse<String> response, int status, String field) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(
        response
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"));
    JsonObject problem = new JsonObject(response.body());
    if (field != null) {
      assertTrue(problem.getString("detail").contains(field), problem.encode());
    }
    return problem;
  }
}
