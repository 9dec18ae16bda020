package io.taskbus.notification;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.EventHandler;
import io.taskbus.contracts.Failures;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns reminder events into notifications (an inbox row, then a push or an e-mail) and answers the
 * api's inbox and settings requests. An event is acknowledged once its row is stored, so Kafka
 * redelivers it after a crash before that and the event id makes the second store a no-op.
 */
public class NotificationVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(NotificationVerticle.class);

  private final Pool pool;
  private Inbox inbox;
  private Mailer mailer;
  private Courier courier;
  private MessageConsumer<Object> events;
  private MessageConsumer<JsonObject> requests;
  private MessageConsumer<JsonObject> reconfigured;
  private MessageConsumer<Object> health;
  private NotificationSettings settings;

  public NotificationVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    settings = NotificationSettings.from(config().getJsonObject("notification"));
    inbox = new Inbox(pool);
    mailer = new Mailer(vertx, settings);
    courier = new Courier(vertx, pool, inbox, mailer, settings);
    events =
        vertx
            .eventBus()
            .<Object>consumer(
                Addresses.NOTIFICATION_EVENTS,
                EventHandler.of(event -> inbox.store(event).onSuccess(this::deliverNow)));
    requests = vertx.eventBus().consumer(Addresses.NOTIFICATION_REQUESTS, this::answer);
    reconfigured =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.CONFIG_CHANGED,
                msg -> reconfigure(msg.body().getJsonObject("notification")));
    // e-mail that cannot go out waits and is retried: SMTP never makes the process unready
    health =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.health("notification"),
                msg ->
                    msg.reply(
                        new JsonObject()
                            .put("ok", true)
                            .put(
                                "courier",
                                new JsonObject().put("lastDelivery", courier.lastDelivery()))
                            .put("smtp", mailer.smtp())));
    return Future.all(events.completion(), requests.completion(), reconfigured.completion());
  }

  /** A changed configuration file: new settings from the next delivery on, no restart. */
  private void reconfigure(JsonObject section) {
    NotificationSettings next;
    try {
      next = NotificationSettings.from(section);
    } catch (IllegalArgumentException e) {
      log.warn("notification settings unchanged: {}", e.getMessage());
      return;
    }
    if (next.equals(settings)) {
      return;
    }
    Mailer previous = mailer;
    boolean newMailer =
        !next.smtp().equals(settings.smtp()) || !next.publicUrl().equals(settings.publicUrl());
    if (newMailer) {
      mailer = new Mailer(vertx, next);
    }
    courier.reconfigure(next, mailer);
    settings = next;
    if (newMailer) {
      // mails under way keep the old client a while; one that fails still is retried
      vertx.setTimer(30_000, id -> previous.close());
    }
    log.info(
        "notification settings changed: e-mail {}",
        next.smtp().configured()
            ? "through " + next.smtp().host() + ":" + next.smtp().port()
            : "off");
  }

  private void answer(Message<JsonObject> msg) {
    Future<JsonObject> answer;
    try {
      answer = ask(msg.body());
    } catch (RuntimeException e) {
      // a field it cannot read (an id that is no UUID, settings of the wrong type): a 400, not
      // an exception that leaves the asker waiting for its timeout
      answer = Future.failedFuture(new IllegalArgumentException(e.getMessage(), e));
    }
    answer.onComplete(ar -> reply(msg, ar));
  }

  private Future<JsonObject> ask(JsonObject q) {
    String user = q.getString("userId");
    return switch (q.getString("action", "")) {
      case "list" ->
          inbox.list(
              user, q.getInteger("limit", 20), q.getLong("before"), q.getBoolean("unread", false));
      case "count" -> inbox.unread(user).map(n -> new JsonObject().put("unread", n));
      case "read" ->
          inbox
              .read(user, UUID.fromString(q.getString("id")))
              .compose(n -> changed(user, n, List.of(q.getString("id"))));
      case "snooze" ->
          inbox
              .snooze(user, UUID.fromString(q.getString("id")), q.getLong("seconds"))
              .compose(n -> changed(user, n, List.of(q.getString("id"))));
      case "readAll" ->
          inbox
              .readAll(user)
              .compose(
                  ids ->
                      inbox
                          .unread(user)
                          .map(
                              unread -> {
                                publishState(user, new JsonObject().put("all", true), unread);
                                return new JsonObject()
                                    .put("updated", ids.size())
                                    .put("unread", unread);
                              }));
      case "settings" -> inbox.settings(user).map(Settings::toJson);
      case "saveSettings" ->
          inbox
              .saveSettings(user, Settings.fromJson(q.getJsonObject("settings")))
              .map(Settings::toJson);
      default -> Future.failedFuture(new IllegalArgumentException("unknown action"));
    };
  }

  /** The stored notification goes out at once; the sweep takes over when that fails. */
  private void deliverNow(UUID stored) {
    if (stored != null) {
      courier
          .deliverNow(stored)
          .onFailure(
              e ->
                  log.warn(
                      "notification {}: delivery deferred to the sweep: {}",
                      stored,
                      e.getMessage()));
    }
  }

  private static void reply(Message<JsonObject> msg, AsyncResult<JsonObject> ar) {
    if (ar.succeeded() && ar.result() == null) {
      msg.fail(404, "no such notification");
    } else if (ar.succeeded()) {
      msg.reply(ar.result());
    } else if (ar.cause() instanceof IllegalArgumentException e) {
      msg.fail(400, e.getMessage());
    } else if (Failures.passing(ar.cause())) {
      msg.fail(Envelope.UNAVAILABLE, "notifications unavailable: " + ar.cause().getMessage());
    } else {
      log.error("notification request {} failed", msg.body().getString("action"), ar.cause());
      msg.fail(500, "notification request failed: " + ar.cause().getMessage());
    }
  }

  /** Other tabs of the user learn that some notifications were read or snoozed. */
  private Future<JsonObject> changed(String user, Notification n, List<String> ids) {
    if (n == null) {
      return Future.succeededFuture();
    }
    return inbox
        .unread(user)
        .map(
            unread -> {
              publishState(user, new JsonObject().put("ids", new JsonArray(ids)), unread);
              return n.toJson();
            });
  }

  private void publishState(String user, JsonObject what, int unread) {
    vertx
        .eventBus()
        .publish(
            Addresses.userNotifications(user), what.put("kind", "state").put("unread", unread));
  }

  @Override
  public Future<?> stop() {
    courier.stop();
    return Future.join(
            events.unregister(),
            requests.unregister(),
            reconfigured.unregister(),
            health.unregister())
        .eventually(() -> mailer.close());
  }
}
