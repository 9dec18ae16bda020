package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Topics;
import io.taskbus.devstack.DevStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The restore runbook of k8s/README.md, on real servers with the real scripts: a running taskbus's
 * database dumped by k8s/postgres/backup/backup.sh (pg_dump -Fc), restored by
 * k8s/postgres/restore/restore.sh into a PostgreSQL that never held taskbus, and a taskbus started
 * on it on the same Kafka. Every task comes back as it was, with its history; nothing waits in the
 * outbox; and a new change goes out with an event id and a sequence number past everything Kafka
 * already carried. pg_dump, pg_restore and psql come from the machine (Debian's postgresql-client,
 * which .ci/run installs): zonky's PostgreSQL ships only the server.
 */
class BackupRestoreIT {

  private static final Path K8S = Path.of("../../k8s/postgres").toAbsolutePath().normalize();
  private static final Path TARGET = Path.of("target", "backup-restore");
  private static final String ROLES = "api,kafka,audit,recurrence";
  private static final long ID_GAP = 1_000_000_000L;

  @Test
  void aDumpRestoredIntoAnEmptyServerBringsBackEveryTaskAndItsHistory() throws Exception {
    requireClientTools();
    String user = TestSystem.uniqueUser("backup");
    // under target/, which the next clean removes (the restored server's data is some 40 MB)
    Path backups = Files.createTempDirectory(Files.createDirectories(TARGET), "backups-");
    Map<String, JsonObject> tasks = new LinkedHashMap<>();
    Map<String, JsonArray> histories = new LinkedHashMap<>();
    long lastEventBefore;
    long lastSeqBefore;
    String lost;
    JsonObject lostEvent;

    try (TestSystem system = TestSystem.start(ROLES)) {
      String plain =
          create(
              system,
              user,
              new JsonObject()
                  .put("title", "renew the passport")
                  .put("description", "photos first")
                  .put("priority", "high")
                  .put("tags", new JsonArray().add("admin").add("travel")));
      ok(
          system.call(
              "PATCH",
              "/api/v1/tasks/" + plain,
              user,
              new JsonObject().put("priority", "low").encode()));
      String done = create(system, user, new JsonObject().put("title", "book the ferry"));
      ok(system.call("POST", "/api/v1/tasks/" + done + "/complete", user, null));
      String recurring =
          create(
              system,
              user,
              new JsonObject()
                  .put("title", "water the plants")
                  .put("dueDate", LocalDate.now(ZoneOffset.UTC).plusDays(1).toString())
                  .put("recurrence", new JsonObject().put("preset", "weekly")));
      ok(system.call("POST", "/api/v1/tasks/" + recurring + "/complete", user, null));
      Instant due = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
      create(
          system,
          user,
          new JsonObject()
              .put("title", "call the bank")
              .put("dueAt", due.toString())
              .put("timeZone", "Europe/Lisbon")
              .put("reminders", new JsonArray().add(new JsonObject().put("before", "PT1H"))));

      // the completed series makes its next occurrence: five tasks in all
      JsonArray all =
          TestSystem.eventually(
              Duration.ofSeconds(30), () -> list(system, user), items -> items.size() == 5);
      assertEquals(5, all.size(), "four created and the next occurrence: " + all);
      // everything sent and audited before the dump: the outbox is empty, and the audit's group
      // has handled every record the topic holds
      long outbox =
          TestSystem.eventually(
              Duration.ofSeconds(30),
              () -> TestSystem.count("SELECT count(*) FROM outbox WHERE user_id = ?", user),
              n -> n == 0);
      assertEquals(0, outbox, "outbox rows of the user before the dump");
      ConsumerGroups.awaitCaughtUp(
          ConsumerGroups.AUDIT, Topics.TASK_EVENTS, Duration.ofSeconds(60));
      for (Object o : all) {
        String id = ((JsonObject) o).getString("id");
        tasks.put(id, json(system.get("/api/v1/tasks/" + id, user)));
        histories.put(
            id, json(system.get("/api/v1/tasks/" + id + "/history", user)).getJsonArray("items"));
      }
      // every change of the user is in the audit log: 7 events of the API, 2 of the occurrence
      long sent;
      try (EventLog kafka = new EventLog()) {
        kafka.readToEnd(Duration.ofSeconds(30));
        sent = kafka.records.stream().filter(r -> user.equals(r.key())).count();
      }
      assertEquals(9, sent, "the user's events on task-events");
      assertEquals(
          sent,
          TestSystem.count("SELECT count(*) FROM audit_log WHERE user_id = ?", user),
          "audited events of the user");
      lastEventBefore = TestSystem.count("SELECT max(event_id) FROM audit_log");
      lastSeqBefore = TestSystem.count("SELECT seq FROM users WHERE id = ?", user);

      Script backup =
          Script.run(
              K8S.resolve("backup/backup.sh"),
              pgEnv(DevStack.shared().postgresUri(), backups, Map.of("KEEP", "3")));
      System.out.println(backup.output());
      assertEquals(0, backup.exit(), backup.output());
      assertTrue(backup.output().contains("wrote " + backups), backup.output());

      // a change after the dump: the restore loses it, but its event is on Kafka for good
      lost = create(system, user, new JsonObject().put("title", "made after the dump"));
      try (EventLog kafka = new EventLog()) {
        kafka.readUntil(Duration.ofSeconds(30), rs -> created(rs, lost).isPresent());
        lostEvent = created(kafka.records, lost).orElseThrow();
      }
    }
    List<Path> dumps;
    try (var files = Files.list(backups)) {
      dumps = files.toList();
    }
    assertEquals(1, dumps.size(), "one complete dump, no partial file: " + dumps);
    assertTrue(
        dumps.get(0).getFileName().toString().matches("taskbus-\\d{8}T\\d{6}Z\\.dump"),
        dumps.toString());

    DevStack fresh = DevStack.postgresOnly(Files.createTempDirectory(TARGET, "restored-"));
    try {
      Script restore =
          Script.run(
              K8S.resolve("restore/restore.sh"), pgEnv(fresh.postgresUri(), backups, Map.of()));
      System.out.println(restore.output());
      assertEquals(0, restore.exit(), restore.output());
      assertTrue(
          restore.output().contains("outbox rows (the relay sends them once taskbus runs): "),
          restore.output());

      try (TestSystem restored =
              TestSystem.start(ROLES, Map.of("TASKBUS_PG_URL", fresh.postgresUri()));
          Connection db = TestSystem.jdbc(fresh.postgresUri())) {
        for (Map.Entry<String, JsonObject> task : tasks.entrySet()) {
          String path = "/api/v1/tasks/" + task.getKey();
          assertEquals(task.getValue(), json(restored.get(path, user)), "the task as it was");
          assertEquals(
              histories.get(task.getKey()),
              json(restored.get(path + "/history", user)).getJsonArray("items"),
              "its history");
          assertTrue(histories.get(task.getKey()).size() >= 1, "a history to compare");
        }
        assertEquals(
            tasks.keySet(), ids(list(restored, user)), "the user's tasks, no more, no fewer");
        assertEquals(404, restored.get("/api/v1/tasks/" + lost, user).statusCode(), "made after");
        long outbox =
            TestSystem.eventually(
                Duration.ofSeconds(30),
                () -> count(db, "SELECT count(*) FROM outbox"),
                n -> n == 0);
        assertEquals(0, outbox, "nothing stuck in the restored outbox");

        // a change after the restore goes the whole way, with ids Kafka has not seen
        String after = create(restored, user, new JsonObject().put("title", "after the restore"));
        JsonObject event;
        try (EventLog kafka = new EventLog()) {
          kafka.readUntil(Duration.ofSeconds(30), rs -> created(rs, after).isPresent());
          event = created(kafka.records, after).orElse(null);
          assertNotNull(event, "task.created of the task made after the restore, on task-events");
          JsonObject sent = event;
          long sameId =
              kafka.records.stream()
                  .filter(
                      r -> new JsonObject(r.value()).getString("id").equals(sent.getString("id")))
                  .count();
          assertEquals(
              1, sameId, "no other record on task-events has event id " + sent.getString("id"));
        }
        long id = Long.parseLong(event.getString("id"));
        assertTrue(id > lastEventBefore + ID_GAP, "event id " + id + " past the dump's by ID_GAP");
        assertTrue(
            event.getLong("seq") > lastSeqBefore + ID_GAP,
            "sequence number " + event.getLong("seq") + " past the dump's by ID_GAP");
        // what the lost change's event used is not handed out again
        assertTrue(id > Long.parseLong(lostEvent.getString("id")), "event id past the lost one's");
        assertTrue(event.getLong("seq") > lostEvent.getLong("seq"), "seq past the lost one's");
        JsonArray history =
            TestSystem.eventually(
                Duration.ofSeconds(30),
                () ->
                    json(restored.get("/api/v1/tasks/" + after + "/history", user))
                        .getJsonArray("items"),
                items -> items.size() == 1);
        assertEquals(1, history.size(), "the new task's event in the restored audit log");
        assertEquals(
            event.getString("id"), history.getJsonObject(0).getValue("eventId").toString());
        assertEquals(
            0,
            TestSystem.eventually(
                Duration.ofSeconds(30),
                () -> count(db, "SELECT count(*) FROM outbox"),
                n -> n == 0));
      }
    } finally {
      fresh.close();
    }
  }

