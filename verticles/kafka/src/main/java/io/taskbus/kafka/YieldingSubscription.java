package io.taskbus.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ack subscription that gives its partitions to the rest of its group when its consumer stays
 * away. A process cut off from its database (a network partition) still reaches Kafka: without this
 * it would keep its share of the audit's, the notifications' and the next occurrences' partitions,
 * and their events would wait for the partition to heal. After {@code yieldAfterMs} with records
 * parked it leaves the group the way a graceful stop does (what was handled is committed, the
 * parked records are not, so their new owner takes them). It joins again as a new member once its
 * consumer answers the last record it could not take ({@link AckSubscription#probe}), asked once a
 * second. When the database is away for every process they all leave, and each comes back as soon
 * as it is.
 */
final class YieldingSubscription implements Subscription {

  private static final Logger log = LoggerFactory.getLogger(YieldingSubscription.class);
  private static final long CHECK_MS = 1_000;

  private final Vertx vertx;
  private final Supplier<AckSubscription> member;
  private final long yieldAfterMs;
  private AckSubscription current;
  private long timer = -1;
  private boolean away;
  private boolean stopped;

  YieldingSubscription(Vertx vertx, Supplier<AckSubscription> member, long yieldAfterMs) {
    this.vertx = vertx;
    this.member = member;
    this.yieldAfterMs = yieldAfterMs;
  }

  @Override
  public Future<Void> start() {
    current = member.get();
    timer = vertx.setPeriodic(CHECK_MS, id -> check());
    return current.start();
  }

  private void check() {
    if (stopped || away) {
      return;
    }
    long awayMs = current.awayForMs(System.currentTimeMillis());
    if (awayMs >= yieldAfterMs) {
      away = true;
      log.warn(
          "{}: its consumer has been away for {} s; its partitions go to the group's other"
              + " members until it is back",
          current,
          awayMs / 1000);
      current.stop().onComplete(ar -> probeLater());
    }
  }

  private void probeLater() {
    vertx.setTimer(
        CHECK_MS,
        id -> {
          if (!stopped) {
            current.probe().onSuccess(v -> rejoin()).onFailure(e -> probeLater());
          }
        });
  }

  private void rejoin() {
    if (stopped) {
      return;
    }
    log.info("{}: its consumer is back; joining the group again", current);
    current = member.get();
    current
        .start()
        .onComplete(
            ar -> {
              away = false;
              if (ar.failed()) {
                log.warn("{}: joining again failed: {}", current, ar.cause().getMessage());
              }
            });
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    // given up and not joined again: nothing of it is open
    return away ? Future.succeededFuture() : current.stop();
  }

  @Override
  public SubscriptionHealth health() {
    return current.health();
  }

  @Override
  public int parked() {
    return current.parked();
  }

  @Override
  public String toString() {
    return current.toString();
  }
}
