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
import io.vertx.core.json.JsonArray;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves committed outbox rows to Kafka in id order, then deletes them. The outbox is split into
 * shards by user ({@link RelayShards}); each shard is drained by the one relay that holds its
 * session advisory lock on its own connection, so a user's events have a single writer, and a lock
 * frees itself when its relay's connection or process dies. Relays share the shards: each takes at
 * most its fair share of them and gives shards back when another relay joins, each only after the
 * batch out is acknowledged and deleted.
 *
 * <p>A relay reads all the shards it holds with one query, batch after batch: as many reads per
 * commit as a single relay for the whole outbox makes, whatever the number of shards. A read per
 * shard cost a sixth of the creates' throughput and most of the event path's p99 (perf/README.md,
 * create). A commit's notification names its rows' shard, so a relay wakes only for its own.
 */
final class OutboxRelay {

  enum State {
    STOPPED,
    CONNECTING,
    /** Connected, holding no shard (another relay holds them, or one of another count does). */
    STANDBY,
    /** Holding at least one shard. */
    ACTIVE
  }

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /**
   * "taskbus" as a number: the lock of the single relay of earlier versions. Every relay holds it
   * shared, so one of those cannot lead while shards are drained, nor this one while it leads.
   */
  private static final long SINGLE_RELAY_KEY = 0x7461736b627573L;

  private static final String CHANNEL = "taskbus_outbox";
  private static final String DELETE_SENT = "DELETE FROM outbox WHERE id = ANY($1)";
  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock($1, $2) AS locked";
  private static final String UNLOCK = "SELECT pg_advisory_unlock($1, $2)";

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
  private final RelayShards shards;
  private final String selectBatch;
  private final AtomicLong backlog = new AtomicLong();
  private final Timer lag;
  private final Counter busy;

  private volatile State state = State.STOPPED;
  private PgConnection conn;

  /** Bumped when the connection goes: what its queries and batches answer later is stale. */
  private int generation;

  private boolean stopping;
  private boolean listening;
  private boolean balancing;
  private boolean singleRelayShared;
  private volatile int members;
  private volatile String waitingFor;
  private volatile long lastFailureAt;

  /** The shards this relay holds, by number; changed on its context, read by /health too. */
  private final ConcurrentSkipListMap<Integer, Shard> held = new ConcurrentSkipListMap<>();

  /** The batch out, waiting for Kafka. */
  private final ProgressWatch sending = new ProgressWatch(STALLED_MS, System::currentTimeMillis);

  private boolean draining;
  private boolean wakeAgain;

  /** A copy made on the relay's context, for the gauges and /health, which may run elsewhere. */
  private volatile List<Integer> heldSnapshot = List.of();

  private List<Integer> logged = List.of();

  /** When Kafka last acknowledged a batch; 0: never. */
  private volatile long lastSendAt;

