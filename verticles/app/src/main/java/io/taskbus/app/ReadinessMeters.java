package io.taskbus.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.healthchecks.CheckResult;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code /health/ready} last answered, as meters: {@code taskbus.readiness.up} (1 ready, 0
 * not, 0 before the first probe) and {@code taskbus.readiness.changes}, counted at every flip
 * (becoming ready the first time is one), so an alert sees a pod flapping between two scrapes too.
 */
final class ReadinessMeters {

  private final AtomicInteger up = new AtomicInteger();
  private final Counter changes;

  ReadinessMeters(MeterRegistry registry) {
    Gauge.builder("taskbus.readiness.up", up, AtomicInteger::get)
        .description("1 when this process's last /health/ready answer was UP, else 0")
        .register(registry);
    changes =
        Counter.builder("taskbus.readiness.changes")
            .description("Times this process's /health/ready answer changed between UP and DOWN")
            .register(registry);
  }

  /** A {@code resultMapper} of the readiness handler: notes the answer, changes nothing. */
  Future<CheckResult> record(CheckResult result) {
    int now = CheckResult.isUp(result) ? 1 : 0;
    if (up.getAndSet(now) != now) {
      changes.increment();
    }
    return Future.succeededFuture(result);
  }
}
