package io.taskbus.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.taskbus.contracts.DeadPeers;
import io.taskbus.contracts.Outage;
import io.taskbus.contracts.OutboxEvent;
import io.taskbus.contracts.Topics;
import io.taskbus.contracts.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves committed outbox rows to Kafka in id order, then deletes them. One relay in the whole
 * system is the leader, holding a session advisory lock on its own connection: per-user order needs
 * a single writer, and the lock frees itself when the leader's connection or process dies, so a
 * standby takes over within one retry interval.
 */
final class OutboxRelay {

  enum State {
    STOPPED,
    CONNECTING,
    STANDBY,
    LEADER
  }

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** "taskbus" as a number: the advisory lock every relay competes for. */
  private static final long LOCK_KEY = 0x7461736b627573L;

  private static final String CHANNEL = "taskbus_outbox";
  private static final String SELECT_BATCH =
      "SELECT id, user_id, seq, type, subject, time,"
          + " request_id, traceparent, data::text AS data FROM outbox ORDER BY id LIMIT $1";
  private static final String DELETE_SENT = "DELETE FROM outbox WHERE id = ANY($1)";

  /**
   * A batch at least this big means rows come faster than batches go: the relay stops listening and
   * reads batch after batch until one is empty. Every notifying commit otherwise wakes the relay's
   * backend and sends the relay a message, about a tenth of PostgreSQL's CPU per create at full
   * load (perf/README.md, create), only to say what the next SELECT finds anyway.
   */
  private static final int BUSY_BATCH = 8;

  /**
   * A batch Kafka has not acknowledged for this long means the broker is away: the outage is logged
   * (once) and readiness reports it. The batch itself waits on: its records do not expire.
   */
  static final long STALLED_MS = 10_000;

  private final Vertx vertx;
  private final PgConnectOptions connectOptions;
  private final KafkaProducer<String, String> producer;
  private final int batchSize;
  private final long pollMs;
  private final long standbyRetryMs;
  private final AtomicLong backlog = new AtomicLong();
  private final Timer lag;
  private final Counter busy;

  private volatile State state = State.STOPPED;
  private PgConnection conn;
  private boolean stopping;
  private boolean draining;
  private boolean wakeAgain;
  private boolean listening;
  private volatile long lastFailureAt;

  /** The batch out (waiting for Kafka) and the last one Kafka acknowledged. */
  private final ProgressWatch sending = new ProgressWatch(STALLED_MS, System::currentTimeMillis);

  private final Outage kafka = new Outage(log, "Kafka", "outbox rows of the waiting batch");
  private volatile int batchRows;
  private final Outage postgres =
      new Outage(log, "PostgreSQL (outbox relay)", "connection attempts failed");
  private long timer = -1;
  private Promise<Void> idle;

