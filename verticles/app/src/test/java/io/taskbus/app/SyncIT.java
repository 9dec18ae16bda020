package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that missed pushes catches up with /sync and continues with pushes: no gap, no
 * duplicate.
 */
class SyncIT {

  @Test
  void syncReturnsEveryChangeAfterASequenceNumberIncludingTombstones() throws Exception {
    try (TestSystem system =
        TestSystem.start(
            "api,bridge,kafka,audit",
            Map.of(
                "TASKBUS_API_TRASHRETENTIONDAYS",
                "0",
                "TASKBUS_API_HOUSEKEEPINGINTERVALMS",
                "300"))) {
      String user = TestSystem.uniqueUser("sync");
      JsonObject empty = sync(system, user, 0);
      assertEquals(0, empty.getLong("seq"));
      assertTrue(empty.getJsonArray("items").isEmpty());

      String a = system.createTask(user, "a").getString("id");
      String b = system.createTask(user, "b").getString("id");
      JsonObject afterCreates = sync(system, user, 0);
      assertEquals(2, afterCreates.getLong("seq"));
      long seen = afterCreates.getLong("seq");

      // the client goes away; meanwhile a is completed, b trashed (then purged), c created
      system.call("POST", "/api/v1/tasks/" + a + "/complete", user, null);
      system.call("DELETE", "/api/v1/tasks/" + b, user, null);
      String c = system.createTask(user, "c").getString("id");
      JsonObject missed =
          TestSystem.eventually(
              Duration.ofSeconds(10),
              () -> sync(system, user, seen),
              s ->
                  s.getJsonArray("items").stream()
                      .anyMatch(i -> ((JsonObject) i).containsKey("purged")));
      JsonArray items = missed.getJsonArray("items");
      List<Long> seqs = items.stream().map(i -> ((JsonObject) i).getLong("seq")).toList();
      assertEquals(seqs.stream().sorted().toList(), seqs, "in order");
      assertTrue(seqs.stream().allMatch(s -> s > seen), "only what was missed");
      assertEquals(
          List.of(a, c, b),
          items.stream()
              .map(
                  i -> {
                    JsonObject item = (JsonObject) i;
                    return item.containsKey("task")
                        ? item.getJsonObject("task").getString("id")
                        : item.getString("taskId");
                  })
              .toList(),
          "each task once, at its latest change; b as a tombstone");
      assertEquals(true, items.getJsonObject(0).getJsonObject("task").getBoolean("completed"));
      assertEquals(seqs.get(seqs.size() - 1), missed.getLong("seq"));

      JsonObject paged = sync(system, user, 0, 2);
      assertEquals(2, paged.getJsonArray("items").size());
      assertNotNull(paged.getString("nextCursor"));
      JsonObject rest = sync(system, user, Long.parseLong(paged.getString("nextCursor")), 2);
      assertEquals(1, rest.getJsonArray("items").size());

      assertEquals(400, system.get("/api/v1/sync?since=-1", user).statusCode());
      assertTrue(sync(system, TestSystem.uniqueUser("other"), 0).getJsonArray("items").isEmpty());
    }
  }

  @Test
  void pushesCarryTheSequenceSoAReconnectingClientHasNoGapAndNoDuplicate() throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit")) {
      String user = TestSystem.uniqueUser("reconnect");
      long last;
      try (BridgeClient tab = BridgeClient.connect(system.port, system.token(user))) {
        tab.registerAndAwait(Addresses.userTasks(user));
        system.createTask(user, "one");
        JsonObject push = tab.next("rec", Duration.ofSeconds(10));
        assertNotNull(push);
        last = push.getJsonObject("body").getLong("seq");
        assertEquals(1, last);
      }
      // offline: two changes
      String two = system.createTask(user, "two").getString("id");
      system.call("POST", "/api/v1/tasks/" + two + "/complete", user, null);
      try (BridgeClient tab = BridgeClient.connect(system.port, system.token(user))) {
        tab.registerAndAwait(Addresses.userTasks(user));
        JsonObject caughtUp = sync(system, user, last);
        assertEquals(
            List.of(3L),
            caughtUp.getJsonArray("items").stream()
                .map(i -> ((JsonObject) i).getLong("seq"))
                .toList(),
            "task two at its latest change");
        last = caughtUp.getLong("seq");
        system.createTask(user, "four");
        // pushes of changes sync already covered may still arrive: a client drops seq <= last
        JsonObject push = tab.next("rec", Duration.ofSeconds(10));
        while (push != null && push.getJsonObject("body").getLong("seq") <= last) {
          push = tab.next("rec", Duration.ofSeconds(10));
        }
        assertNotNull(push, "the push after the sync must arrive");
        assertEquals(
            last + 1, push.getJsonObject("body").getLong("seq"), "the next push follows on");
      }
    }
  }

  private static JsonObject sync(TestSystem system, String user, long since) throws Exception {
    return sync(system, user, since, 500);
  }

  private static JsonObject sync(TestSystem system, String user, long since, int limit)
      throws Exception {
    var response = system.get("/api/v1/sync?since=" + since + "&limit=" + limit, user);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
