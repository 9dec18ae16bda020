package io.taskbus.kafka;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.ConfigValues;
import io.taskbus.contracts.Failures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.pgclient.PgConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that talks to Kafka: the outbox relay (PostgreSQL → Kafka) and the subscriptions
 * (Kafka → event bus). Config: {@code kafka} and {@code relay} sections; the relay's own PostgreSQL
 * connection is made with the launcher's options (the pools' server and TLS settings).
 */
public class KafkaVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(KafkaVerticle.class);

  /** How often the topic setup is tried again while Kafka refuses this process. */
  private static final long REFUSED_RETRY_MS = 10_000;

  /**
   * How long a starting process waits for a Kafka that does not answer yet (each try gives up after
   * the admin client's 5 s), and how long between tries.
   */
  private static final long UNANSWERED_WAIT_MS = 60_000;

  private static final long UNANSWERED_RETRY_MS = 1_000;

  private KafkaSettings settings;
  private KafkaAdminClient admin;
  private TopicSetup topics;
  private MessageConsumer<JsonObject> health;
  // null until the topic setup succeeded: a process Kafka refuses runs no relay and no consumer
  private KafkaProducer<String, String> producer;
  private OutboxRelay relay;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private long retryTimer = -1;
  private boolean stopping;
  private final PgConnectOptions postgres;

  public KafkaVerticle(PgConnectOptions postgres) {
    this.postgres = postgres;
  }

  @Override
  public Future<?> start() {
    settings = new KafkaSettings(config().getJsonObject("kafka"));
    if (!settings.security().ignored().isEmpty()) {
      log.warn(
          "{} not used with kafka.security.protocol {}",
          settings.security().ignored(),
          settings.security().describe());
    }
    admin = KafkaAdminClient.create(vertx, settings.admin());
    topics = new TopicSetup(vertx, admin, settings, TopicSetup.TASKBUS_TOPICS);
    health =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.health("kafka"),
                msg ->
                    new KafkaHealth(admin, relay, subscriptions)
                        .check()
                        .onComplete(ar -> msg.reply(ar.result())));
    return topicsOnceAnswered(System.currentTimeMillis() + UNANSWERED_WAIT_MS, true)
        .compose(v -> startClients(), this::refusedAtStart);
  }

  /**
   * The topic setup, tried again while Kafka does not answer, up to {@code deadline}: a broker
   * still starting, or one slow on loaded cores (a worker of five processes on two cores once gave
   * up after the admin client's 5 s and exited), is waited for rather than fatal. Any other failure
   * ends the wait at once.
   */
  private Future<Void> topicsOnceAnswered(long deadline, boolean first) {
    return topics
        .ensure()
        .recover(
            failure -> {
              if (!unanswered(failure) || stopping || System.currentTimeMillis() >= deadline) {
                return Future.failedFuture(failure);
              }
              if (first) {
                log.warn(
                    "Kafka at {} does not answer yet ({}); trying again every {} s for up to {} s",
                    settings.bootstrapServers(),
                    failure.getMessage(),
                    UNANSWERED_RETRY_MS / 1000,
                    UNANSWERED_WAIT_MS / 1000);
              }
              Promise<Void> again = Promise.promise();
              vertx.setTimer(
                  UNANSWERED_RETRY_MS, t -> topicsOnceAnswered(deadline, false).onComplete(again));
              return again.future();
            });
  }

  private static boolean unanswered(Throwable failure) {
    return Failures.causeOf(failure, org.apache.kafka.common.errors.TimeoutException.class) != null;
  }

  /** The relay and the subscriptions, once Kafka answers and the topics are there. */
  private Future<Void> startClients() {
    JsonObject kafka = config().getJsonObject("kafka");
    producer = KafkaProducer.create(vertx, settings.producer());
    // every send's own future reports its failure; without a handler the stream would also log
    // each one as an unhandled exception with its stack trace (thousands in a Kafka outage)
    producer.exceptionHandler(e -> log.debug("a Kafka send failed: {}", e.getMessage()));
    relay =
        new OutboxRelay(
            vertx, postgres, producer, RelaySettings.from(ConfigValues.section(config(), "relay")));
    for (Object o : ConfigValues.list(kafka, "subscriptions")) {
      subscriptions.add(Subscription.from(vertx, settings, (JsonObject) o, producer));
    }
    return relay
        .start()
        .compose(v -> Future.all(subscriptions.stream().map(Subscription::start).toList()))
        .mapEmpty();
  }

  /**
   * Kafka refusing this process's credentials, certificate or rights does not stop the process: it
   * stays up and unready (readiness names Kafka), says so once, and tries again now and then, in
   * case the user, its ACLs or the certificates are put in place after the pod started. Any other
   * failure fails the start as before.
   */
  private Future<Void> refusedAtStart(Throwable failure) {
    Throwable refusal = KafkaRefusal.find(failure);
    if (refusal == null) {
      return Future.failedFuture(failure);
    }
    log.error(
        "{}: Kafka at {} refused taskbus ({}): {}. Kafka stays unready, no relay or subscription"
            + " runs; the connection is tried again every {} s and this is not logged again",
        KafkaRefusal.what(refusal),
        settings.bootstrapServers(),
        settings.security().describe(),
        refusal.getMessage(),
        REFUSED_RETRY_MS / 1000);
    long refusedAt = System.currentTimeMillis();
    retryTimer = vertx.setTimer(REFUSED_RETRY_MS, t -> retryAfterRefusal(refusedAt));
    return Future.succeededFuture();
  }

  private void retryAfterRefusal(long refusedAt) {
    topics
        .ensure()
        .onComplete(
            ar -> {
              if (stopping) {
                return;
              }
              if (ar.failed()) {
                log.debug("Kafka still refuses taskbus: {}", ar.cause().getMessage());
                retryTimer = vertx.setTimer(REFUSED_RETRY_MS, t -> retryAfterRefusal(refusedAt));
                return;
              }
              log.info(
                  "Kafka at {} accepted taskbus ({}) after {} s; starting the outbox relay and"
                      + " the subscriptions",
                  settings.bootstrapServers(),
                  settings.security().describe(),
                  (System.currentTimeMillis() - refusedAt) / 1000);
              startClients()
                  .onFailure(e -> log.error("starting the relay and the subscriptions failed", e));
            });
  }

  /**
   * Stop in the order that loses nothing: publish what is committed, then drain consumers. Each
   * step has its own bound, so one that hangs is named in the log and the next still runs: a
   * consumer left open would stay in its group, holding partitions from the processes that remain.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(retryTimer);
    Future<Void> relayStopped =
        relay == null ? Future.succeededFuture() : bounded("the outbox relay", relay::stop, 6);
    return relayStopped
        .compose(
            v ->
                Future.join(
                    subscriptions.stream()
                        .map(s -> bounded("subscription " + s, s::stop, 8))
                        .toList()))
        // records still waiting for a broker that is away are given up after 2 s (their rows stay
        // in the outbox for the next relay): they never expire by themselves
        .compose(
            v ->
                producer == null
                    ? Future.succeededFuture()
                    : bounded("the producer", () -> producer.close(2_000), 3))
        .compose(v -> bounded("the admin client", admin::close, 2))
        .compose(v -> health.unregister());
  }

  private static Future<Void> bounded(String what, Supplier<Future<?>> step, long seconds) {
    Future<?> stopping;
    try {
      stopping = step.get();
    } catch (RuntimeException e) {
      stopping = Future.failedFuture(e);
    }
    return stopping
        .timeout(seconds, TimeUnit.SECONDS)
        .<Void>mapEmpty()
        .recover(
            e -> {
              log.warn(
                  "stopping {} failed: {}",
                  what,
                  e instanceof java.util.concurrent.TimeoutException
                      ? "no answer in " + seconds + " s"
                      : e.toString());
              return Future.succeededFuture();
            });
  }
}
