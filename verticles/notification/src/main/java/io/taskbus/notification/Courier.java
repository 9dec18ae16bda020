package io.taskbus.notification;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskbus.contracts.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications whose time has come: a push over the bridge when the user is connected
 * anywhere in the cluster, otherwise an e-mail, otherwise the inbox alone. A row is taken with a
 * lease (SKIP LOCKED: any number of notification processes, none takes a row another holds), and
 * each (event, round, channel) passes through the ledger once, so a redelivered event or a second
 * process never sends twice. A failed e-mail is retried with exponential backoff; quiet hours move
 * the delivery to their end.
 */
final class Courier {

  private static final Logger log = LoggerFactory.getLogger(Courier.class);

  private static final String CLAIM =
      """
      WITH due AS (
        SELECT id FROM notifications
        WHERE deliver_at <= now() AND (lease_until IS NULL OR lease_until < now())
          AND ($2::uuid IS NULL OR id = $2)
        ORDER BY deliver_at LIMIT $1 FOR UPDATE SKIP LOCKED),
      claimed AS (
        UPDATE notifications n SET lease_until = now() + make_interval(secs => $3)
        FROM due WHERE n.id = due.id
        RETURNING n.*)
      SELECT c.*, s.email, s.email_enabled, s.push_enabled, s.time_zone, s.quiet_start, s.quiet_end
      FROM claimed c LEFT JOIN notification_settings s ON s.user_id = c.user_id""";
  /* Taken over when its holder died mid-send (the lease ran out): at most that one send repeats. */
  private static final String LEDGER_CLAIM =
      """
      INSERT INTO notification_deliveries AS d (event_id, round, channel, state)
      VALUES ($1, $2, $3, 'sending')
      ON CONFLICT (event_id, round, channel) DO UPDATE SET claimed_at = now()
      WHERE d.state = 'sending' AND d.claimed_at < now() - make_interval(secs => $4)
      RETURNING 1""";
  private static final String DONE =
      """
      WITH sent AS (
        UPDATE notification_deliveries SET state = 'sent', sent_at = now()
        WHERE event_id = $3 AND round = $2 AND channel = $4)
      UPDATE notifications SET deliver_at = NULL, lease_until = NULL, attempts = 0
      WHERE id = $1 AND round = $2""";
  private static final String NOTHING_TO_SEND =
      "UPDATE notifications"
          + " SET deliver_at = NULL, lease_until = NULL, attempts = 0 WHERE id = $1 AND round = $2";
  private static final String RETRY =
      """
      WITH released AS (
        DELETE FROM notification_deliveries
        WHERE event_id = $3 AND round = $2 AND channel = $4 AND state = 'sending')
      UPDATE notifications SET attempts = attempts + 1, lease_until = NULL,
        deliver_at = CASE WHEN attempts + 1 >= $6 THEN NULL ELSE $5 END
      WHERE id = $1 AND round = $2 RETURNING deliver_at""";
  private static final String LATER =
      "UPDATE notifications SET deliver_at = $3, lease_until = NULL"
          + " WHERE id = $1 AND round = $2";

  private final Vertx vertx;
  private final Pool pool;
  private final Inbox inbox;
  private Mailer mailer;
  private NotificationSettings config;
  private DeliveryOptions presenceAsk;
  private final Counter pushes;
  private final Counter mails;
  private final Counter mailFailures;
  private long timer = -1;
  private boolean sweeping;

  /** The last push or e-mail tried: {@code {channel, outcome, at}}; null before the first. */
  private JsonObject lastDelivery;

  Courier(Vertx vertx, Pool pool, Inbox inbox, Mailer mailer, NotificationSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.inbox = inbox;
    MeterRegistry backend = BackendRegistries.getDefaultNow();
    // without Vert.x metrics (a bare verticle in a test) the counts go nowhere
    MeterRegistry registry =
        backend != null ? backend : new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    pushes = counter(registry, "push", "sent");
    mails = counter(registry, "email", "sent");
    mailFailures = counter(registry, "email", "failed");
    reconfigure(settings, mailer);
  }

  /** New settings (and mail client) from now on; deliveries under way finish with the old ones. */
  void reconfigure(NotificationSettings next, Mailer nextMailer) {
    boolean newInterval = config == null || config.sweepIntervalMs() != next.sweepIntervalMs();
    config = next;
    mailer = nextMailer;
    presenceAsk = new DeliveryOptions().setSendTimeout(next.presenceTimeoutMs());
    if (newInterval) {
      vertx.cancelTimer(timer);
      timer = vertx.setPeriodic(next.sweepIntervalMs(), id -> sweep());
    }
  }

  /** Delivers one notification right away (it was just stored). */
  Future<Void> deliverNow(UUID id) {
    return claim(1, id).compose(this::deliverAll);
  }

