package io.taskbus.kafka;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;

/**
 * Readiness of this process's Kafka side: the broker answers and the relay runs and is not failing.
 * The relay is null while Kafka refuses this process (KafkaVerticle), which is never ready.
 */
final class KafkaHealth {

  private final KafkaAdminClient admin;
  private final OutboxRelay relay;

  KafkaHealth(KafkaAdminClient admin, OutboxRelay relay) {
    this.admin = admin;
    this.relay = relay;
  }

  Future<JsonObject> check() {
    return admin
        .describeCluster()
        .map(
            cluster ->
                new JsonObject().put("kafka", "up").put("brokers", cluster.getNodes().size()))
        .otherwise(
            e -> new JsonObject().put("kafka", "down").put("error", String.valueOf(e.getMessage())))
        .map(
            status ->
                status
                    .put(
                        "relay", relay == null ? "not started" : relay.state().name().toLowerCase())
                    .put(
                        "ok",
                        "up".equals(status.getString("kafka"))
                            && relay != null
                            && relay.healthy()));
  }
}
