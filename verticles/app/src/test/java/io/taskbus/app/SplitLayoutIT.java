package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code split} layout of k8s/overlays/split as processes on loopback: api, bridge and two
 * workers (kafka, audit and the rest), each with the environment its Deployment gets, clustered
 * through Hazelcast. Browsers on the bridge process receive the events of tasks created on the api
 * process; the worker that leads the relay is SIGKILLed under load, and still no event is lost (the
 * other relay takes over, Kafka moves the partitions) and the audit has one row per event.
 */
class SplitLayoutIT {

  /** perf/chaos/run.sh sets more ({@code -Dtaskbus.chaos.splitTasks}). */
  static final int TASKS = Integer.getInteger("taskbus.chaos.splitTasks", 600);

  static final int USERS = 4;

  @Test
  void splitLayoutDeliversAcrossProcessesAndSurvivesAKilledWorker() throws Exception {
    Map<String, Map<String, String>> layout = SplitOverlay.environments();
    assertEquals(Set.of("api", "bridge", "workers"), layout.keySet());

    // one host: members are told apart by port; the rest is the overlay's environment
    Map<String, Integer> hzPorts = new LinkedHashMap<>();
    for (String name : List.of("api", "bridge", "workers-1", "workers-2")) {
      hzPorts.put(name, TestSystem.freePort());
    }
    String members =
        String.join(",", hzPorts.values().stream().map(p -> "127.0.0.1:" + p).toList());
    Map<String, ChildProcess> processes = new LinkedHashMap<>();
    try {
      for (var entry : hzPorts.entrySet()) {
        Map<String, String> env =
            SplitOverlay.onLoopback(
                layout.get(entry.getKey().replaceAll("-\\d$", "")), members, entry.getValue());
        processes.put(entry.getKey(), ChildProcess.launch("split-" + entry.getKey(), env, true));
      }
      for (ChildProcess p : processes.values()) {
        p.awaitReady(Duration.ofSeconds(120));
      }
      ChildProcess api = processes.get("api");
      ChildProcess bridge = processes.get("bridge");
      JsonObject ready = new JsonObject(get(bridge, "/health/ready"));
      assertEquals(
          4,
          ready.getJsonArray("checks").stream()
              .map(JsonObject.class::cast)
              .filter(c -> c.getString("id").equals("cluster"))
              .findFirst()
              .orElseThrow()
              .getJsonObject("data")
              .getInteger("members"),
          ready.encode());

      List<String> users = new ArrayList<>();
      Map<String, BridgeClient> browsers = new HashMap<>();
      Map<String, String> tokens = new HashMap<>();
      try {
        for (int i = 0; i < USERS; i++) {
          String user = TestSystem.uniqueUser("split" + i);
          users.add(user);
          tokens.put(user, TestSystem.signer().generateToken(new JsonObject().put("sub", user)));
          BridgeClient browser = BridgeClient.connect(bridge.port, tokens.get(user));
          browser.registerAndAwait(Addresses.userTasks(user));
          browsers.put(user, browser);
        }
        // each registration has reached the worker that publishes the user's events (the one
        // reading the user's partition); the other worker hears of it from the same Hazelcast
        // update, and reads that partition only after the killed worker's Kafka session timed out
        List<String> probes = new ArrayList<>();
        for (String user : users) {
          probes.add(browsers.get(user).awaitEventsThrough(api.port, tokens.get(user)));
        }

        // a worker whose relay holds outbox shards dies in the middle of the load
        ChildProcess relaying =
            TestSystem.eventually(
                Duration.ofSeconds(10),
                () ->
                    processes.get("workers-1").logText().contains("outbox relay holds shards")
                        ? processes.get("workers-1")
                        : processes.get("workers-2").logText().contains("outbox relay holds shards")
                            ? processes.get("workers-2")
                            : null,
                p -> p != null);
        assertTrue(relaying != null, "a worker holds relay shards");

        Map<String, Set<String>> created =
            TestSystem.createConcurrently(
                java.net.http.HttpClient.newHttpClient(),
                java.net.URI.create("http://127.0.0.1:" + api.port + "/api/v1/tasks"),
                tokens::get,
                users,
                TASKS,
                relaying::crash);
        long loadEnded = System.nanoTime();
        assertEquals(
            TASKS,
            created.values().stream().mapToInt(Set::size).sum(),
            "the api process is unaffected by the workers");

        // every event reaches its owner's browser through the bridge process (perhaps twice:
        // at-least-once; a browser keys on the event id)
        Map<String, Set<String>> received = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        for (String user : users) {
          Set<String> subjects = new HashSet<>();
          BridgeClient browser = browsers.get(user);
          while (!subjects.containsAll(created.get(user)) && System.nanoTime() < deadline) {
            JsonObject frame = browser.next("rec", Duration.ofMillis(500));
            if (frame != null) {
              subjects.add(frame.getJsonObject("body").getString("subject"));
            }
          }
          received.put(user, subjects);
        }
        System.out.printf(
            "chaos: split layout, a relaying worker SIGKILLed after %d of %d creates: every event in"
                + " its browser %.1f s after the last create%n",
            TASKS / 3, TASKS, (System.nanoTime() - loadEnded) / 1e9);
        for (String user : users) {
          Set<String> missing = new HashSet<>(created.get(user));
          missing.removeAll(received.get(user));
          assertEquals(
              Set.of(),
              missing,
              "events " + user + "'s browser never received; logs in " + bridge.log.getParent());
        }

        // exactly one audit row per event, whichever worker wrote it (the probe tasks' aside)
        String[] userArray = users.toArray(new String[0]);
        String[] probeArray = probes.toArray(new String[0]);
        long rows =
            TestSystem.eventually(
                Duration.ofSeconds(20),
                () ->
                    count(
                        "SELECT count(*) FROM audit_log WHERE user_id = ANY (?) AND subject <> ALL (?)",
                        userArray,
                        probeArray),
                n -> n >= TASKS);
        assertEquals(TASKS, rows, "audit rows of the created tasks");
        assertEquals(
            TASKS,
            count(
                "SELECT count(DISTINCT subject) FROM audit_log WHERE user_id = ANY (?)"
                    + " AND subject <> ALL (?) AND type = 'task.created'",
                userArray,
                probeArray));
        assertTrue(
            processes.values().stream().filter(p -> p != relaying).allMatch(ChildProcess::isAlive));
      } finally {
        browsers.values().forEach(BridgeClient::close);
      }
    } finally {
      for (ChildProcess p : processes.values()) {
        p.close();
      }
    }
  }

