package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox drained in shards by several relay processes: the shards are spread between them, a
 * joining relay takes its share, a killed relay's shards are taken over, and a different shard
 * count takes over only from a stopped one; through all of it every event reaches Kafka and each
 * user's events are in order.
 */
class ShardedRelayIT {

  static final int TASKS = 900;
  static final int USERS = 24;
  static final int SHARDS = 16;

  /**
   * Relay processes that audit too; a killed one's audit consumer leaves its group after the
   * shortest session the broker allows (6 s, not 10): the survivor audits its records sooner.
   */
  private static final Map<String, String> RELAY =
      ChildProcess.quickStart(
          Map.of("TASKBUS_VERTICLES", "kafka,audit", "TASKBUS_KAFKA_SESSIONTIMEOUTMS", "6000"));

  /**
   * Relays that never poll: a row reaches Kafka only if its commit's notification woke the relay
   * holding its shard (V14 names the shard in it).
   */
  private static final Map<String, String> UNPOLLED_RELAY =
      ChildProcess.quickStart(
          Map.of(
              "TASKBUS_VERTICLES",
              "kafka,audit",
              "TASKBUS_KAFKA_SESSIONTIMEOUTMS",
              "6000",
              "TASKBUS_RELAY_POLLINTERVALMS",
              "3600000"));

  /** Where the tests create; they do not interfere (users of their own), so they share it. */
  private static TestSystem api;

  @BeforeAll
  static void startApi() throws Exception {
    api = TestSystem.start("api");
  }

  @AfterAll
  static void stopApi() {
    api.close();
  }

  @Test
  void twoRelaysShareTheShardsAndSendEveryEventOnceInOrder() throws Exception {
    List<String> users = users("spread");
    try (ChildProcess.Group relays = startSpread(UNPOLLED_RELAY, "sharded-a", "sharded-b")) {
      ChildProcess a = relays.get(0);
      ChildProcess b = relays.get(1);
      List<Integer> sharesOfA = shards(a);
      List<Integer> sharesOfB = shards(b);
      assertTrue(
          Math.abs(sharesOfA.size() - SHARDS / 2) <= 1
              && Math.abs(sharesOfB.size() - SHARDS / 2) <= 1,
          "each relay holds half the shards: " + sharesOfA + " " + sharesOfB);
      Set<Integer> both = new HashSet<>(sharesOfA);
      both.retainAll(sharesOfB);
      assertEquals(Set.of(), both, "no shard is held twice");

      Set<String> created = create(api, users, () -> {});
      try (EventLog kafka = new EventLog()) {
        List<ConsumerRecord<String, String>> records = readAll(kafka, users, created);
        assertEquals(created, subjects(records, users), "every committed task's event is in Kafka");
        assertEquals(TASKS, recordsOf(records, users).size(), "each event once, no copy");
        assertInOrderOnEveryRecord(kafka, users);
      }
    }
  }