  OutboxRelay(
      Vertx vertx,
      PgConnectOptions connectOptions,
      KafkaProducer<String, String> producer,
      RelaySettings settings) {
    this.vertx = vertx;
    this.connectOptions = connectOptions;
    this.producer = producer;
    this.batchSize = settings.batchSize();
    this.pollMs = settings.pollIntervalMs();
    this.standbyRetryMs = settings.standbyRetryMs();
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      Gauge.builder("taskbus.outbox.backlog", backlog, AtomicLong::get)
          .description("Outbox rows not yet published to Kafka (measured by the leader)")
          .register(registry);
      Gauge.builder("taskbus.relay.leader", () -> state == State.LEADER ? 1 : 0)
          .description("1 while this process's outbox relay holds the leader's lock, else 0")
          .register(registry);
      lag =
          Timer.builder("taskbus.relay.lag")
              .description("Time from commit of an outbox row to its acknowledgement by Kafka")
              .publishPercentiles(0.5, 0.99)
              .register(registry);
      busy =
          Counter.builder("taskbus.relay.busy")
              .description(
                  "Times the relay stopped listening and read batch after batch under load")
              .register(registry);
    } else {
      lag = null;
      busy = null;
    }
  }

  State state() {
    return state;
  }

  /**
   * Healthy unless the last batch failed within the last ten seconds or the one out now has waited
   * {@link #STALLED_MS} for Kafka.
   */
  boolean healthy() {
    return state != State.STOPPED
        && System.currentTimeMillis() - lastFailureAt > 10_000
        && !sending.stalled();
  }

  /**
   * For {@code /health}: its state, when Kafka last acknowledged a batch of it, the outbox rows not
   * yet sent (as the leader last counted them), and how long the batch out has waited.
   */
  JsonObject detail() {
    JsonObject detail =
        new JsonObject()
            .put("state", state.name().toLowerCase(java.util.Locale.ROOT))
            .put("lastSendAt", ProgressWatch.time(sending.lastProgressAt()))
            .put("lastFailureAt", ProgressWatch.time(lastFailureAt))
            .put("waitingForKafkaMs", sending.waitedMs());
    if (state == State.LEADER) {
      detail.put("backlog", backlog.get());
    }
    return detail;
  }

  Future<Void> start() {
    connect();
    return Future.succeededFuture();
  }

  private void connect() {
    if (stopping) {
      return;
    }
    state = State.CONNECTING;
    PgConnection.connect(vertx, connectOptions)
        .compose(
            c -> {
              conn = c;
              DeadPeers.detect(c, connectOptions);
              postgres.succeeded();
              c.closeHandler(v -> onConnectionLost());
              c.notificationHandler(n -> wake());
              return tryLead();
            })
        .onFailure(
            e -> {
              postgres.failed(e);
              retryLater(this::connect);
            });
  }

  private Future<Void> tryLead() {
    return conn.preparedQuery("SELECT pg_try_advisory_lock($1) AS locked")
        .execute(Tuple.of(LOCK_KEY))
        .compose(
            rows -> {
              if (!rows.iterator().next().getBoolean("locked")) {
                state = State.STANDBY;
                retryLater(
                    () -> tryLead().onFailure(e -> log.warn("relay lock attempt failed", e)));
                return Future.succeededFuture();
              }
              return conn.query("LISTEN " + CHANNEL)
                  .execute()
                  .map(
                      v -> {
                        listening = true;
                        state = State.LEADER;
                        log.info("outbox relay is the leader");
                        timer =
                            vertx.setPeriodic(
                                pollMs,
                                id -> {
                                  if (sending.stalled() && !kafka.ongoing()) {
                                    kafka.failed(
                                        new java.util.concurrent.TimeoutException(
                                            "no acknowledgement for "
                                                + STALLED_MS / 1000
                                                + " s; the relay's batch waits for it"),
                                        batchRows);
                                  }
                                  wake();
                                });
                        wake();
                        return null;
                      });
            });
  }

  private void onConnectionLost() {
    cancelTimer();
    if (!stopping) {
      log.warn("outbox relay lost its connection (state {}); reconnecting", state);
      draining = false;
      retryLater(this::connect);
    }
    state = State.STOPPED;
  }

  private void retryLater(Runnable action) {
    if (!stopping) {
      vertx.setTimer(standbyRetryMs, id -> action.run());
    }
  }

  /** Starts a drain, or asks the running one to look again when it ends. */
  private void wake() {
    if (state != State.LEADER) {
      return;
    }
    if (draining) {
      wakeAgain = true;
      return;
    }
    draining = true;
    wakeAgain = false;
    drainBatch();
  }

  private void drainBatch() {
    conn.preparedQuery(SELECT_BATCH)
        .execute(Tuple.of(batchSize))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(0);
              }
              List<Long> ids = new ArrayList<>(rows.size());
              List<Future<?>> acks = new ArrayList<>(rows.size());
              sending.waiting(true);
              batchRows = rows.size();
              for (Row row : rows) {
                ids.add(row.getLong("id"));
                long committedAt = row.getOffsetDateTime("time").toInstant().toEpochMilli();
                Span span = sendSpan(row);
                acks.add(
                    producer
                        .send(record(Topics.TASK_EVENTS, row, span))
                        .onComplete(ar -> Tracing.end(span, ar.cause()))
                        .onSuccess(meta -> recordLag(committedAt)));
              }
              // Every send settles before the batch does (join, not all): a failed record's batch
              // is sent again only when nothing of it is still in the producer, where the copy
              // sent again would queue behind records that came after the failed one.
              // The DELETE is not awaited: the next SELECT follows it on the same connection, so
              // it cannot see these rows; should the DELETE fail they are sent again (consumers
              // dedupe)
              return Future.join(acks)
                  .map(
                      v -> {
                        conn.preparedQuery(DELETE_SENT)
                            .execute(Tuple.of(ids.toArray(new Long[0])))
                            .onFailure(
                                e ->
                                    log.warn(
                                        "outbox rows sent but not deleted: {}", e.getMessage()));
                        return rows.size();
                      });
            })
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result() > 0) {
                sending.progressed();
              }
              sending.waiting(false);
              if (ar.failed()) {
                lastFailureAt = System.currentTimeMillis();
                log.warn("outbox relay batch failed, will retry: {}", ar.cause().getMessage());
                finishDrain();
                // the rows stay in the outbox; a later batch sends them again (consumers dedupe by
                // id)
                return;
              }
              kafka.succeeded();
              int sent = ar.result();
              if (sent >= BUSY_BATCH && listening && !stopping) {
                listening = false;
                if (busy != null) {
                  busy.increment();
                }
                conn.query("UNLISTEN " + CHANNEL)
                    .execute()
                    .onFailure(e -> log.debug("UNLISTEN failed: {}", e.getMessage()));
              }
              // stopping, it drains until a batch finds nothing: what the last requests committed
              // while the previous batch was out is published too, not left to the next relay
              if (sent == batchSize
                  || (stopping && sent > 0)
                  || (!stopping && (wakeAgain || (sent > 0 && !listening)))) {
                wakeAgain = false;
                drainBatch();
              } else if (!listening && !stopping) {
                // the rows stopped coming: listen again, then look once more for a row committed
                // before
                conn.query("LISTEN " + CHANNEL)
                    .execute()
                    .onComplete(
                        listened -> {
                          if (listened.succeeded()) {
                            listening = true;
                            drainBatch();
                          } else {
                            log.warn(
                                "outbox relay cannot LISTEN again: {}",
                                listened.cause().getMessage());
                            finishDrain(); // the periodic poll goes on, and the next batch tries
                            // again
                          }
                        });
              } else {
                finishDrain();
                if (sent == 0) {
                  measureBacklog();
                }
              }
            });
  }

  private void finishDrain() {
    draining = false;
    if (idle != null) {
      idle.tryComplete();
    }
  }

  private void recordLag(long committedAt) {
    if (lag != null) {
      lag.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - committedAt)));
    }
  }

  private void measureBacklog() {
    if (conn != null && state == State.LEADER) {
      conn.query("SELECT count(*) AS n FROM outbox")
          .execute()
          .onSuccess(rows -> backlog.set(rows.iterator().next().getLong("n")));
    }
  }

  static final String TYPE_HEADER = "ce_type";
  static final String CONTENT_TYPE_HEADER = "content-type";
  static final String STRUCTURED_JSON = "application/cloudevents+json; charset=UTF-8";

  /** The send as a child of the change's trace, when the row carries one; else invalid. */
  private static Span sendSpan(Row row) {
    String parent = row.getString("traceparent");
    if (parent == null) {
      return Span.getInvalid();
    }
    return Tracing.start("send " + Topics.TASK_EVENTS, SpanKind.PRODUCER, parent)
        .setAttribute("messaging.system", "kafka")
        .setAttribute("messaging.destination.name", Topics.TASK_EVENTS)
        .setAttribute("taskbus.outbox.id", row.getLong("id"));
  }

  /**
   * The record of an event row (columns id, user_id, seq, type, subject, time, request_id, data)
   * for a topic: task-events for the relay, another for {@link AuditReplay}.
   */
  static KafkaProducerRecord<String, String> record(String topic, Row row, Span span) {
    // structured mode of the CloudEvents Kafka protocol binding: the value is the whole event in
    // JSON, and content-type says so, which is how a CloudEvents SDK tells it from binary mode.
    // The type also as a header (the binding's name for it), so a consumer that wants a few types
    // skips the rest without parsing them
    KafkaProducerRecord<String, String> record =
        KafkaProducerRecord.create(topic, row.getString("user_id"), OutboxEvent.json(row))
            .addHeader(CONTENT_TYPE_HEADER, STRUCTURED_JSON)
            .addHeader(TYPE_HEADER, row.getString("type"));
    String traceparent = Tracing.traceparent(span);
    if (!traceparent.isEmpty()) {
      record.addHeader(Tracing.TRACEPARENT, traceparent);
    }
    return record;
  }

  /** Publishes what is already committed (bounded by a few seconds), then lets the lock go. */
  Future<Void> stop() {
    stopping = true;
    cancelTimer();
    Future<Void> finished;
    if (state == State.LEADER) {
      idle = Promise.promise();
      if (!draining) {
        draining = true;
        drainBatch();
      }
      finished = idle.future();
    } else {
      finished = Future.succeededFuture();
    }
    return finished
        .timeout(5, java.util.concurrent.TimeUnit.SECONDS)
        .recover(e -> Future.succeededFuture())
        .compose(v -> conn == null ? Future.succeededFuture() : conn.close())
        .onComplete(ar -> state = State.STOPPED);
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