  private static long count(String sql, String[]... arrays) throws Exception {
    try (var c = TestSystem.jdbc();
        var statement = c.prepareStatement(sql)) {
      for (int i = 0; i < arrays.length; i++) {
        statement.setArray(i + 1, c.createArrayOf("text", arrays[i]));
      }
      try (var rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String get(ChildProcess p, String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + p.port + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * The environment each Deployment of k8s/overlays/split gives its taskbus container: the literal
   * values of the base template (k8s/base/app/deployment.yaml) with each role's patch applied, and
   * TASKBUS_CONFIG pointing at the file the ConfigMap is generated from. Values Kubernetes fills in
   * (pod IP, Secrets) are left out for the test to supply.
   */
  static final class SplitOverlay {

    static Map<String, Map<String, String>> environments() throws Exception {
      Path k8s = repositoryRoot().resolve("k8s");
      Map<String, String> base = env(containers(load(k8s.resolve("base/app/deployment.yaml"))));
      Map<String, Map<String, String>> roles = new LinkedHashMap<>();
      try (var dirs = Files.list(k8s.resolve("overlays/split"))) {
        for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
          Map<String, Object> kustomization = load(dir.resolve("kustomization.yaml"));
          Map<String, String> env = new LinkedHashMap<>(base);
          for (Object patch : (List<?>) kustomization.get("patches")) {
            Map<String, Object> doc = new Yaml().load((String) ((Map<?, ?>) patch).get("patch"));
            env.putAll(env(containers(doc)));
          }
          Path config = Path.of(env.get("TASKBUS_CONFIG"));
          env.put(
              "TASKBUS_CONFIG",
              k8s.resolve("base/config").resolve(config.getFileName()).toString());
          roles.put(dir.getFileName().toString(), env);
        }
      }
      return roles;
    }

    /**
     * A member's environment on this host: its Deployment's, with the tests' PostgreSQL, Kafka and
     * key instead of the cluster's Services and Secrets, and members told apart by port.
     */
    static Map<String, String> onLoopback(
        Map<String, String> deployment, String members, int hazelcastPort) throws Exception {
      Map<String, String> env = new HashMap<>(deployment);
      env.remove("TASKBUS_HAZELCAST_DNSSERVICE");
      env.keySet().removeAll(TestSystem.baseEnv(0).keySet());
      env.put("TASKBUS_HAZELCAST_HOST", "127.0.0.1");
      env.put("TASKBUS_HAZELCAST_MEMBERS", members);
      env.put("TASKBUS_HAZELCAST_PORT", Integer.toString(hazelcastPort));
      env.put("TASKBUS_EVENTBUS_PORT", Integer.toString(TestSystem.freePort()));
      // a killed member's Kafka consumers leave their groups after the shortest session the
      // broker allows (6 s, not 10): the others take their partitions over sooner
      env.put("TASKBUS_KAFKA_SESSIONTIMEOUTMS", "6000");
      // several JVMs start at once
      return ChildProcess.quickStart(env);
    }

    static Path repositoryRoot() {
      Path dir = Path.of("").toAbsolutePath();
      while (dir != null && !Files.isDirectory(dir.resolve("k8s/overlays/split"))) {
        dir = dir.getParent();
      }
      if (dir == null) {
        throw new IllegalStateException(
            "k8s/overlays/split not found above " + Path.of("").toAbsolutePath());
      }
      return dir;
    }

    private static Map<String, Object> load(Path file) throws Exception {
      return new Yaml().load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> containers(Map<String, Object> deployment) {
      Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
      Map<String, Object> template = (Map<String, Object>) spec.get("template");
      return (List<Map<String, Object>>)
          ((Map<String, Object>) template.get("spec")).get("containers");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(List<Map<String, Object>> containers) {
      Map<String, String> env = new LinkedHashMap<>();
      for (Map<String, Object> c : containers) {
        if ("taskbus".equals(c.get("name")) && c.get("env") != null) {
          for (Map<String, Object> e : (List<Map<String, Object>>) c.get("env")) {
            if (e.get("value") != null && e.get("name").toString().startsWith("TASKBUS_")) {
              env.put(e.get("name").toString(), e.get("value").toString());
            }
          }
        }
      }
      return env;
    }
  }
}
