package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskbus.contracts.EventTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One user's way through every event type taskbus writes to task-events, as a user (and time) would
 * cause them: a task created, edited, completed, reopened, trashed and restored; a weekly series
 * whose completion makes the next occurrence; a reminder that fires and one found long past its
 * time (after downtime); a task trashed long enough ago to be purged. Needs the roles api, kafka
 * and recurrence, with {@link #SETTINGS}.
 */
final class EveryEventType {

  /** Housekeeping (the trash purge) every 200 ms instead of hourly. */
  static final Map<String, String> SETTINGS = Map.of("TASKBUS_API_HOUSEKEEPINGINTERVALMS", "200");

  /** Every value of {@link EventTypes}, read from the class so a new type is not forgotten. */
  static Set<String> all() {
    Set<String> types = new TreeSet<>();
    for (Field field : EventTypes.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          types.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return types;
  }

  /** The ids of the tasks the run made, and the user's records on task-events in order. */
  record Run(
      String edited,
      String recurring,
      String reminded,
      String purged,
      List<ConsumerRecord<String, String>> records) {}

  static Run run(TestSystem system, String user) throws Exception {
    String edited = system.createTask(user, "water the plants").getString("id");
    String path = "/api/v1/tasks/" + edited;
    ok(
        system.call(
            "PATCH",
            path,
            user,
            new JsonObject()
                .put("priority", "high")
                .put("tags", new JsonArray().add("home"))
                .encode()));
    ok(system.call("POST", path + "/complete", user, null));
    ok(system.call("POST", path + "/reopen", user, null));
    assertEquals(204, system.call("DELETE", path, user, null).statusCode());
    ok(system.call("POST", path + "/restore", user, null));

    String recurring =
        create(
            system,
            user,
            new JsonObject()
                .put("title", "take out the bins")
                .put("dueDate", LocalDate.now(ZoneOffset.UTC).plusDays(1).toString())
                .put("recurrence", new JsonObject().put("preset", "weekly")));
    ok(system.call("POST", "/api/v1/tasks/" + recurring + "/complete", user, null));

    Instant due = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    String reminded =
        create(
            system,
            user,
            new JsonObject()
                .put("title", "call mum")
                .put("dueAt", due.toString())
                .put("timeZone", "Europe/Berlin")
                .put(
                    "reminders",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put(
                                    "at",
                                    Instant.now()
                                        .plusSeconds(3)
                                        .truncatedTo(ChronoUnit.SECONDS)
                                        .toString()))));
    // a reminder three hours before the due, two hours ago: the timers were down meanwhile
    try (Connection c = TestSystem.jdbc();
        PreparedStatement missed =
            c.prepareStatement(
                "INSERT INTO reminders (user_id, task_id, spec, fire_at)"
                    + " VALUES (?, ?::uuid, '{\"before\": \"PT3H\"}', ?)")) {
      missed.setString(1, user);
      missed.setString(2, reminded);
      missed.setObject(3, due.minus(3, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC));
      missed.executeUpdate();
    }

    String purged = system.createTask(user, "old receipts").getString("id");
    assertEquals(204, system.call("DELETE", "/api/v1/tasks/" + purged, user, null).statusCode());
    // trashed longer ago than api.trashRetentionDays (30): the next housekeeping purges it
    try (Connection c = TestSystem.jdbc();
        PreparedStatement aged =
            c.prepareStatement(
                "UPDATE tasks SET deleted_at = now() - interval '31 days' WHERE id = ?::uuid")) {
      aged.setString(1, purged);
      assertEquals(1, aged.executeUpdate());
    }

    Set<String> wanted = all();
    List<ConsumerRecord<String, String>> records;
    try (EventLog kafka = new EventLog()) {
      kafka.readUntil(Duration.ofSeconds(60), rs -> types(rs, user).containsAll(wanted));
      records = kafka.records.stream().filter(r -> user.equals(r.key())).toList();
    }
    assertEquals(wanted, types(records, user), "every event type");
    return new Run(edited, recurring, reminded, purged, new ArrayList<>(records));
  }

  private static Set<String> types(List<ConsumerRecord<String, String>> records, String user) {
    Set<String> types = new TreeSet<>();
    for (ConsumerRecord<String, String> r : records) {
      if (user.equals(r.key())) {
        types.add(new JsonObject(r.value()).getString("type"));
      }
    }
    return types;
  }

  private static String create(TestSystem system, String user, JsonObject task) throws Exception {
    HttpResponse<String> created = system.call("POST", "/api/v1/tasks", user, task.encode());
    assertEquals(201, created.statusCode(), created.body());
    return new JsonObject(created.body()).getString("id");
  }

  private static void ok(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
  }

  private EveryEventType() {}
}
