package io.taskbus.kafka;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.ConfigValues;
import io.vertx.core.Future;
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

  private KafkaProducer<String, String> producer;
  private KafkaAdminClient admin;
  private OutboxRelay relay;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final PgConnectOptions postgres;
  private MessageConsumer<JsonObject> health;

  public KafkaVerticle(PgConnectOptions postgres) {
    this.postgres = postgres;
  }

  @Override
  public Future<?> start() {
    JsonObject kafka = config().getJsonObject("kafka");
    KafkaSettings settings = new KafkaSettings(kafka);
    producer = KafkaProducer.create(vertx, settings.producer());
    // every send's own future reports its failure; without a handler the stream would also log
    // each one as an unhandled exception with its stack trace (thousands in a Kafka outage)
    producer.exceptionHandler(e -> log.debug("a Kafka send failed: {}", e.getMessage()));
    admin = KafkaAdminClient.create(vertx, settings.admin());
    relay =
        new OutboxRelay(
            vertx, postgres, producer, RelaySettings.from(ConfigValues.section(config(), "relay")));
    for (Object o : ConfigValues.list(kafka, "subscriptions")) {
      subscriptions.add(Subscription.from(vertx, settings, (JsonObject) o, producer));
    }
    health =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.health("kafka"),
                msg ->
                    new KafkaHealth(admin, relay, subscriptions)
                        .check()
                        .onComplete(ar -> msg.reply(ar.result())));
    return new TopicSetup(vertx, admin, settings, TopicSetup.TASKBUS_TOPICS)
        .ensure()
        .compose(v -> relay.start())
        .compose(v -> Future.all(subscriptions.stream().map(Subscription::start).toList()));
  }

  /**
   * Stop in the order that loses nothing: publish what is committed, then drain consumers. Each
   * step has its own bound, so one that hangs is named in the log and the next still runs: a
   * consumer left open would stay in its group, holding partitions from the processes that remain.
   */
  @Override
  public Future<?> stop() {
    return bounded("the outbox relay", relay::stop, 6)
        .compose(
            v ->
                Future.join(
                    subscriptions.stream()
                        .map(s -> bounded("subscription " + s, s::stop, 8))
                        .toList()))
        // records still waiting for a broker that is away are given up after 2 s (their rows stay
        // in the outbox for the next relay): they never expire by themselves
        .compose(v -> bounded("the producer", () -> producer.close(2_000), 3))
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
