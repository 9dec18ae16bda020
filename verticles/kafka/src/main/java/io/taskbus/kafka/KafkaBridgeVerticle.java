package io.taskbus.kafka;

import io.taskbus.contracts.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.pgclient.PgConnectOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The only code that talks to Kafka: the outbox relay (PostgreSQL → Kafka) and the subscriptions
 * (Kafka → event bus). Config: {@code kafka} and {@code relay} sections plus {@code pg.url}.
 */
public class KafkaBridgeVerticle extends VerticleBase {

  private KafkaProducer<String, String> producer;
  private KafkaAdminClient admin;
  private OutboxRelay relay;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private MessageConsumer<JsonObject> health;

  @Override
  public Future<?> start() {
    JsonObject kafka = config().getJsonObject("kafka");
    KafkaSettings settings = new KafkaSettings(kafka);
    producer = KafkaProducer.create(vertx, settings.producer());
    admin = KafkaAdminClient.create(vertx, settings.admin());
    relay = new OutboxRelay(vertx, PgConnectOptions.fromUri(config().getJsonObject("pg").getString("url")),
        producer, config().getJsonObject("relay", new JsonObject()));
    for (Object o : kafka.getJsonArray("subscriptions", new JsonArray())) {
      subscriptions.add(Subscription.from(vertx, settings, (JsonObject) o, producer));
    }
    health = vertx.eventBus().localConsumer(Addresses.KAFKA_HEALTH,
        msg -> new KafkaHealth(admin, relay).check().onComplete(ar -> msg.reply(ar.result())));
    return new Topics(admin, settings).ensure()
        .compose(v -> relay.start())
        .compose(v -> Future.all(subscriptions.stream().map(Subscription::start).toList()));
  }

  /** Stop in the order that loses nothing: publish what is committed, then drain consumers. */
  @Override
  public Future<?> stop() {
    return relay.stop()
        .eventually(() -> Future.join(subscriptions.stream().map(Subscription::stop).toList()))
        .eventually(() -> producer.close())
        .eventually(() -> admin.close())
        .eventually(() -> health.unregister());
  }
}
