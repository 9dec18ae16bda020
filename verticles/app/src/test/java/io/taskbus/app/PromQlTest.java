package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void metricsAreWhatIsNeitherAFunctionNorAKeyword() {
    PromQl.References refs =
        PromQl.of(
            "sum by (namespace, group) (rate(requests_total{code=~\"5..\", route!=\"/x\"}[5m]))"
                + " / on (pod) group_left (role) other_gauge > 1 / 60"
                + " and delta(later_gauge[10m] offset 1h) > 1e3 or absent(absent_one) unless"
                + " vector(0)");
    assertEquals(
        Set.of("requests_total", "other_gauge", "later_gauge", "absent_one"), refs.metrics());
    assertEquals(Map.of("requests_total", Set.of("code", "route")), refs.selectorLabels());
    assertEquals(Set.of("namespace", "group", "pod", "role"), refs.groupingLabels());
  }

  @Test
  void grafanaVariablesAndLabelValuesAreNoNames() {
    PromQl.References refs =
        PromQl.of(
            "histogram_quantile(0.99, sum by (le) (rate(lag_seconds_bucket"
                + "{namespace=\"$namespace\",area=\"heap\"}[$__rate_interval])))");
    assertEquals(Set.of("lag_seconds_bucket"), refs.metrics());
    assertEquals(Map.of("lag_seconds_bucket", Set.of("namespace", "area")), refs.selectorLabels());
    assertEquals(Set.of("le"), refs.groupingLabels());
  }

  /** A misspelling is a name like any other, never taken for a function or dropped. */
  @Test
  void aMisspelledMetricIsReportedAsWritten() {
    assertEquals(
        Set.of("taskbus_outbox_backlgo"),
        PromQl.of("max by (namespace) (taskbus_outbox_backlgo) > 100").metrics());
    assertEquals(
        Set.of("taskbus_relay_lag_seconds"),
        PromQl.of("max(taskbus_relay_lag_seconds{quantile=\"0.99\"})").metrics());
  }
}
