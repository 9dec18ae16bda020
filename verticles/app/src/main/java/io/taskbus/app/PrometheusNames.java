package io.taskbus.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Set;

/**
 * Keeps {@code /metrics} clean by Prometheus's own naming rules ({@code promtool check metrics}),
 * which three of Micrometer's JVM meters break: JIT compilation time in milliseconds and process
 * CPU time in nanoseconds carry an abbreviated unit in their names (Prometheus wants seconds;
 * {@code process_cpu_usage} and the GC pause timers say the same in base units), and a gauge named
 * {@code system_cpu_count} reads as a histogram's count series.
 */
final class PrometheusNames {

  private static final Set<String> NOT_IN_BASE_UNITS =
      Set.of("jvm.compilation.time", "process.cpu.time");

  static final MeterFilter DENY_NON_BASE_UNITS =
      MeterFilter.deny(id -> NOT_IN_BASE_UNITS.contains(id.getName()));

  static final MeterFilter RENAME =
      new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
          return "system.cpu.count".equals(id.getName()) ? id.withName("system.cpu.available") : id;
        }
      };

  private PrometheusNames() {}
}
