package io.taskbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The alerts of {@code k8s/monitoring/taskbus-alerts.yaml} (a PrometheusRule) as Prometheus itself
 * reads them: its {@code spec.groups} become a plain rule file, which {@code promtool check rules}
 * must accept and {@code promtool test rules} must run through {@code
 * k8s/monitoring/tests/taskbus-alerts-test.yaml}, whose synthetic series make each alert fire, and
 * stay quiet, where it should. That every alert has such cases, a severity, its annotations and a
 * runbook in {@code k8s/README.md} is checked here too. Without promtool (Debian's prometheus
 * package; .ci/run installs it) the promtool tests are skipped with a loud message.
 */
class AlertRulesTest {

  private static final Path MONITORING = Manifests.K8S.resolve("monitoring");
  private static final Path RULES = MONITORING.resolve("taskbus-alerts.yaml");
  private static final Path TESTS = MONITORING.resolve("tests/taskbus-alerts-test.yaml");

  /** Where the runbooks are: the sections of k8s/README.md, by their GitHub anchors. */
  private static final String RUNBOOKS =
      "https://github.com/taskbus/taskbus/blob/main/k8s/README.md#";

  /** What the test file's {@code rule_files} names: the PrometheusRule's spec, written here. */
  private static final String RULE_FILE = "taskbus-alerts-rules.yaml";

  private static final Set<String> SEVERITIES = Set.of("warning", "critical");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$");

  @BeforeAll
  static void needsPromtool() {
    if (promtool().isEmpty()) {
      System.err.println(
          "\n*** promtool is not on PATH: the alert rules are NOT checked or unit-tested"
              + " (apt-get install prometheus) ***\n");
    }
  }

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
    Optional<Path> promtool = promtool();
    Assumptions.assumeTrue(
        promtool.isPresent(), "SKIPPED: promtool is not on PATH, so the alerts were not tested");
    Path dir = Path.of("target", "promtool").toAbsolutePath();
    Files.createDirectories(dir);
    DumperOptions block = new DumperOptions();
    block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    Files.writeString(dir.resolve(RULE_FILE), new Yaml(block).dump(spec()));
    Files.copy(
        TESTS, dir.resolve(TESTS.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    run(dir, promtool.get().toString(), "check", "rules", RULE_FILE);
    run(dir, promtool.get().toString(), "test", "rules", TESTS.getFileName().toString());
  }

  @Test
  void everyAlertIsLabelledAnnotatedAndHasARunbook() throws Exception {
    String readme = Files.readString(Manifests.K8S.resolve("README.md"));
    Set<String> anchors = new TreeSet<>();
    Matcher heading = HEADING.matcher(readme);
    while (heading.find()) {
      anchors.add(anchor(heading.group(1)));
    }
    Map<String, Map<String, Object>> alerts = alerts();
    assertTrue(alerts.size() >= 11, "the alerts: " + alerts.keySet());
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : alerts.entrySet()) {
      String name = e.getKey();
      Map<String, Object> rule = e.getValue();
      if (!(rule.get("for") instanceof String)) {
        problems.add(name + " has no for:");
      }
      Map<String, Object> labels = map(rule.get("labels"));
      if (!SEVERITIES.contains(String.valueOf(labels.get("severity")))) {
        problems.add(
            name + " has severity " + labels.get("severity") + ", not one of " + SEVERITIES);
      }
      Map<String, Object> annotations = map(rule.get("annotations"));
      for (String key : List.of("summary", "description", "runbook_url")) {
        if (!(annotations.get(key) instanceof String)) {
          problems.add(name + " has no " + key);
        }
      }
      String runbook = String.valueOf(annotations.get("runbook_url"));
      String expected = RUNBOOKS + name.toLowerCase(Locale.ROOT);
      if (!runbook.equals(expected)) {
        problems.add(name + "'s runbook_url is " + runbook + ", not " + expected);
      } else if (!anchors.contains(runbook.substring(RUNBOOKS.length()))) {
        problems.add(name + "'s runbook has no section \"" + name + "\" in k8s/README.md");
      }
    }
    assertEquals(List.of(), problems);
  }

  /** The unit tests cover every alert both ways: a case where it fires, one where it must not. */
  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasAFiringAndAQuietCase() throws Exception {
    Map<String, Object> file = new Yaml().load(Files.readString(TESTS));
    assertEquals(List.of(RULE_FILE), file.get("rule_files"));
    Set<String> fires = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    for (Map<String, Object> test : (List<Map<String, Object>>) file.get("tests")) {
      for (Map<String, Object> check :
          (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
        List<?> expected = (List<?>) check.get("exp_alerts");
        (expected == null || expected.isEmpty() ? quiet : fires)
            .add((String) check.get("alertname"));
      }
    }
    Set<String> alerts = alerts().keySet();
    assertEquals(new TreeSet<>(alerts), fires, "alerts with a case where they fire");
    assertEquals(new TreeSet<>(alerts), quiet, "alerts with a case where they must not fire");
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
    System.out.println(String.join(" ", command) + " (in " + dir + "):\n" + out);
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec() throws Exception {
    Map<String, Object> rule = new Yaml().load(Files.readString(RULES));
    assertEquals("monitoring.coreos.com/v1", rule.get("apiVersion"));
    assertEquals("PrometheusRule", rule.get("kind"));
    return (Map<String, Object>) rule.get("spec");
  }

  /** The alerting rules by name, in file order. */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> alerts() throws Exception {
    Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) spec().get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        if (rule.containsKey("alert")) {
          alerts.put((String) rule.get("alert"), rule);
        }
      }
    }
    return alerts;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
  static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  /** promtool on PATH, or empty (then the promtool test is skipped, loudly). */
  static Optional<Path> promtool() {
    return Manifests.onPath("promtool");
  }
}
