package io.taskbus.recurrence;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.EventTypes;
import io.taskbus.contracts.OutboxEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due reminders. One statement claims up to a batch of due rows with FOR UPDATE SKIP LOCKED,
 * marks them fired (or missed, when they are older than the grace window: after downtime nothing
 * fires silently late) and writes their events to the outbox with the users' next sequence numbers.
 * Claim and event commit together, so any number of timer processes fire each reminder once, and a
 * process killed mid-batch leaves its rows pending for the others. Each fired event is also handed
 * to the notifications of the firing process at once (see {@link #handOver}).
 */
final class ReminderTimers {

  private static final Logger log = LoggerFactory.getLogger(ReminderTimers.class);

  private static final String FIRE =
      """
      WITH due AS (
        SELECT id FROM reminders WHERE state = 'pending' AND fire_at <= now()
        ORDER BY fire_at LIMIT $1 FOR UPDATE SKIP LOCKED),
      fired AS (
        UPDATE reminders r
        SET state = CASE WHEN r.fire_at >= now() - make_interval(secs => $2) THEN 'fired' ELSE 'missed' END,
            fired_at = now()
        FROM due WHERE r.id = due.id
        RETURNING r.id, r.user_id, r.task_id, r.spec, r.fire_at, r.state),
      per_user AS (SELECT user_id, count(*) AS n FROM fired GROUP BY user_id),
      bumped AS (
        INSERT INTO users (id, seq) SELECT user_id, n FROM per_user
        ON CONFLICT (id) DO UPDATE SET seq = users.seq + excluded.seq
        RETURNING id, seq),
      numbered AS (
        SELECT f.*, b.seq - p.n + row_number() OVER (PARTITION BY f.user_id ORDER BY f.fire_at, f.id)
               AS event_seq
        FROM fired f JOIN bumped b ON b.id = f.user_id JOIN per_user p ON p.user_id = f.user_id),
      events AS (
        INSERT INTO outbox (user_id, seq, type, subject, time, request_id, data)
        SELECT n.user_id, n.event_seq,
               CASE n.state WHEN 'fired' THEN 'reminder.due' ELSE 'reminder.missed' END,
               n.task_id::text, now(), NULL,
               json_build_object(
                 'reminder', json_build_object('id', n.id, 'fireAt', n.fire_at, 'spec', n.spec),
                 'task', json_build_object('id', t.id, 'title', t.title, 'dueDate', t.due_date,
                                           'dueAt', t.due_at, 'timeZone', t.time_zone),
                 'changes', json_build_object())
        FROM numbered n LEFT JOIN tasks t ON t.id = n.task_id
        -- outbox ids follow each user's sequence numbers: the relay sends by id, and Kafka keeps
        -- a user's events in the order they were sent
        ORDER BY n.user_id, n.event_seq
        RETURNING id, user_id, seq, type, subject, time, request_id, data)
      SELECT id, user_id, seq, type, subject, time, request_id, data::text AS data,
             extract(epoch FROM (now() - (data -> 'reminder' ->> 'fireAt')::timestamptz)) * 1000
               AS late_ms
      FROM events""";

  /**
   * Only to this process's notification verticle: one on another node may be the one that just
   * died, and the send would wait for a reply that never comes.
   */
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final Pool pool;
  private final int batch;
  private final int graceSeconds;
  private final Timer fireDelay;
  private final long intervalMs;
  private long timer = -1;
  private boolean running;

  /** When a claim round last finished, in epoch milliseconds; 0: none yet. */
  private volatile long lastTickAt;

  ReminderTimers(Vertx vertx, Pool pool, TimerSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.batch = settings.batchSize();
    this.graceSeconds = settings.graceSeconds();
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    fireDelay =
        registry == null
            ? null
            : Timer.builder("taskbus.reminder.fire.delay")
                .description("How late reminders fire after their time")
                .publishPercentiles(0.5, 0.99, 0.999)
                .register(registry);
    this.intervalMs = settings.intervalMs();
    timer = vertx.setPeriodic(intervalMs, id -> tick());
  }

  /** One claim round; overlapping ticks are skipped, a full batch goes straight to the next. */
  Future<Integer> tick() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    return pool.withTransaction(
            conn -> conn.preparedQuery(FIRE).execute(Tuple.of(batch, graceSeconds)))
        .map(
            rows -> {
              int missed = 0;
              for (Row row : rows) {
                handOver(row);
                if (EventTypes.REMINDER_MISSED.equals(row.getString("type"))) {
                  missed++;
                } else if (fireDelay != null) {
                  fireDelay.record(
                      Duration.ofMillis(Math.max(0, row.getDouble("late_ms").longValue())));
                }
              }
              if (missed > 0) {
                log.warn(
                    "{} reminders were older than the {} s grace window: reported as missed",
                    missed,
                    graceSeconds);
              }
              return rows.size();
            })
        .onComplete(
            ar -> {
              running = false;
              if (ar.failed()) {
                log.warn("reminder timers: {}", ar.cause().getMessage());
                return;
              }
              lastTickAt = System.currentTimeMillis();
              if (ar.result() == batch) {
                vertx.runOnContext(v -> tick());
              }
            });
  }

  /**
   * The committed event straight to the notifications of this process, besides Kafka: the inbox row
   * is there at once, not after the relay, the broker and a consumer group that may be waiting out
   * a dead member's session. The event id makes whichever arrives second a no-op, and without a
   * local notification verticle only Kafka carries it.
   */
  private void handOver(Row row) {
    vertx.eventBus().send(Addresses.NOTIFICATION_EVENTS, OutboxEvent.json(row), LOCAL);
  }

  /** For {@code /health}: when a claim round last succeeded, and how often they run. */
  JsonObject detail() {
    return new JsonObject()
        .put("lastTickAt", lastTickAt == 0 ? null : Instant.ofEpochMilli(lastTickAt).toString())
        .put("intervalMs", intervalMs);
  }

  void stop() {
    vertx.cancelTimer(timer);
  }
}
