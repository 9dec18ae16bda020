package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.taskbus.contracts.Addresses;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web page in a real browser: Debian's Chromium driven by playwright-core from the Node
 * scenarios in {@code src/test/browser/}. Each test starts a system, runs {@code node <scenario>}
 * with its URLs and tokens in the environment, streams its output, answers its requests (kill or
 * start a process) and expects exit code 0. Screenshots of the main views land in {@code
 * target/screenshots/}.
 */
class BrowserIT {

  private static final Path SCENARIOS = Path.of("src", "test", "browser");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path PLAYWRIGHT =
      Path.of("src", "main", "web", "node_modules", "playwright-core");

  /** Fails under CI (where .ci/run installs the browser), skips loudly on a developer's machine. */
  @BeforeAll
  static void browserAndNode() {
    StringBuilder missing = new StringBuilder();
    if (!Files.isExecutable(CHROMIUM)) {
      missing.append(" ").append(CHROMIUM).append(" (apt-get install chromium)");
    }
    if (!nodeRuns()) {
      missing.append(" node (apt-get install nodejs npm)");
    }
    if (!Files.isDirectory(PLAYWRIGHT)) {
      missing.append(" ").append(PLAYWRIGHT).append(" (the build's npm ci)");
    }
    if (missing.isEmpty()) {
      return;
    }
    String message = "BrowserIT needs" + missing;
    if (System.getenv("CI") != null) {
      fail(message + "; CI is set, so this is a failure, not a skip");
    }
    System.err.println("\n!!!!!!!!!! SKIPPING BrowserIT: " + message + " !!!!!!!!!!\n");
    Assumptions.abort(message);
  }

