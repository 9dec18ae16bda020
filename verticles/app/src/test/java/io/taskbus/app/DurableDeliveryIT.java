package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events reach their consumers through members that hold back, and through outages. */
class DurableDeliveryIT {

  private static final int SERIES = 80;

  /**
   * A process with the kafka role but no recurrence consumer anywhere holds the completions it
   * reads (nobody answers them yet): more than its in-flight bound, so some wait in it. A second
   * process with a recurrence consumer joins the group: the rebalance must not wait for the first
   * (a member that stops polling cannot rejoin), so the second gets its share at once, and all of
   * it once the first stops.
   */
  @Test
  void aMemberThatHoldsRecordsBackDoesNotStallItsGroup() throws Exception {
    List<String> users = new ArrayList<>();
    List<String> ids = recurringTasks("held", users);
    TestSystem first = TestSystem.start("api,kafka,audit");
    TestSystem second = null;
    try {
      for (int i = 0; i < SERIES; i++) {
        var completed = first.call("POST", "/api/v1/tasks/" + ids.get(i) + "/complete", users.get(i), null);
        assertEquals(200, completed.statusCode(), completed.body());
      }
      Thread.sleep(1000);
      assertEquals(0, openTasks(users),
          "no recurrence consumer yet, so no next occurrence");

      second = TestSystem.start("api,recurrence,kafka");
      long whileHeld = TestSystem.eventually(Duration.ofSeconds(20),
          () -> openTasks(users), n -> n > 0);
      assertTrue(whileHeld > 0, "the joining member got partitions while the other held back");

      first.close();
      first = null;
      long all = TestSystem.eventually(Duration.ofSeconds(30),
          () -> openTasks(users), n -> n >= SERIES);
      assertEquals(SERIES, all, "every series has its next occurrence once the holder left");
      Thread.sleep(1500);
      assertEquals(SERIES, openTasks(users),
          "and only one");
    } finally {
      if (first != null) {
        first.close();
      }
      if (second != null) {
        second.close();
      }
    }
  }

  /**
   * The recurrence consumer runs where no API does: it cannot create the next occurrence and
   * answers 503. The completion must wait for the API (here: a later process with both), not go
   * to the dead-letter topic as if the record were bad.
   */
  @Test
  void aCompletionWaitsWhileTheApiIsAwayAndIsNotDeadLettered() throws Exception {
    List<String> users = new ArrayList<>();
    List<String> ids = recurringTasks("away", users);
    try (TestSystem completer = TestSystem.start("api")) {
      for (int i = 0; i < ids.size(); i++) {
        var completed = completer.call("POST", "/api/v1/tasks/" + ids.get(i) + "/complete", users.get(i), null);
        assertEquals(200, completed.statusCode(), completed.body());
      }
    }
    try (TestSystem withoutApi = TestSystem.start("recurrence,kafka")) {
      // long enough for every completion to be handed on and refused more than five times
      Thread.sleep(8000);
      assertEquals(0, openTasks(users));
    }
    try (TestSystem whole = TestSystem.start("api,recurrence,kafka")) {
      long open = TestSystem.eventually(Duration.ofSeconds(30), () -> openTasks(users), n -> n >= SERIES);
      assertEquals(SERIES, open, "every completion made its next occurrence once the API was back");
    }
  }

  /** {@code SERIES} weekly tasks, one per new user; made where the recurrence service runs (it checks rules). */
  private static List<String> recurringTasks(String name, List<String> users) throws Exception {
    List<String> ids = new ArrayList<>();
    try (TestSystem maker = TestSystem.start("api,recurrence")) {
      for (int i = 0; i < SERIES; i++) {
        String user = TestSystem.uniqueUser(name + i);
        var created = maker.call("POST", "/api/v1/tasks", user, new JsonObject()
            .put("title", "weekly " + i).put("dueDate", "2026-06-01")
            .put("recurrence", new JsonObject().put("preset", "weekly")).encode());
        assertEquals(201, created.statusCode(), created.body());
        users.add(user);
        ids.add(new JsonObject(created.body()).getString("id"));
      }
    }
    return ids;
  }

  private static long openTasks(List<String> users) throws Exception {
    return TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ANY (?) AND NOT completed",
        (Object) users.toArray(new String[0]));
  }
}
