package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alerts of {@code k8s/monitoring/taskbus-alerts.yaml} and the panels of the Grafana dashboard
 * ask only for series that a running taskbus exports: every metric name, every label their
 * selectors match on and every label they group by is looked up in a real scrape of {@code
 * /metrics} of a process with every role, taken after a task with a reminder was created, its
 * reminder fired, the task completed and a bridge client connected. A misspelled name in either
 * file fails here instead of leaving an alert that never fires or an empty panel.
 */
class MonitoringIT {

  private static final Path MONITORING = Path.of("../../k8s/monitoring").toAbsolutePath();

  /**
   * Labels Prometheus adds to every series of a target (the Prometheus Operator's PodMonitor: the
   * pod's namespace, pod, container, the endpoint, instance and job; {@code role} is relabelled
   * from the pod's component label in podmonitor.yaml): not in {@code /metrics}, yet in every
   * series.
   */
  private static final Set<String> TARGET_LABELS =
      Set.of("namespace", "pod", "container", "endpoint", "instance", "job", "role");

  /** Grafana's {@code label_values(metric, label)} in a dashboard variable's query. */
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*),\\s*([a-zA-Z_]\\w*)\\s*\\)\\s*$");

  private static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,bridge,kafka,audit,recurrence,notification");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void alertsAndDashboardReferOnlyToExportedSeries() throws Exception {
    Map<String, Set<String>> exported = scrapeAfterSomeWork();

    Map<String, String> expressions = new LinkedHashMap<>();
    for (Map<String, Object> rule : alertRules()) {
      expressions.put("alert " + rule.get("alert"), (String) rule.get("expr"));
    }
    assertTrue(expressions.size() >= 11, "the alerts: " + expressions.keySet());
    JsonObject dashboard =
        new JsonObject(Files.readString(MONITORING.resolve("taskbus-dashboard.json")));
    List<String> dashboardQueries = new ArrayList<>();
    collectQueries(dashboard, dashboardQueries);
    assertTrue(dashboardQueries.size() >= 10, "the dashboard's queries: " + dashboardQueries);
    for (int i = 0; i < dashboardQueries.size(); i++) {
      expressions.put("dashboard query " + (i + 1), dashboardQueries.get(i));
    }

    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : expressions.entrySet()) {
      problems.addAll(unexported(e.getKey(), e.getValue(), exported));
    }
    assertEquals(
        List.of(),
        problems,
        "series or labels that /metrics does not export (the scrape: target/monitoring-scrape.txt)");
  }

  /** What is wrong with one expression: names and labels the scrape does not have. */
  private static List<String> unexported(
      String where, String expression, Map<String, Set<String>> exported) {
    List<String> problems = new ArrayList<>();
    Set<String> groupingLabels = new TreeSet<>();
    Matcher labelValues = LABEL_VALUES.matcher(expression);
    if (labelValues.matches()) {
      expression = labelValues.group(1);
      groupingLabels.add(labelValues.group(2));
    }
    PromQl.References refs = PromQl.of(expression);
    groupingLabels.addAll(refs.groupingLabels());
    if (refs.metrics().isEmpty()) {
      problems.add(where + " names no metric: " + expression);
    }
    Set<String> labelsOfItsMetrics = new HashSet<>(TARGET_LABELS);
    for (String metric : refs.metrics()) {
      Set<String> labels = exported.get(metric);
      if (labels == null) {
        problems.add(where + ": no series " + metric + " in /metrics");
        continue;
      }
      labelsOfItsMetrics.addAll(labels);
      for (String label : refs.selectorLabels().getOrDefault(metric, Set.of())) {
        if (!labels.contains(label) && !TARGET_LABELS.contains(label)) {
          problems.add(
              where + ": " + metric + " has no label " + label + " (it has " + labels + ")");
        }
      }
    }
    for (String label : groupingLabels) {
      if (!labelsOfItsMetrics.contains(label)) {
        problems.add(where + ": groups by " + label + ", which none of " + refs.metrics() + " has");
      }
    }
    return problems;
  }

  /**
   * Connects a bridge client, creates a task whose reminder fires seconds later, waits for it to
   * fire, completes the task, asks for readiness; then scrapes once the new state shows.
   */
  private static Map<String, Set<String>> scrapeAfterSomeWork() throws Exception {
    String user = TestSystem.uniqueUser("monitoring");
    try (BridgeClient tab = BridgeClient.connect(system.port, system.token(user))) {
      tab.registerAndAwait(Addresses.userTasks(user));
      // the reminder falls due at least 3 s after this, so even a slow create schedules it: one
      // whose time had passed by the time it was stored is not a reminder to fire
      Instant due = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
      HttpResponse<String> created =
          system.call(
              "POST",
              "/api/v1/tasks",
              user,
              TestSystem.dueWithReminders("watch the dashboards", due, "Europe/Berlin", "PT2S")
                  .encode());
      assertEquals(201, created.statusCode(), created.body());
      String id = new JsonObject(created.body()).getString("id");
      long fired =
          TestSystem.eventually(
              Duration.ofSeconds(30),
              () ->
                  TestSystem.count(
                      "SELECT count(*) FROM reminders WHERE task_id = ?::uuid AND state = 'fired'",
                      id),
              n -> n == 1);
      assertEquals(1, fired, "the reminder fired");
      assertEquals(
          200, system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null).statusCode());
      assertEquals(200, system.get("/health/ready", null).statusCode());

      Map<String, Double> values =
          TestSystem.eventually(
              Duration.ofSeconds(30),
              MonitoringIT::scrapeValues,
              v ->
                  v.getOrDefault("taskbus_reminder_fire_delay_seconds_count", 0.0) >= 1
                      && v.getOrDefault("taskbus_relay_shards", 0.0) == 16
                      && v.getOrDefault("taskbus_bridge_connections", 0.0) >= 1);
      assertTrue(
          values.getOrDefault("taskbus_reminder_fire_delay_seconds_count", 0.0) >= 1,
          "the reminder's delay is measured");
      assertEquals(1.0, values.get("taskbus_relay_leader"), "the only relay holds shards");
      assertEquals(16.0, values.get("taskbus_relay_shards"), "the only relay holds all 16");
      assertEquals(1.0, values.get("taskbus_readiness_up"), "the last readiness answer was UP");
      assertTrue(
          values.getOrDefault("taskbus_readiness_changes_total", 0.0) >= 1,
          "becoming ready is a change");
      assertTrue(values.getOrDefault("taskbus_bridge_connections", 0.0) >= 1, "the tab is counted");

      // a gauge holds its object weakly: one that nothing else holds is gone after a collection,
      // and its gauge reads NaN, on which no alert fires
      System.gc();
      List<String> lost = new ArrayList<>();
      for (Sample s : samples()) {
        if (s.name.startsWith("taskbus_") && Double.isNaN(s.value)) {
          lost.add(s.name + s.labels);
        }
      }
      assertEquals(List.of(), lost, "taskbus meters that read NaN after a garbage collection");
      return scrape();
    }
  }

  /** Each series name of {@code /metrics} with the label names it has on any of its samples. */
  private static Map<String, Set<String>> scrape() throws Exception {
    Map<String, Set<String>> names = new HashMap<>();
    for (Sample s : samples()) {
      names.computeIfAbsent(s.name, k -> new TreeSet<>()).addAll(s.labels);
    }
    return names;
  }

  /** Each series name's sum over its samples (one sample for meters without labels). */
  private static Map<String, Double> scrapeValues() throws Exception {
    Map<String, Double> values = new HashMap<>();
    for (Sample s : samples()) {
      values.merge(s.name, s.value, Double::sum);
    }
    return values;
  }

  private record Sample(String name, Set<String> labels, double value) {}

  /**
   * The text exposition format: {@code name{label="value",...} value}, one sample a line. The last
   * scrape is kept in {@code target/monitoring-scrape.txt}, to compare with when this test fails.
   */
  private static List<Sample> samples() throws Exception {
    HttpResponse<String> metrics = system.get("/metrics", null);
    assertEquals(200, metrics.statusCode());
    Files.writeString(Path.of("target/monitoring-scrape.txt"), metrics.body());
    List<Sample> samples = new ArrayList<>();
    for (String line : metrics.body().lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int i = 0;
      while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
        i++;
      }
      String name = line.substring(0, i);
      Set<String> labels = new TreeSet<>();
      if (i < line.length() && line.charAt(i) == '{') {
        i++;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          labels.add(line.substring(i, eq).trim());
          i = eq + 2; // past ="
          while (line.charAt(i) != '"') {
            i += line.charAt(i) == '\\' ? 2 : 1;
          }
          i++; // past the closing quote
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        i++; // past }
      }
      String rest = line.substring(i).trim();
      int space = rest.indexOf(' ');
      String value = space < 0 ? rest : rest.substring(0, space); // a timestamp may follow
      samples.add(new Sample(name, labels, Double.parseDouble(value)));
    }
    assertFalse(samples.isEmpty(), "an empty /metrics");
    return samples;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> alertRules() throws Exception {
    Map<String, Object> rule =
        new Yaml().load(Files.readString(MONITORING.resolve("taskbus-alerts.yaml")));
    assertEquals("PrometheusRule", rule.get("kind"));
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> group :
        (List<Map<String, Object>>) ((Map<String, Object>) rule.get("spec")).get("groups")) {
      rules.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return rules;
  }

  /** Every panel target's {@code expr} and every query variable's definition, at any depth. */
  private static void collectQueries(Object node, List<String> into) {
    if (node instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        Object value = o.getValue(key);
        if (("expr".equals(key) || "definition".equals(key)) && value instanceof String query) {
          into.add(query);
        } else {
          collectQueries(value, into);
        }
      }
    } else if (node instanceof JsonArray array) {
      for (Object item : array) {
        collectQueries(item, into);
      }
    }
  }
}