  @Test
  void twoTabsOfOneUserStayInStepAndAnotherUserSeesNothing() throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit")) {
      String a = TestSystem.uniqueUser("alice");
      String b = TestSystem.uniqueUser("bob");
      String expired =
          TestSystem.signer()
              .generateToken(
                  new JsonObject()
                      .put("sub", a)
                      .put("exp", System.currentTimeMillis() / 1000 - 60));
      node(
          "two-tabs.mjs",
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN_A",
              system.token(a),
              "TOKEN_B",
              system.token(b),
              "EXPIRED_TOKEN",
              expired),
          Map.of());
    }
  }

  @Test
  void recurrenceAndRemindersSetInTheFormAreSavedAndPreviewed() throws Exception {
    // with the notification verticle: the page asks for its unread count, and that should answer
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit,recurrence,notification")) {
      node(
          "schedule-form.mjs",
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN",
              system.token(TestSystem.uniqueUser("planner"))),
          Map.of());
    }
  }

  /** Every phrase of quickadd-phrases.mjs typed into the page creates the task the table says. */
  @Test
  void quickAddPhrasesCreateTheTasksTheyDescribe() throws Exception {
    // recurrence checks the rules; notification answers the page's unread count
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit,recurrence,notification")) {
      node(
          "quickadd.mjs",
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN",
              system.token(TestSystem.uniqueUser("quick"))),
          Map.of());
    }
  }

  @Test
  void thePageInstallsWorksOfflineAndShowsRemindersAsSystemNotificationsWhenHidden()
      throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit,recurrence,notification")) {
      node(
          "pwa.mjs",
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN",
              system.token(TestSystem.uniqueUser("installed"))),
          Map.of());
    }
  }

  @Test
  void aReminderDueWhileThePageIsOpenShowsAToastAndTheInboxCountUpdates() throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit,recurrence,notification")) {
      node(
          "notifications.mjs",
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN",
              system.token(TestSystem.uniqueUser("reminded"))),
          Map.of());
    }
  }

  /**
   * Today and Upcoming in New York with the browser's clock fixed at 23:50 on the night daylight
   * saving time ends: tasks just before and after midnight, a daily series across the change.
   */
  @Test
  void todayAndUpcomingFollowThePersonsZoneAcrossMidnightAndADaylightSavingChange()
      throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit,recurrence")) {
      node(
          "views.mjs",
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN",
              system.token(TestSystem.uniqueUser("zoned"))),
          Map.of());
    }
  }

  /**
   * The sidebar's counts equal /tasks/counts and follow a change; a search saved as a filter is a
   * view with its count, renamed and deleted there; a name already taken is said in the dialog.
   */
  @Test
  void theSidebarCountsEveryViewAndKeepsSavedFilters() throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit")) {
      node(
          "filters.mjs",
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN",
              system.token(TestSystem.uniqueUser("sorter"))),
          Map.of());
    }
  }

  @Test
  void theMainFlowsWorkWithTheKeyboardAlone() throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit")) {
      node(
          "keyboard.mjs",
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN",
              system.token(TestSystem.uniqueUser("typist"))),
          Map.of());
    }
  }

  /**
   * Offline: changes made without a network are shown pending, survive a reload and reach the
   * server once each when it is back; a conflicting edit from a second tab is settled by the
   * person.
   */
  @Test
  void changesMadeOfflineAreKeptAcrossAReloadAndSentOnceEachWhenBack() throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit")) {
      node(
          "offline.mjs",
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN",
              system.token(TestSystem.uniqueUser("offline"))),
          Map.of());
    }
  }

  /** axe-core on every view in light and dark, at 390 and 1280 px; their screenshots too. */
  @Test
  void everyViewPassesAxeInLightAndDarkAtBothWidths() throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit,recurrence,notification")) {
      node(
          List.of(SCENARIOS.resolve("a11y.mjs").toString()),
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN",
              system.token(TestSystem.uniqueUser("axe"))),
          Map.of(),
          Duration.ofSeconds(300));
    }
  }

  /**
   * Lighthouse (src/test/node) on the Today view of a user with 500 tasks due today: accessibility
   * and best practices at least 95, performance at least 90 (desktop settings). Every verticle the
   * page talks to runs, as in the quick start (the inbox's requests find the notification service).
   */
  @Test
  void theTodayViewWith500TasksScoresWellInLighthouse() throws Exception {
    try (TestSystem system = TestSystem.start("api,bridge,kafka,audit,recurrence,notification")) {
      node(
          List.of(Path.of("src", "test", "node", "lighthouse-today.mjs").toString()),
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + system.port,
              "TOKEN",
              system.token(TestSystem.uniqueUser("busy"))),
          Map.of(),
          Duration.ofSeconds(300));
    }
  }

  @Test
  void aPageThatLostTheBridgeCatchesUpWithEveryChangeOnceInOrder() throws Exception {
    int hzApi = TestSystem.freePort();
    int hzBridge = TestSystem.freePort();
    int hzBridgeAgain = TestSystem.freePort();
    String members =
        "127.0.0.1:" + hzApi + ",127.0.0.1:" + hzBridge + ",127.0.0.1:" + hzBridgeAgain;
    int bridgePort = TestSystem.freePort();
    try (TestSystem api =
        TestSystem.start(
            "api,kafka,audit",
            Map.of(
                "TASKBUS_CLUSTER",
                "true",
                "TASKBUS_HAZELCAST_PORT",
                Integer.toString(hzApi),
                "TASKBUS_HAZELCAST_MEMBERS",
                members))) {
      ChildProcess[] bridge = {bridge("browser-bridge", hzBridge, members, bridgePort)};
      ClusterManager cluster = ((VertxInternal) api.taskbus.vertx()).clusterManager();
      String[] newBridge = {null};
      try {
        String user = TestSystem.uniqueUser("reconnect");
        node(
            "reconnect.mjs",
            Map.of(
                "API_URL",
                "http://127.0.0.1:" + api.port,
                "BRIDGE_URL",
                "http://127.0.0.1:" + bridgePort,
                "TOKEN",
                api.token(user)),
            Map.of(
                "kill-bridge", () -> bridge[0].kill(),
                "start-bridge",
                    () -> {
                      Set<String> before = new HashSet<>(cluster.getNodes());
                      bridge[0] =
                          bridge("browser-bridge-again", hzBridgeAgain, members, bridgePort);
                      newBridge[0] =
                          cluster.getNodes().stream()
                              .filter(n -> !before.contains(n))
                              .findFirst()
                              .orElseThrow(
                                  () -> new AssertionError("the new bridge is no cluster member"));
                    },
                // the page's registration on the new bridge has reached this node, which publishes
                // the user's events: only then can a push reach the page
                "await-registration",
                    () -> awaitRegistration(cluster, Addresses.userTasks(user), newBridge[0])));
      } finally {
        bridge[0].close();
      }
    }
  }

  @Test
  void theEmbeddedDefaultSignsAPersonInByName() throws Exception {
    Path data = Files.createTempDirectory(TestSystem.scratch(), "taskbus-browser-dev");
    try (ChildProcess dev =
        ChildProcess.start(
            "browser-embedded-default", Map.of("TASKBUS_DEV_DATADIR", data.toString()), false)) {
      node(
          "signin-by-name.mjs",
          Map.of(
              "BASE_URL",
              "http://127.0.0.1:" + dev.port,
              "USER_NAME",
              TestSystem.uniqueUser("dev")),
          Map.of());
      // SIGTERM, not the SIGKILL of close(): the child owns an embedded PostgreSQL, which only a
      // graceful stop takes down with it
      dev.terminate();
    }
  }

  /**
   * The page's sync engine alone (no browser): duplicates, gaps, pushes during a sync, order; the
   * form's rule and duration helpers; the dates in words (a fixed now, a daylight-saving change,
   * midnight in the person's zone); the quick-add parser's phrase table; and the outbox's queue
   * against a fake API (away, refusing, 412).
   */
  @Test
  void theSyncEngineDropsDuplicatesFillsGapsAndKeepsOrder() throws Exception {
    node(
        List.of(
            "--test",
            SCENARIOS.resolve("live.test.mjs").toString(),
            SCENARIOS.resolve("schedule.test.mjs").toString(),
            SCENARIOS.resolve("when.test.mjs").toString(),
            SCENARIOS.resolve("quickadd.test.mjs").toString(),
            SCENARIOS.resolve("pending.test.mjs").toString()),
        Map.of(),
        Map.of());
  }

  private static void awaitRegistration(ClusterManager cluster, String address, String node)
      throws Exception {
    boolean registered =
        TestSystem.eventually(
            Duration.ofSeconds(30),
            () -> {
              Promise<List<RegistrationInfo>> found = Promise.promise();
              cluster.getRegistrations(address, found);
              return found.future().await(5, TimeUnit.SECONDS).stream()
                  .anyMatch(r -> r.nodeId().equals(node));
            },
            r -> r);
    if (!registered) {
      throw new AssertionError(address + " of node " + node + " is not known here after 30 s");
    }
  }

  private static ChildProcess bridge(String name, int hazelcastPort, String members, int httpPort)
      throws Exception {
    return ChildProcess.start(
        name,
        Map.of(
            "TASKBUS_VERTICLES",
            "bridge",
            "TASKBUS_CLUSTER",
            "true",
            "TASKBUS_HAZELCAST_PORT",
            Integer.toString(hazelcastPort),
            "TASKBUS_HAZELCAST_MEMBERS",
            members),
        true,
        httpPort);
  }

  interface Command {
    void run() throws Exception;
  }

  /**
   * Runs a scenario to its end. A line {@code @@ <command>} on its output asks this test to do
   * something; the answer {@code ok <command>} goes to its input when done.
   */
  private static void node(String scenario, Map<String, String> env, Map<String, Command> commands)
      throws Exception {
    node(List.of(SCENARIOS.resolve(scenario).toString()), env, commands);
  }

  private static void node(
      List<String> arguments, Map<String, String> env, Map<String, Command> commands)
      throws Exception {
    node(arguments, env, commands, Duration.ofSeconds(150));
  }

  private static void node(
      List<String> arguments,
      Map<String, String> env,
      Map<String, Command> commands,
      Duration timeout)
      throws Exception {
    String scenario = Path.of(arguments.get(arguments.size() - 1)).getFileName().toString();
    Map<String, String> all = new HashMap<>(env);
    all.put("SCREENSHOT_DIR", SCREENSHOTS.toString());
    all.put("CHROMIUM", CHROMIUM.toString());
    List<String> commandLine = new java.util.ArrayList<>(List.of("node"));
    commandLine.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true);
    builder.environment().putAll(all);
    Process process = builder.start();
    BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  System.out.println("[" + scenario + "] " + line);
                  if (line.startsWith("@@ ")) {
                    requests.add(line.substring(3).trim());
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "browser-" + scenario);
    reader.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Writer answers =
        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
      while (process.isAlive() || !requests.isEmpty()) {
        if (System.nanoTime() > deadline) {
          fail(scenario + " did not finish in time");
        }
        String request = requests.poll(100, TimeUnit.MILLISECONDS);
        if (request == null) {
          continue;
        }
        Command command = commands.get(request);
        String answer;
        try {
          if (command == null) {
            throw new IllegalArgumentException("unknown request " + request);
          }
          command.run();
          answer = "ok " + request;
        } catch (Exception e) {
          answer = "failed " + request + ": " + e;
        }
        System.out.println("[" + scenario + "] <- " + answer);
        if (process.isAlive()) {
          answers.write(answer + "\n");
          answers.flush();
        }
      }
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      process.waitFor(10, TimeUnit.SECONDS);
      reader.join(5000);
    }
    assertEquals(0, process.exitValue(), scenario + " failed; its output is above");
  }

  private static boolean nodeRuns() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
