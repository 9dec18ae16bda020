package io.taskbus.kafka;

import io.opentelemetry.api.trace.Span;
import io.taskbus.contracts.ConfigValues;
import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.Event;
import io.taskbus.contracts.Outage;
import io.taskbus.contracts.Topics;
import io.taskbus.contracts.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable delivery: each record is sent to the bus address and its offset is committed only once
 * the consumer there replied. A record that keeps failing is retried with backoff, then written to
 * the dead-letter topic with its error, and the stream goes on.
 *
 * <p>At most {@code maxInFlight} records are handed on at once; the rest wait here, and when {@code
 * maxWaiting} wait, the assigned partitions are paused in Kafka until half of them went on. The
 * stream itself is never paused: a paused Vert.x stream stops polling, and a member that does not
 * poll cannot rejoin its group, so one held-back member (its consumer process down, a backlog)
 * stalled every rebalance of the group for {@code max.poll.interval.ms}, and with it the members
 * that were starting or stopping. A pause or resume waits for the poll in progress (at most {@link
 * #POLL_TIMEOUT}); the waiting records keep the consumer busy meanwhile.
 */
final class AckSubscription implements Subscription {

  private static final Logger log = LoggerFactory.getLogger(AckSubscription.class);

  private final Vertx vertx;
  private final String topic;
  private final String address;
  private final String group;
  private final KafkaConsumer<String, String> consumer;
  private final KafkaProducer<String, String> dlq;
  private final OffsetTracker offsets = new OffsetTracker();

  /** How long one poll may block: pausing and resuming partitions run between polls. */
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

  private final int maxInFlight;
  private final int maxWaiting;
  private final Redelivery redelivery;
  private final long replyTimeoutMs;
  private final long commitIntervalMs;

  /** Event types the consumer wants; empty: all. */
  private final Set<String> types;

  /** Received, wanted, not yet handed on. */
  private final ArrayDeque<KafkaConsumerRecord<String, String>> waiting = new ArrayDeque<>();

  private final Set<TopicPartition> assigned = new HashSet<>();
  private int inFlight;

  /** In flight, but waiting out a backoff because their consumer is away (see unavailable). */
  private volatile int parked;

  /** The last record that found its consumer away, to ask again in {@link #probe}. */
  private volatile KafkaConsumerRecord<String, String> lastAway;

  /** When a record first found its consumer away since the consumer last took one; 0: not away. */
  private volatile long awaySince;

  private boolean paused;
  private boolean commitScheduled;
  private volatile boolean stopping;
  private Promise<Void> drained;
  private SubscriptionMetrics metrics;
  private final SubscriptionHealth health;

  /** Its records wait while their consumer is away: said twice per outage, not per record. */
  private final Outage consumerAway;

  AckSubscription(
      Vertx vertx, KafkaSettings settings, JsonObject config, KafkaProducer<String, String> dlq) {
    this.vertx = vertx;
    this.topic = config.getString("topic");
    this.address = config.getString("address");
    this.group = config.getString("group");
    this.consumerAway =
        new Outage(log, "the consumer of " + address, "records waited 10 tries or more for it");
    this.dlq = dlq;
    this.maxInFlight = ConfigValues.integer(config, "maxInFlight");
    this.maxWaiting = ConfigValues.integer(config, "maxWaiting");
    this.redelivery =
        new Redelivery(
            ConfigValues.integer(config, "maxAttempts"),
            ConfigValues.longValue(config, "backoffMs"));
    this.replyTimeoutMs = ConfigValues.longValue(config, "replyTimeoutMs");
    this.commitIntervalMs = ConfigValues.longValue(config, "commitIntervalMs");
    this.health =
        new SubscriptionHealth(
            group,
            topic,
            "ack",
            ConfigValues.longValue(config, "stallAfterMs"),
            System::currentTimeMillis);
    this.types = new HashSet<>();
    ConfigValues.list(config, "types").forEach(type -> types.add(String.valueOf(type)));
    this.consumer =
        KafkaConsumer.create(vertx, settings.consumer(config, true), String.class, String.class)
            .pollTimeout(POLL_TIMEOUT);
  }

  @Override
  public Future<Void> start() {
    consumer.handler(this::onRecord);
    consumer.exceptionHandler(
        e -> {
          // closing races the client's own poll loop, which then complains: nothing is lost by it
          if (stopping) {
            log.debug("subscription {} to {} while stopping: {}", group, topic, e.getMessage());
          } else {
            log.warn("subscription {} to {}: {}", group, topic, e.getMessage());
          }
        });
    consumer.partitionsAssignedHandler(
        added -> {
          assigned.addAll(added);
          if (paused || stopping) {
            pausePartitions(added);
          }
        });
    consumer.partitionsRevokedHandler(
        revoked -> {
          commit();
          revoked.forEach(offsets::forget);
          assigned.removeAll(revoked);
          // their next owner reads them from the last commit
          waiting.removeIf(r -> revoked.contains(new TopicPartition(r.topic(), r.partition())));
        });
    metrics = new SubscriptionMetrics(vertx, consumer, group, topic, () -> parked, health);
    return consumer.subscribe(topic);
  }

  private void onRecord(KafkaConsumerRecord<String, String> record) {
    if (stopping) {
      return; // neither handed on nor committed: read again after the restart
    }
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    offsets.received(tp, record.offset());
    if (unwanted(record)) {
      offsets.done(tp, record.offset());
      scheduleCommit();
      return;
    }
    waiting.add(record);
    handOn();
    if (!paused && waiting.size() >= maxWaiting) {
      paused = true;
      pausePartitions(assigned);
    }
  }

  private void handOn() {
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      inFlight++;
      deliver(waiting.poll(), 1, 0);
    }
  }

  private void pausePartitions(Set<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      // a partition revoked meanwhile makes Kafka refuse the call: its new owner decides
      consumer
          .pause(Set.copyOf(partitions))
          .onFailure(e -> log.debug("pausing {} failed: {}", group, e.getMessage()));
    }
  }

  /** A record whose type header names a type the consumer does not take (none: deliver it). */
  private boolean unwanted(KafkaConsumerRecord<String, String> record) {
    String type = Envelopes.type(record);
    return !types.isEmpty() && type != null && !types.contains(type);
  }

  /**
   * {@code attempt}: failures that count towards the dead-letter topic; {@code waits}: times the
   * record found its consumer away or unable to take it, which never make it dead.
   */
  private void deliver(KafkaConsumerRecord<String, String> record, int attempt, int waits) {
    Span span = Subscription.span(group, record);
    Tracing.within(
            vertx,
            span,
            () ->
                vertx
                    .eventBus()
                    .request(
                        Subscription.address(address, record.key()),
                        body(record),
                        new DeliveryOptions().setSendTimeout(replyTimeoutMs)))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                consumerAway.succeeded();
                awaySince = 0;
                done(record);
                return;
              }
              Redelivery.Next next = redelivery.afterFailure(ar.cause(), attempt, waits);
              if (next instanceof Redelivery.Wait wait) {
                if (wait.waits() == 10) {
                  consumerAway.failed(ar.cause());
                }
                parked++;
                lastAway = record;
                if (awaySince == 0) {
                  awaySince = System.currentTimeMillis();
                }
                vertx.setTimer(
                    wait.pauseMs(),
                    id -> {
                      // when stopping it stays parked, uncommitted: read again later
                      if (!stopping) {
                        parked--;
                        deliver(record, attempt, wait.waits());
                      }
                    });
                checkDrained();
              } else if (next instanceof Redelivery.Retry retry) {
                log.debug(
                    "event {} to {} failed (attempt {}): {}",
                    record.offset(),
                    address,
                    attempt,
                    ar.cause().getMessage());
                vertx.setTimer(retry.pauseMs(), id -> deliver(record, retry.attempt(), waits));
              } else {
                deadLetter(
                    record, ar.cause().getMessage(), ((Redelivery.DeadLetter) next).attempts());
              }
            });
  }

  /**
   * The record as its consumer takes it: the event, read once here and handed on without a copy
   * ({@link io.taskbus.contracts.EventCodec}). A record that is no envelope goes as its text, for
   * the consumer to refuse with its reason: retried, then dead-lettered like any it refuses.
   */
  private static Object body(KafkaConsumerRecord<String, String> record) {
    try {
      return Event.of(record.value());
    } catch (IllegalArgumentException e) {
      return String.valueOf(record.value());
    }
  }

  private void deadLetter(KafkaConsumerRecord<String, String> record, String error, int attempts) {
    log.warn(
        "event at {}-{}@{} goes to {} after {} attempts: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        Topics.TASK_EVENTS_DLQ,
        attempts,
        error);
    KafkaProducerRecord<String, String> dead =
        KafkaProducerRecord.create(Topics.TASK_EVENTS_DLQ, record.key(), record.value())
            .addHeader("taskbus.error", String.valueOf(error))
            .addHeader("taskbus.subscription", group)
            .addHeader(
                "taskbus.source", record.topic() + "-" + record.partition() + "@" + record.offset())
            .addHeader("taskbus.attempts", Integer.toString(attempts));
    // the record's own headers too (content-type, ce_type): a CloudEvents SDK reads the dead
    // letter as it read the record
    record.headers().forEach(header -> dead.addHeader(header.key(), header.value()));
    dlq.send(dead)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                metrics.deadLettered();
                done(record);
              } else {
                // not acknowledged anywhere yet: keep it uncommitted and try the dead letter again
                vertx.setTimer(1_000, id -> deadLetter(record, error, attempts));
              }
            });
  }

  private void done(KafkaConsumerRecord<String, String> record) {
    offsets.done(new TopicPartition(record.topic(), record.partition()), record.offset());
    inFlight--;
    if (!stopping) {
      handOn();
      if (paused && waiting.size() <= maxWaiting / 2) {
        paused = false;
        if (!assigned.isEmpty()) {
          consumer
              .resume(Set.copyOf(assigned))
              .onFailure(e -> log.debug("resuming {} failed: {}", group, e.getMessage()));
        }
      }
    }
    scheduleCommit();
    checkDrained();
  }

  /** Stopping waits for the records being handled, not for those whose consumer is away. */
  private void checkDrained() {
    if (drained != null && inFlight == parked) {
      drained.tryComplete();
    }
  }

  private void scheduleCommit() {
    if (!commitScheduled) {
      commitScheduled = true;
      vertx.setTimer(
          commitIntervalMs,
          id -> {
            commitScheduled = false;
            commit();
          });
    }
  }

  private Future<Void> commit() {
    var ready = offsets.committable();
    if (ready.isEmpty()) {
      return Future.succeededFuture();
    }
    // what is done moved the offsets on: progress, even should this commit fail (it is offered
    // again)
    ready.keySet().forEach(health::progressed);
    return consumer
        .commit(ready)
        .<Void>mapEmpty()
        .onFailure(
            e -> {
              offsets.uncommit(ready);
              log.debug("commit for {} failed: {}", group, e.getMessage());
            });
  }

  /**
   * Stops taking records, waits briefly for those in flight, commits, then leaves the group. The
   * consumer goes on polling (its partitions paused) meanwhile, so a rebalance does not wait for
   * it.
   */
  @Override
  public Future<Void> stop() {
    stopping = true;
    if (metrics != null) {
      metrics.stop();
    }
    waiting.clear();
    pausePartitions(assigned);
    drained = Promise.promise();
    checkDrained();
    return drained
        .future()
        .timeout(5, TimeUnit.SECONDS)
        .recover(e -> Future.succeededFuture())
        .compose(v -> commit().recover(e -> Future.succeededFuture()))
        .compose(v -> consumer.close());
  }

  /** How long its records have found their consumer away without one taken; 0: not away. */
  long awayForMs(long now) {
    long since = awaySince;
    return since == 0 ? 0 : now - since;
  }

  /**
   * Offers the last record that found its consumer away once more (every consumer takes a record
   * once, by its event id), also after this subscription stopped: succeeds once a consumer answers
   * it other than "away", which says it is back.
   */
  Future<Void> probe() {
    KafkaConsumerRecord<String, String> record = lastAway;
    if (record == null) {
      return Future.succeededFuture();
    }
    return vertx
        .eventBus()
        .request(
            Subscription.address(address, record.key()),
            body(record),
            new DeliveryOptions().setSendTimeout(replyTimeoutMs))
        .<Void>mapEmpty()
        .recover(
            e ->
                e instanceof ReplyException reply
                        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                        && reply.failureCode() != Envelope.UNAVAILABLE
                    ? Future.succeededFuture()
                    : Future.failedFuture(e));
  }

  @Override
  public SubscriptionHealth health() {
    return health;
  }

  @Override
  public int parked() {
    return parked;
  }

  @Override
  public String toString() {
    return group + " on " + topic;
  }
}