  private final Outage kafka = new Outage(log, "Kafka", "outbox rows of the waiting batches");
  private volatile int batchRows;
  private final Outage postgres =
      new Outage(log, "PostgreSQL (outbox relay)", "connection attempts failed");
  private long pollTimer = -1;
  private long balanceTimer = -1;
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
    this.shards = new RelayShards(settings.shards());
    this.selectBatch =
        "SELECT id, user_id, seq, type, subject, time, request_id, traceparent, data::text AS data"
            + " FROM outbox WHERE "
            + shards.where()
            + " ORDER BY id LIMIT $2";
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      Gauge.builder("taskbus.outbox.backlog", backlog, AtomicLong::get)
          .description(
              "Outbox rows not yet published to Kafka (measured by a relay holding shards)")
          .register(registry);
      Gauge.builder("taskbus.relay.leader", () -> state == State.ACTIVE ? 1 : 0)
          .description("1 while this process's outbox relay holds at least one shard, else 0")
          .register(registry);
      Gauge.builder("taskbus.relay.shards", () -> heldSnapshot.size())
          .description("Outbox shards this process's relay holds (of relay.shards)")
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
   * Healthy unless the last batch failed within the last ten seconds or one out now has waited
   * {@link #STALLED_MS} for Kafka.
   */
  boolean healthy() {
    return state != State.STOPPED
        && System.currentTimeMillis() - lastFailureAt > 10_000
        && !sending.stalled();
  }

  /**
   * For {@code /health}: its state, the shards it holds (of how many, among how many relays), when
   * Kafka last acknowledged a batch of it, the outbox rows not yet sent (as a relay holding shards
   * last counted them), and how long the oldest batch out has waited.
   */
  JsonObject detail() {
    JsonObject detail =
        new JsonObject()
            .put("state", state.name().toLowerCase(Locale.ROOT))
            .put("shards", new JsonArray(heldSnapshot))
            .put("shardCount", shards.count())
            .put("relays", members)
            .put("lastSendAt", ProgressWatch.time(lastSendAt))
            .put("lastFailureAt", ProgressWatch.time(lastFailureAt))
            .put("waitingForKafkaMs", sending.waitedMs());
    if (state == State.ACTIVE) {
      detail.put("backlog", backlog.get());
    }
    if (waitingFor != null) {
      detail.put("waitingFor", waitingFor);
    }
    return detail;
  }

  private void heldChanged() {
    heldSnapshot = List.copyOf(held.keySet());
    if (state == State.ACTIVE || state == State.STANDBY) {
      state = held.isEmpty() ? State.STANDBY : State.ACTIVE;
    }
  }

  /** Once per change, not per shard taken or given back. */
  private void logHeld() {
    if (logged.equals(heldSnapshot)) {
      return;
    }
    logged = heldSnapshot;
    if (logged.isEmpty()) {
      log.info("outbox relay holds no shard ({} relays)", members);
    } else {
      log.info(
          "outbox relay holds shards {} ({} of {}, {} relays)",
          logged,
          logged.size(),
          shards.count(),
          members);
    }
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
              int connected = generation;
              c.closeHandler(v -> onConnectionLost(connected));
              c.notificationHandler(n -> notified(n.getPayload()));
              return c.query(
                      "SELECT pg_advisory_lock("
                          + shards.memberClass()
                          + ", pg_backend_pid()); LISTEN "
                          + CHANNEL)
                  .execute();
            })
        .onSuccess(
            v -> {
              listening = true;
              singleRelayShared = false;
              state = State.STANDBY;
              pollTimer = vertx.setPeriodic(pollMs, id -> poll());
              balanceTimer = vertx.setPeriodic(standbyRetryMs, id -> balance());
              balance();
            })
        .onFailure(
            e -> {
              postgres.failed(e);
              if (conn != null) {
                conn.close();
              } else {
                retryLater(this::connect);
              }
            });
  }

  private void poll() {
    if (sending.stalled() && !kafka.ongoing()) {
      kafka.failed(
          new TimeoutException(
              "no acknowledgement for " + STALLED_MS / 1000 + " s; the relay's batch waits for it"),
          batchRows);
    }
    wake();
  }

  /** A commit's rows are in the shard of the hash its notification carries; else in any. */
  private void notified(String payload) {
    Integer shard = shards.ofHash(payload);
    Shard mine = shard == null ? null : held.get(shard);
    if (shard == null || (mine != null && !mine.releasing)) {
      wake();
    }
  }

  private void onConnectionLost(int lost) {
    if (lost != generation) {
      return;
    }
    generation++;
    conn = null;
    cancelTimers();
    balancing = false;
    draining = false;
    sending.waiting(false);
    if (!held.isEmpty()) {
      held.clear();
      heldChanged();
    }
    if (!stopping) {
      log.warn("outbox relay lost its connection (state {}); reconnecting", state);
      retryLater(this::connect);
    }
    state = State.STOPPED;
    if (idle != null) {
      idle.tryComplete();
    }
  }

  private void retryLater(Runnable action) {
    if (!stopping) {
      vertx.setTimer(standbyRetryMs, id -> action.run());
    }
  }

  /**
   * One step towards the fair share: counts the live relays, gives back shards above the share, or
   * takes free ones up to it.
   */
  private void balance() {
    if (balancing || stopping || conn == null) {
      return;
    }
    balancing = true;
    int current = generation;
    PgConnection c = conn;
    c.query(RelayShards.LOCKS)
        .execute()
        .compose(
            rows -> {
              if (current != generation) {
                return Future.succeededFuture();
              }
              RelayShards.Snapshot seen = shards.read(rows);
              members = seen.members();
              int share = RelayShards.fairShare(shards.count(), seen.members());
              List<Integer> kept = heldShards(false);
              int keeping = kept.size();
              if (keeping > share) {
                kept.subList(share, keeping).forEach(this::release);
                return Future.succeededFuture();
              }
              if (keeping < share && !seen.free().isEmpty()) {
                return take(c, current, share - keeping);
              }
              if (keeping == 0) {
                waitingFor = seen.otherCounts() ? otherCountsMessage() : null;
              }
              return Future.succeededFuture();
            })
        .onComplete(
            ar -> {
              if (current == generation) {
                balancing = false;
              }
              logHeld();
              if (ar.failed()) {
                log.warn("outbox relay could not balance its shards: {}", ar.cause().getMessage());
              }
            });
  }

  private String otherCountsMessage() {
    return "a relay with another relay.shards holds shards; this one takes shards once none does";
  }

  /**
   * Takes up to {@code wanted} free shards under the gate, unless a relay of another shard count
   * (or an earlier single relay) still drains: its shards cut through these.
   */
  private Future<Void> take(PgConnection c, int current, int wanted) {
    Future<Boolean> shared =
        singleRelayShared
            ? Future.succeededFuture(true)
            : c.preparedQuery("SELECT pg_try_advisory_lock_shared($1) AS locked")
                .execute(Tuple.of(SINGLE_RELAY_KEY))
                .map(rows -> rows.iterator().next().getBoolean("locked"));
    return shared.compose(
        got -> {
          if (!got) {
            waitingFor = "a relay of an earlier version leads; shards are taken once it stops";
            return Future.succeededFuture();
          }
          singleRelayShared = true;
          return tryLock(c, RelayShards.GATE, 0)
              .compose(
                  gate -> {
                    if (!gate) {
                      return Future.<Void>succeededFuture(); // another relay takes shards now
                    }
                    return c.query(RelayShards.LOCKS)
                        .execute()
                        .compose(
                            rows -> {
                              RelayShards.Snapshot seen = shards.read(rows);
                              if (seen.otherCounts()) {
                                waitingFor = held.isEmpty() ? otherCountsMessage() : null;
                                return Future.<Void>succeededFuture();
                              }
                              waitingFor = null;
                              return takeFree(c, current, seen.free(), 0, wanted);
                            })
                        .eventually(() -> unlock(c, RelayShards.GATE, 0));
                  });
        });
  }

  private Future<Void> takeFree(
      PgConnection c, int current, List<Integer> free, int next, int wanted) {
    if (wanted == 0 || next >= free.size() || current != generation || stopping) {
      return Future.succeededFuture();
    }
    int number = free.get(next);
    return tryLock(c, shards.shardClass(), number)
        .compose(
            got -> {
              if (got && current == generation) {
                held.put(number, new Shard());
                state = State.ACTIVE;
                heldChanged();
                wake();
              }
              return takeFree(c, current, free, next + 1, got ? wanted - 1 : wanted);
            });
  }

  private Future<Boolean> tryLock(PgConnection c, int key1, int key2) {
    return c.preparedQuery(TRY_LOCK)
        .execute(Tuple.of(key1, key2))
        .map(rows -> rows.iterator().next().getBoolean("locked"));
  }

  private Future<Void> unlock(PgConnection c, int key1, int key2) {
    return c.preparedQuery(UNLOCK).execute(Tuple.of(key1, key2)).mapEmpty();
  }

  /** A shard this relay holds. */
  private static final class Shard {

    /** Given back: read no more; unlocked once the batch out is acknowledged and deleted. */
    boolean releasing;
  }

  /** The shards the next batch reads: those held and not given back. */
  private Integer[] reading() {
    return heldShards(false).toArray(Integer[]::new);
  }

  /** The numbers of the shards held, ascending: those given back, or those still read. */
  private List<Integer> heldShards(boolean givenBack) {
    return held.entrySet().stream()
        .filter(e -> e.getValue().releasing == givenBack)
        .map(Map.Entry::getKey)
        .toList();
  }

  private void release(int number) {
    held.get(number).releasing = true;
    if (!draining) {
      unlockReleased();
    }
  }

  /**
   * On the connection that deleted the last batch, after that DELETE: the relay that takes a shard
   * given back reads what this one has not sent.
   */
  private void unlockReleased() {
    List<Integer> released = heldShards(true);
    if (released.isEmpty()) {
      return;
    }
    released.forEach(held::remove);
    heldChanged();
    if (conn != null) {
      for (int number : released) {
        unlock(conn, shards.shardClass(), number)
            .onFailure(e -> log.warn("outbox shard {} not unlocked: {}", number, e.getMessage()));
      }
    }
  }

  /** Starts a drain, or asks the running one to look again when it ends. */
  private void wake() {
    if (conn == null || held.isEmpty()) {
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
    Integer[] reading = reading();
    if (reading.length == 0) {
      finish();
      return;
    }
    int current = generation;
    PgConnection c = conn;
    c.preparedQuery(selectBatch)
        .execute(Tuple.of(reading, batchSize))
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
              // Every send settles before the batch does (join, not all): a failed record's
              // batch is sent again only when nothing of it is still in the producer, where the
              // copy sent again would queue behind records that came after the failed one.
              // The DELETE is not awaited: the next SELECT (or a shard's unlock) follows it on
              // the same connection, so it cannot see these rows; should the DELETE fail they
              // are sent again (consumers dedupe)
              return Future.join(acks)
                  .map(
                      v -> {
                        if (current == generation) {
                          c.preparedQuery(DELETE_SENT)
                              .execute(Tuple.of(ids.toArray(new Long[0])))
                              .onFailure(
                                  e ->
                                      log.warn(
                                          "outbox rows sent but not deleted: {}", e.getMessage()));
                        }
                        return rows.size();
                      });
            })
        .onComplete(
            ar -> {
              if (current != generation) {
                return; // the connection and its locks are gone; the rows wait for a holder
              }
              afterBatch(ar.succeeded() ? ar.result() : -1, ar.cause());
            });
  }

  private void afterBatch(int sent, Throwable failure) {
    if (sent > 0) {
      sending.progressed();
      lastSendAt = sending.lastProgressAt();
    }
    sending.waiting(false);
    if (failure != null) {
      lastFailureAt = System.currentTimeMillis();
      log.warn("outbox relay batch failed, will retry: {}", failure.getMessage());
      // the rows stay in the outbox; a later batch sends them again (consumers dedupe by id)
      finish();
      return;
    }
    if (sent > 0) {
      kafka.succeeded();
    }
    // shards given back while the batch was out go now, after its DELETE, before the next read
    unlockReleased();
    if (sent >= BUSY_BATCH && listening && !stopping) {
      listening = false;
      if (busy != null) {
        busy.increment();
      }
      conn.query("UNLISTEN " + CHANNEL)
          .execute()
          .onFailure(e -> log.debug("UNLISTEN failed: {}", e.getMessage()));
    }
    // stopping, it drains until a batch finds nothing: what the last requests committed while
    // the previous batch was out is published too, not left to the next relay
    if (sent == batchSize
        || (stopping && sent > 0)
        || (!stopping && (wakeAgain || (sent > 0 && !listening)))) {
      wakeAgain = false;
      drainBatch();
      return;
    }
    finish();
    if (!listening && !stopping) {
      // the rows stopped coming: listen again, then look once more for a row committed before
      listening = true;
      conn.query("LISTEN " + CHANNEL)
          .execute()
          .onComplete(
              listened -> {
                if (listened.failed()) {
                  listening = false; // the periodic poll goes on, and the next batch tries again
                  log.warn("outbox relay cannot LISTEN again: {}", listened.cause().getMessage());
                }
                wake();
              });
    } else if (sent == 0) {
      measureBacklog();
    }
  }

  private void finish() {
    draining = false;
    unlockReleased();
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
    if (conn != null && state == State.ACTIVE) {
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

  /** Publishes what is already committed (bounded by a few seconds), then lets the locks go. */
  Future<Void> stop() {
    stopping = true;
    cancelTimers();
    Future<Void> finished;
    if (state == State.ACTIVE) {
      idle = Promise.promise();
      wake();
      if (!draining) {
        idle.tryComplete();
      }
      finished = idle.future();
    } else {
      finished = Future.succeededFuture();
    }
    return finished
        .timeout(5, TimeUnit.SECONDS)
        .recover(e -> Future.succeededFuture())
        .compose(v -> conn == null ? Future.succeededFuture() : conn.close())
        .onComplete(ar -> state = State.STOPPED);
  }

  private void cancelTimers() {
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
      pollTimer = -1;
    }
    if (balanceTimer >= 0) {
      vertx.cancelTimer(balanceTimer);
      balanceTimer = -1;
    }
  }
}