  /**
   * Skips, loudly, where Debian's postgresql-client is not installed; pg_dump must be at least the
   * server's major version, or it refuses to dump.
   */
  private static void requireClientTools() throws Exception {
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
      if (onPath(tool).isEmpty()) {
        missing.add(tool);
      }
    }
    if (!missing.isEmpty()) {
      System.err.println(
          "WARNING: BackupRestoreIT SKIPPED: "
              + missing
              + " not on the PATH (apt-get install postgresql-client)");
    }
    Assumptions.assumeTrue(
        missing.isEmpty(), missing + " not on the PATH: apt-get install postgresql-client");
    Script version = Script.run(List.of("pg_dump", "--version"), Map.of());
    java.util.regex.Matcher major =
        java.util.regex.Pattern.compile("(\\d+)\\.").matcher(version.output());
    assertTrue(major.find(), version.output());
    long server;
    try (Connection c = TestSystem.jdbc()) {
      server = count(c, "SELECT current_setting('server_version_num')::int / 10000");
    }
    assertTrue(
        Integer.parseInt(major.group(1)) >= server,
        version.output().strip() + " cannot dump a PostgreSQL " + server + " server");
  }

  private static Optional<Path> onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * What the CronJob and the Job set: libpq's variables for the server of the URI, and the dumps.
   */
  private static Map<String, String> pgEnv(
      String postgresUri, Path backups, Map<String, String> more) {
    URI uri = URI.create(postgresUri.replace("postgresql://", "http://"));
    String[] userInfo = uri.getUserInfo().split(":", 2);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGHOST", uri.getHost());
    env.put("PGPORT", Integer.toString(uri.getPort()));
    env.put("PGUSER", userInfo[0]);
    env.put("PGPASSWORD", userInfo[1]);
    env.put("PGDATABASE", uri.getPath().substring(1));
    env.put("BACKUP_DIR", backups.toString());
    env.putAll(more);
    return env;
  }

  /** A script run to its end, with its output and error interleaved. */
  private record Script(int exit, String output) {
    static Script run(Path script, Map<String, String> env) throws Exception {
      return run(List.of("bash", script.toString()), env);
    }

    static Script run(List<String> command, Map<String, String> env) throws Exception {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      // only the variables the Job sets: none of the machine's own PG* settings
      builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
      builder.environment().putAll(env);
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(
            command + " did not end: " + new String(output, StandardCharsets.UTF_8));
      }
      return new Script(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
  }

  private static Optional<JsonObject> created(
      List<ConsumerRecord<String, String>> records, String taskId) {
    return records.stream()
        .map(r -> new JsonObject(r.value()))
        .filter(
            e ->
                "task.created".equals(e.getString("type")) && taskId.equals(e.getString("subject")))
        .findFirst();
  }

  private static JsonArray list(TestSystem system, String user) throws Exception {
    return json(system.get("/api/v1/tasks?status=all&limit=200", user)).getJsonArray("items");
  }

  private static Set<String> ids(JsonArray items) {
    Set<String> ids = new TreeSet<>();
    items.forEach(o -> ids.add(((JsonObject) o).getString("id")));
    return ids;
  }

  private static long count(Connection db, String sql) throws Exception {
    try (var statement = db.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String create(TestSystem system, String user, JsonObject task) throws Exception {
    HttpResponse<String> created = system.call("POST", "/api/v1/tasks", user, task.encode());
    assertEquals(201, created.statusCode(), created.body());
    return new JsonObject(created.body()).getString("id");
  }

  private static JsonObject json(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static void ok(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
  }
}
