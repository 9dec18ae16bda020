package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rare tag or word among many tasks is found through its GIN index, as the API's row-level
 * security role runs the search, not by reading every task of the user.
 */
class SearchIndexIT {

  static TestSystem system;
  static String user;

  @BeforeAll
  static void start() throws Exception {
    // one connection, so a later request flushes the search's index statistics (PostgreSQL 14
    // sends a backend's counters at the end of a transaction at most every 500 ms)
    system = TestSystem.start("api", java.util.Map.of("TASKBUS_PG_POOLSIZE", "1"));
    user = TestSystem.uniqueUser("many");
    try (var c = TestSystem.jdbc();
        var seed =
            c.prepareStatement(
                """
        INSERT INTO tasks (id, user_id, title, created_at, updated_at, tags)
        SELECT gen_random_uuid(), ?, CASE WHEN n % 5000 = 0 THEN 'feed the zebra ' ELSE 'chore ' END || n,
               now() - n * interval '1 minute', now(),
               CASE WHEN n % 5000 = 0 THEN ARRAY['rare', 'common'] ELSE ARRAY['common'] END
        FROM generate_series(1, 20000) n""")) {
      seed.setString(1, user);
      assertEquals(20000, seed.executeUpdate());
      c.createStatement().execute("ANALYZE tasks");
    }
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void aRareTagIsLookedUpInTheUsersTagIndex() throws Exception {
    assertFoundThrough("/api/v1/tasks?tag=rare&sort=created", "tasks_live_user_tags");
  }

  @Test
  void aRareWordIsLookedUpInTheUsersTextIndex() throws Exception {
    assertFoundThrough("/api/v1/tasks?q=zebra", "tasks_live_user_search");
  }

  private static void assertFoundThrough(String search, String index) throws Exception {
    long before = scans(index);
    var response = system.get(search, user);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(4, new JsonObject(response.body()).getJsonArray("items").size());
    // each probe is a request on the same connection (a lookup by id, not through this index),
    // whose transaction end sends the counters once 500 ms have passed since the last sending
    long after =
        TestSystem.eventually(
            Duration.ofSeconds(10),
            () -> {
              system.get("/api/v1/tasks/" + java.util.UUID.randomUUID(), user);
              return scans(index);
            },
            n -> n > before);
    assertTrue(after > before, search + " should use " + index);
    var stranger = system.get(search, TestSystem.uniqueUser("stranger"));
    assertEquals(0, new JsonObject(stranger.body()).getJsonArray("items").size());
  }

  private static long scans(String index) throws Exception {
    return TestSystem.count(
        "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = ?", index);
  }
}