  /** What is due: snoozes that end, quiet hours that end, retries, anything a dead process held. */
  Future<Void> sweep() {
    if (sweeping) {
      return Future.succeededFuture();
    }
    sweeping = true;
    return claim(config.batchSize(), null)
        .compose(this::deliverAll)
        .onFailure(e -> log.warn("notification sweep: {}", e.getMessage()))
        .onComplete(ar -> sweeping = false);
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** For {@code /health}: the last delivery's channel, outcome and time, or null. */
  JsonObject lastDelivery() {
    return lastDelivery == null ? null : lastDelivery.copy();
  }

  private void delivered(String channel, String outcome) {
    lastDelivery =
        new JsonObject()
            .put("channel", channel)
            .put("outcome", outcome)
            .put("at", Instant.now().toString());
  }

  private Future<List<Row>> claim(int limit, UUID id) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(limit, id, config.leaseSeconds()))
        .map(
            rows -> {
              List<Row> claimed = new ArrayList<>();
              rows.forEach(claimed::add);
              return claimed;
            });
  }

  private Future<Void> deliverAll(List<Row> rows) {
    return Future.join(rows.stream().map(this::deliver).toList()).mapEmpty();
  }

  private Future<Void> deliver(Row row) {
    Notification n = Notification.from(row);
    Settings settings = Settings.from(row);
    Instant now = Instant.now();
    if (settings.quietHours() != null) {
      var end = settings.quietHours().endAfter(now, settings.zone());
      if (end.isPresent()) {
        return pool.preparedQuery(LATER)
            .execute(Tuple.of(n.id(), n.round(), end.get().atOffset(ZoneOffset.UTC)))
            .mapEmpty();
      }
    }
    return channel(n, settings)
        .compose(
            channel -> {
              if (channel == null) {
                return pool.preparedQuery(NOTHING_TO_SEND)
                    .execute(Tuple.of(n.id(), n.round()))
                    .mapEmpty();
              }
              return pool.preparedQuery(LEDGER_CLAIM)
                  .execute(Tuple.of(n.eventId(), n.round(), channel, config.leaseSeconds()))
                  .compose(
                      claimed -> {
                        if (claimed.size() == 0) {
                          // sent already (a redelivery), or another process is sending it right now
                          return pool.preparedQuery(NOTHING_TO_SEND)
                              .execute(Tuple.of(n.id(), n.round()))
                              .<Void>mapEmpty();
                        }
                        return send(channel, n, settings)
                            .compose(
                                v ->
                                    pool.preparedQuery(DONE)
                                        .execute(Tuple.of(n.id(), n.round(), n.eventId(), channel))
                                        .<Void>mapEmpty())
                            .recover(e -> retry(n, channel, row.getInteger("attempts"), e));
                      });
            });
  }

  /** push when connected anywhere and wanted, else e-mail when possible, else null (inbox only). */
  private Future<String> channel(Notification n, Settings settings) {
    Future<Boolean> online =
        settings.pushEnabled()
            ? vertx
                .eventBus()
                .request(Addresses.presence(n.userId()), new JsonObject(), presenceAsk)
                .map(reply -> true)
                .otherwise(false)
            : Future.succeededFuture(false);
    return online.map(
        on -> on ? "push" : settings.mailable() && mailer.configured() ? "email" : null);
  }

  private Future<Void> send(String channel, Notification n, Settings settings) {
    if ("push".equals(channel)) {
      return inbox
          .unread(n.userId())
          .map(
              unread -> {
                vertx
                    .eventBus()
                    .publish(
                        Addresses.userNotifications(n.userId()),
                        new JsonObject()
                            .put("kind", "notification")
                            .put("notification", n.toJson())
                            .put("unread", unread));
                pushes.increment();
                delivered(channel, "sent");
                return null;
              });
    }
    return mailer
        .send(settings.email(), n)
        .onSuccess(
            v -> {
              mails.increment();
              delivered(channel, "sent");
            });
  }

  private Future<Void> retry(Notification n, String channel, int attempts, Throwable cause) {
    mailFailures.increment();
    delivered(channel, "failed");
    long delay = config.retryDelayMs(attempts);
    OffsetDateTime next = OffsetDateTime.now(ZoneOffset.UTC).plusNanos(delay * 1_000_000);
    return pool.preparedQuery(RETRY)
        .execute(Tuple.of(n.id(), n.round(), n.eventId(), channel, next, config.retryMaxAttempts()))
        .map(
            rows -> {
              boolean givenUp = rows.size() > 0 && rows.iterator().next().getValue(0) == null;
              if (givenUp) {
                log.error(
                    "notification {} event {}: {} failed {} times, giving up: {}",
                    n.id(),
                    n.eventId(),
                    channel,
                    config.retryMaxAttempts(),
                    cause.getMessage());
              } else {
                log.warn(
                    "notification {} event {}: {} failed, retrying: {}",
                    n.id(),
                    n.eventId(),
                    channel,
                    cause.getMessage());
              }
              return null;
            });
  }

  private static Counter counter(MeterRegistry registry, String channel, String outcome) {
    return Counter.builder("taskbus.notifications.deliveries")
        .description("Notification deliveries by channel and outcome")
        .tag("channel", channel)
        .tag("outcome", outcome)
        .register(registry);
  }
}
