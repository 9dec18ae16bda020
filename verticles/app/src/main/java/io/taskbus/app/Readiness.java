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

  static HealthChecks create(
      Vertx vertx, Pool pool, Set<String> roles, HazelcastClusterManager cluster) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register(
        "postgres",
        3_000,
        p ->
            pool.query("SELECT 1")
                .execute()
                .onSuccess(r -> p.tryComplete(Status.OK()))
                .onFailure(
                    e -> p.tryComplete(Status.KO(new JsonObject().put("error", e.getMessage())))));
    if (roles.contains("kafka")) {
      checks.register(
          "kafka",
          6_000,
          p ->
              vertx
                  .eventBus()
                  .<JsonObject>request(
                      Addresses.KAFKA_HEALTH,
                      null,
                      new DeliveryOptions().setLocalOnly(true).setSendTimeout(5_500))
                  .onSuccess(
                      m ->
                          p.tryComplete(
                              m.body().getBoolean("ok")
                                  ? Status.OK(m.body())
                                  : Status.KO(m.body())))
                  .onFailure(
                      e ->
                          p.tryComplete(Status.KO(new JsonObject().put("error", e.getMessage())))));
    }
    if (cluster != null) {
      // A round trip through the cluster, not just membership: the request is routed by the
      // subscription the member published in the cluster's registry (so it fails until that
      // registration is visible, or when the cluster's data path is broken), and is answered by
      // this member's own consumer, so one sick pod never makes the others unready.
      String ping = Addresses.CLUSTER_PING_PREFIX + cluster.getNodeId();
      vertx.eventBus().<String>consumer(ping, m -> m.reply(cluster.getNodeId()));
      checks.register(
          "cluster",
          3_000,
          p -> {
            if (!cluster.isActive() || !cluster.getNodes().contains(cluster.getNodeId())) {
              p.tryComplete(Status.KO(new JsonObject().put("error", "not a cluster member")));
              return;
            }
            long started = System.nanoTime();
            vertx
                .eventBus()
                .<String>request(ping, null, new DeliveryOptions().setSendTimeout(2_500))
                .onSuccess(
                    reply ->
                        p.tryComplete(
                            Status.OK(
                                new JsonObject()
                                    .put("members", cluster.getNodes().size())
                                    .put(
                                        "roundTripMs", (System.nanoTime() - started) / 1_000_000))))
                .onFailure(
                    e ->
                        p.tryComplete(
                            Status.KO(
                                new JsonObject()
                                    .put("error", "no cluster round trip: " + e.getMessage()))));
          });
    }
    return checks;
  }

  private Readiness() {}
}
