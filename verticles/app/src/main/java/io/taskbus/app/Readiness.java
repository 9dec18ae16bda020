package io.taskbus.app;

import io.taskbus.contracts.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/** What {@code /health/ready} checks: PostgreSQL, Kafka and the relay, the cluster. */
final class Readiness {

  static HealthChecks create(Vertx vertx, Pool pool, Set<String> roles,
      HazelcastClusterManager cluster) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("postgres", 3_000, p -> pool.query("SELECT 1").execute()
        .onSuccess(r -> p.tryComplete(Status.OK()))
        .onFailure(e -> p.tryComplete(Status.KO(new JsonObject().put("error", e.getMessage())))));
    if (roles.contains("kafka")) {
      checks.register("kafka", 6_000, p -> vertx.eventBus().<JsonObject>request(
              Addresses.KAFKA_HEALTH, null, new DeliveryOptions().setLocalOnly(true).setSendTimeout(5_500))
          .onSuccess(m -> p.tryComplete(m.body().getBoolean("ok") ? Status.OK(m.body()) : Status.KO(m.body())))
          .onFailure(e -> p.tryComplete(Status.KO(new JsonObject().put("error", e.getMessage())))));
    }
    if (cluster != null) {
      checks.register("cluster", 3_000, p -> {
        boolean member = cluster.isActive() && cluster.getNodes().contains(cluster.getNodeId());
        p.tryComplete(member
            ? Status.OK(new JsonObject().put("members", cluster.getNodes().size()))
            : Status.KO(new JsonObject().put("error", "not a cluster member")));
      });
    }
    return checks;
  }

  private Readiness() {}
}
