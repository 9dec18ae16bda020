package io.taskbus.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Set;

/**
 * Histogram buckets for the latencies an operator asks percentiles of (HTTP responses by route, the
 * relay's commit-to-Kafka delay, the reminders' fire delay), so Prometheus's {@code
 * histogram_quantile} works across pods: a fixed, short set of bounds, not Micrometer's seventy,
 * because HTTP latency is kept per route, method and status.
 */
final class LatencyBuckets {

  private static final Set<String> TIMERS =
      Set.of("vertx.http.server.response.time", "taskbus.relay.lag", "taskbus.reminder.fire.delay");

  private static final double[] BOUNDS_SECONDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  static final MeterFilter FILTER =
      new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          if (!TIMERS.contains(id.getName())) {
            return config;
          }
          double[] nanos = new double[BOUNDS_SECONDS.length];
          for (int i = 0; i < nanos.length; i++) {
            nanos[i] = Duration.ofMillis((long) (BOUNDS_SECONDS[i] * 1000)).toNanos();
          }
          return DistributionStatisticConfig.builder()
              .serviceLevelObjectives(nanos)
              .build()
              .merge(config);
        }
      };

  private LatencyBuckets() {}
}
