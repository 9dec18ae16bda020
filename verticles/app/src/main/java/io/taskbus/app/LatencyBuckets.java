package io.taskbus.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Histogram buckets for the latencies an operator asks percentiles of (HTTP responses by route, the
 * relay's commit-to-Kafka delay, the reminders' fire delay), so Prometheus's {@code
 * histogram_quantile} works across pods: a fixed, short set of bounds, not Micrometer's seventy,
 * because HTTP latency is kept per route, method and status.
 */
final class LatencyBuckets {

  private static final Set<String> TIMERS =
      Set.of("vertx.http.server.response.time", "taskbus.relay.lag", "taskbus.reminder.fire.delay");

  /** 5 ms to 60 s, in the nanoseconds Micrometer's timers count in. */
  private static final DistributionStatisticConfig BUCKETS =
      DistributionStatisticConfig.builder()
          .serviceLevelObjectives(
              LongStream.of(
                      5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000)
                  .mapToDouble(millis -> millis * 1_000_000.0)
                  .toArray())
          .build();

  static final MeterFilter FILTER =
      new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          return TIMERS.contains(id.getName()) ? BUCKETS.merge(config) : config;
        }
      };

  private LatencyBuckets() {}
}