  @Test
  void aJoiningRelayTakesItsShareWithoutReorderingAUsersEvents() throws Exception {
    List<String> users = users("join");
    try (ChildProcess.Group relays = startSpread(RELAY, "joining-a", "joining-b")) {
      ChildProcess a = relays.get(0);
      ChildProcess b = relays.get(1);
      List<ChildProcess> third = new ArrayList<>();
      Set<String> created =
          create(
              api,
              users,
              () -> {
                try {
                  third.add(ChildProcess.launch("joining-c", RELAY, true));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try (ChildProcess c = third.get(0);
          EventLog kafka = new EventLog()) {
        c.awaitReady(Duration.ofSeconds(60));
        awaitSpread(List.of(a, b, c));
        List<ConsumerRecord<String, String>> records = readAll(kafka, users, created);
        assertEquals(created, subjects(records, users), "every committed task's event is in Kafka");
        // a shard changes hands only after its batch out is acknowledged and deleted: nothing is
        // sent twice, and no record of a user comes before one sent earlier
        assertEquals(TASKS, recordsOf(records, users).size(), "each event once, no copy");
        assertInOrderOnEveryRecord(kafka, users);
        assertTrue(
            c.logText().contains("outbox relay holds shards"), "the third relay took shards");
      }
    }
  }

  @Test
  void aKilledRelaysShardsAreTakenOverAndNothingIsLost() throws Exception {
    List<String> users = users("kill");
    try (ChildProcess.Group relays = startSpread(RELAY, "killed-a", "killed-b")) {
      ChildProcess a = relays.get(0);
      ChildProcess b = relays.get(1);
      long[] killedAt = new long[1];
      Set<String> created =
          create(
              api,
              users,
              () -> {
                a.crash();
                killedAt[0] = System.nanoTime();
              });
      List<Integer> survivor =
          TestSystem.eventually(Duration.ofSeconds(30), () -> shards(b), s -> s.size() == SHARDS);
      double seconds = (System.nanoTime() - killedAt[0]) / 1e9;
      assertEquals(SHARDS, survivor.size(), "the survivor holds every shard");
      System.out.printf(
          "chaos: sharded relay SIGKILLed; survivor held all shards after %.1f s%n", seconds);
      assertTrue(
          seconds < 5, "the killed relay's shards are taken over within seconds: " + seconds);
      try (EventLog kafka = new EventLog()) {
        List<ConsumerRecord<String, String>> records = readAll(kafka, users, created);
        assertEquals(created, subjects(records, users), "every committed task's event is in Kafka");
        assertInOrderByFirstCopy(kafka, users);
      }
      String all = String.join(",", users);
      String audited =
          "SELECT count(*) FROM audit_log WHERE user_id = ANY(string_to_array(?, ','))";
      assertEquals(
          (long) TASKS,
          TestSystem.eventually(
              Duration.ofSeconds(60), () -> TestSystem.count(audited, all), n -> n >= TASKS),
          "the audit has one row per event");
      assertEquals(
          TASKS,
          TestSystem.count(
              "SELECT count(DISTINCT subject) FROM audit_log"
                  + " WHERE user_id = ANY(string_to_array(?, ','))",
              all),
          "one audited event per task");
    }
  }

  /**
   * A relay with another shard count waits while one of the old count holds shards (their shards
   * cut through each other), and takes over once that one stopped: a restart with a new count.
   */
  @Test
  void anotherShardCountTakesOverOnlyFromAStoppedRelay() throws Exception {
    List<String> users = users("count");
    Map<String, String> five = new HashMap<>(RELAY);
    five.put("TASKBUS_RELAY_SHARDS", "5");
    try (ChildProcess old = ChildProcess.start("count-16", RELAY)) {
      awaitSpread(List.of(old));
      ChildProcess restarted = ChildProcess.launch("count-5", five, true);
      try (EventLog kafka = new EventLog()) {
        Set<String> created =
            create(
                api,
                users,
                () -> {
                  try {
                    restarted.awaitReady(Duration.ofSeconds(60));
                    JsonObject relay =
                        TestSystem.eventually(
                            Duration.ofSeconds(10),
                            () -> relay(restarted),
                            r ->
                                r.containsKey("waitingFor") || !r.getJsonArray("shards").isEmpty());
                    assertEquals(new JsonArray(), relay.getJsonArray("shards"), relay.encode());
                    assertTrue(relay.containsKey("waitingFor"), relay.encode());
                    assertEquals(SHARDS, shards(old).size(), "the old count's relay drains on");
                    old.terminate(); // gracefully: it publishes what is committed, then unlocks
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        assertEquals(
            5,
            TestSystem.eventually(
                    Duration.ofSeconds(10), () -> shards(restarted), s -> s.size() == 5)
                .size(),
            "the new count's relay holds its 5 shards");
        List<ConsumerRecord<String, String>> records = readAll(kafka, users, created);
        assertEquals(created, subjects(records, users), "every committed task's event is in Kafka");
        assertEquals(TASKS, recordsOf(records, users).size(), "each event once, no copy");
        assertInOrderOnEveryRecord(kafka, users);
      } finally {
        restarted.close();
      }
    }
  }

  /**
   * With a backlog, a relay's read of the shards it holds walks the primary key in id order and
   * stops at the batch: no sort of the backlog, whether it holds all 16 shards or one.
   */
  @Test
  void aRelaysReadOfItsShardsFollowsIdOrderWithoutSorting() throws Exception {
    try (Connection c = TestSystem.jdbc()) {
      c.setAutoCommit(false);
      try (Statement sql = c.createStatement()) {
        sql.execute(
            "INSERT INTO outbox (user_id, seq, type, subject, time, data)"
                + " SELECT 'backlog-' || (g % 2000), g, 'task.created', 'tasks/' || g, now(), '{}'"
                + " FROM generate_series(1, 20000) g");
        sql.execute("ANALYZE outbox");
        for (String held : List.of("{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{3}")) {
          StringBuilder plan = new StringBuilder();
          try (ResultSet rs =
              sql.executeQuery(
                  "EXPLAIN SELECT id FROM outbox WHERE (hashtext(user_id) & 2147483647) % 16"
                      + " = ANY('"
                      + held
                      + "'::int[]) ORDER BY id LIMIT 500")) {
            while (rs.next()) {
              plan.append(rs.getString(1)).append('\n');
            }
          }
          assertTrue(plan.toString().contains("Index Scan using outbox_pkey"), held + "\n" + plan);
          assertTrue(!plan.toString().contains("Sort"), held + "\n" + plan);
        }
      } finally {
        c.rollback(); // no relay runs here, and the rolled back rows notify none
      }
    }
  }

  private static List<String> users(String name) {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      users.add(TestSystem.uniqueUser(name + i));
    }
    return users;
  }

  /** Creates {@link #TASKS} tasks, running {@code midway} after a third of them. */
  private static Set<String> create(TestSystem api, List<String> users, Runnable midway)
      throws Exception {
    Set<String> created = api.createConcurrently(users, TASKS, midway);
    assertEquals(TASKS, created.size(), "every create should have been committed");
    return created;
  }

  /** Starts relays side by side and waits until they have spread the shards between them. */
  private static ChildProcess.Group startSpread(Map<String, String> env, String... names)
      throws Exception {
    ChildProcess.Group relays = ChildProcess.startTogether(env, names);
    try {
      awaitSpread(relays.all());
      return relays;
    } catch (Exception | AssertionError e) {
      relays.close();
      throw e;
    }
  }

  /** Waits until the relays hold every shard between them, each at most its fair share. */
  private static void awaitSpread(List<ChildProcess> relays) throws Exception {
    int share = (SHARDS + relays.size() - 1) / relays.size();
    List<List<Integer>> held =
        TestSystem.eventually(
            Duration.ofSeconds(30),
            () -> {
              List<List<Integer>> each = new ArrayList<>();
              for (ChildProcess relay : relays) {
                each.add(shards(relay));
              }
              return each;
            },
            each ->
                each.stream().mapToInt(List::size).sum() == SHARDS
                    && each.stream().allMatch(s -> s.size() <= share));
    assertEquals(
        SHARDS, held.stream().mapToInt(List::size).sum(), "every shard has a holder: " + held);
    assertTrue(held.stream().allMatch(s -> s.size() <= share), "fair shares: " + held);
  }

  private static JsonObject relay(ChildProcess process) throws Exception {
    return process.health().getJsonObject("kafka").getJsonObject("relay");
  }

  private static List<Integer> shards(ChildProcess process) throws Exception {
    List<Integer> shards = new ArrayList<>();
    relay(process).getJsonArray("shards").forEach(s -> shards.add(((Number) s).intValue()));
    return shards;
  }

  private static List<ConsumerRecord<String, String>> readAll(
      EventLog kafka, List<String> users, Set<String> created) {
    Set<String> userSet = new HashSet<>(users);
    return kafka.readUntil(
        Duration.ofSeconds(60), rs -> subjects(rs, userSet).containsAll(created));
  }

  private static List<ConsumerRecord<String, String>> recordsOf(
      List<ConsumerRecord<String, String>> records, List<String> users) {
    Set<String> userSet = new HashSet<>(users);
    return records.stream().filter(r -> userSet.contains(r.key())).toList();
  }

  private static Set<String> subjects(
      List<ConsumerRecord<String, String>> records, java.util.Collection<String> users) {
    Set<String> subjects = new HashSet<>();
    for (ConsumerRecord<String, String> r : records) {
      if (users.contains(r.key())) {
        subjects.add(new JsonObject(r.value()).getString("subject"));
      }
    }
    return subjects;
  }

  private static void assertInOrderOnEveryRecord(EventLog kafka, List<String> users) {
    for (String user : users) {
      long lastSeq = 0;
      for (JsonObject event : kafka.eventsOfUser(user)) {
        long seq = event.getLong("seq");
        assertTrue(
            seq > lastSeq, "events of " + user + " out of order: " + seq + " after " + lastSeq);
        lastSeq = seq;
      }
    }
  }

  /** After a crash an event may come again (at least once); its first copy is in order. */
  private static void assertInOrderByFirstCopy(EventLog kafka, List<String> users) {
    Set<String> ids = new HashSet<>();
    for (String user : users) {
      long lastSeq = 0;
      for (JsonObject event : kafka.eventsOfUser(user)) {
        long seq = event.getLong("seq");
        if (ids.add(event.getString("id"))) {
          assertTrue(
              seq > lastSeq, "events of " + user + " out of order: " + seq + " after " + lastSeq);
          lastSeq = seq;
        }
      }
    }
    assertEquals(TASKS, ids.size(), "distinct event ids = committed tasks");
  }
}
