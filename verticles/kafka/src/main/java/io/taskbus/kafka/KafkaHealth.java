package io.taskbus.kafka;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.util.List;

/**
 * Readiness of this process's Kafka side, with its detail: the broker answers, the relay is not
 * failing, and no subscription is stalled. {@code ok} says whether all hold; {@code problems} names
 * what does not. The relay is null while Kafka refuses this process (KafkaVerticle), which is never
 * ready then.
 */
final class KafkaHealth {

  private final KafkaAdminClient admin;
  private final OutboxRelay relay;
  private final List<Subscription> subscriptions;

  KafkaHealth(KafkaAdminClient admin, OutboxRelay relay, List<Subscription> subscriptions) {
    this.admin = admin;
    this.relay = relay;
    this.subscriptions = subscriptions;
  }

  Future<JsonObject> check() {
    return admin
        .describeCluster()
        .map(
            cluster ->
                new JsonObject().put("status", "up").put("brokers", cluster.getNodes().size()))
        .otherwise(
            e ->
                new JsonObject().put("status", "down").put("error", String.valueOf(e.getMessage())))
        .map(this::withRelayAndSubscriptions);
  }

  private JsonObject withRelayAndSubscriptions(JsonObject broker) {
    JsonArray problems = new JsonArray();
    if (!"up".equals(broker.getString("status"))) {
      problems.add("Kafka does not answer: " + broker.getString("error"));
    }
    if (relay == null) {
      problems.add("Kafka refused this process: no relay or subscription runs");
    }
    boolean relayOk = relay != null && relay.healthy();
    if (relay != null && !relayOk) {
      problems.add("the outbox relay is failing or waits for Kafka");
    }
    JsonObject perGroup = new JsonObject();
    for (Subscription subscription : subscriptions) {
      SubscriptionHealth health = subscription.health();
      JsonObject detail = health.detail(subscription.parked());
      perGroup.put(detail.getString("group"), detail);
      String problem = health.problem();
      if (problem != null) {
        problems.add(problem);
      }
    }
    JsonObject answer =
        new JsonObject()
            .put("ok", problems.isEmpty())
            .put("broker", broker)
            .put(
                "relay",
                relay == null
                    ? new JsonObject().put("state", "not started").put("ok", false)
                    : relay.detail().put("ok", relayOk))
            .put("subscriptions", perGroup);
    if (!problems.isEmpty()) {
      answer.put("problems", problems);
    }
    return answer;
  }
}
