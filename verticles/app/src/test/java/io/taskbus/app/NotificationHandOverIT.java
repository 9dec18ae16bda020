package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two worker processes (kafka, recurrence, notification, as the split layout's workers); one is
 * SIGKILLed a few seconds before a round of reminders falls due. The survivor fires them all, and
 * every notification is in its user's inbox about when its reminder fired: the survivor's timers
 * hand each fired event to its own notifications, so none waits for the Kafka consumer group to
 * notice the dead member (its session timeout, 10 s), whichever partition its user is on.
 */
class NotificationHandOverIT {

  static final int USERS = 24;

  /** Far below the session timeout a notification would otherwise wait out after the kill. */
  static final Duration HAND_OVER = Duration.ofSeconds(3);

  @Test
  void notificationsOfADeadWorkersUsersArriveWithTheirReminders() throws Exception {
    try (TestSystem system = TestSystem.start("api,audit")) {
      Map<String, String> worker =
          Map.of(
              "TASKBUS_VERTICLES",
              "kafka,recurrence,notification",
              "TASKBUS_TIMERS_INTERVALMS",
              "100");
      ChildProcess first = ChildProcess.launch("handover-first", worker, true);
      try (ChildProcess second = ChildProcess.start("handover-second", worker)) {
        first.awaitReady(Duration.ofSeconds(60));
        // both hold some of the notification group's partitions, so the kill takes some away
        assertEquals(
            2L,
            TestSystem.eventually(
                Duration.ofSeconds(60),
                () -> ConsumerGroups.membersWithPartitions(ConsumerGroups.NOTIFICATION),
                n -> n == 2));
        List<String> users = new ArrayList<>();
        // due well after the kill, well inside the dead member's session timeout after it
        Instant due = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < USERS; i++) {
          String user = TestSystem.uniqueUser("handover");
          users.add(user);
          HttpResponse<String> created =
              system.call(
                  "POST",
                  "/api/v1/tasks",
                  user,
                  TestSystem.dueWithReminders("hand over " + i, due, "Europe/Berlin", "PT0S")
                      .encode());
          assertEquals(201, created.statusCode(), created.body());
        }
        first.kill();
        assertTrue(Instant.now().isBefore(due), "killed before the reminders fell due");
        String inbox =
            "SELECT count(*) FROM notifications WHERE user_id = ANY(string_to_array(?, ','))";
        String all = String.join(",", users);
        assertEquals(
            USERS,
            TestSystem.eventually(
                Duration.ofSeconds(40), () -> TestSystem.count(inbox, all), n -> n >= USERS),
            "every reminder reached its inbox");
        try (Connection c = TestSystem.jdbc();
            PreparedStatement late =
                c.prepareStatement(
                    "SELECT n.user_id, extract(epoch FROM n.created_at - r.fired_at) * 1000,"
                        + " r.state FROM notifications n JOIN reminders r ON r.task_id = n.task_id"
                        + " WHERE n.user_id = ANY(string_to_array(?, ','))")) {
          late.setString(1, all);
          double worst = 0;
          int rows = 0;
          try (ResultSet rs = late.executeQuery()) {
            while (rs.next()) {
              rows++;
              assertEquals("fired", rs.getString(3), rs.getString(1));
              worst = Math.max(worst, rs.getDouble(2));
            }
          }
          System.out.printf("chaos: notification hand-over: worst %.0f ms after firing%n", worst);
          assertEquals(USERS, rows, "each notification beside its reminder");
          assertTrue(
              worst < HAND_OVER.toMillis(),
              "a notification came " + worst + " ms after its reminder fired");
        }
      } finally {
        first.kill();
      }
    }
  }
}
