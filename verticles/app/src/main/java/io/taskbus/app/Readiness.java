package io.taskbus.app;

import io.taskbus.bridge.BridgeRoutes;
import io.taskbus.contracts.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Set;

/**
 * What {@code /health/ready} checks, and {@code /health} details: PostgreSQL, the cluster, and one
 * check per role with state of its own that this process runs. {@code kafka} (broker, relay,
 * subscriptions) is down when the broker does not answer, the relay fails or a subscription is
 * stalled; {@code recurrence} (timers), {@code notification} (courier, SMTP) and {@code bridge}
 * (connections) only report.
 */
final class Readiness {

  static HealthChecks create(
      Vertx vertx, Pool pool, Set<String> roles, HazelcastClusterManager cluster) {
    HealthChecks checks = HealthChecks.create(vertx);
    // a database that does not answer (a network partition) is down, 503, before the check's own
    // timeout, which would answer 500 as if the check itself had broken
    checks.register(
        "postgres",
        3_000,
        p -> {
          long unanswered =
              vertx.setTimer(
                  2_500,
                  id ->
                      p.tryComplete(
                          Status.KO(new JsonObject().put("error", "no answer in 2.5 s"))));
          pool.query("SELECT 1")
              .execute()
              .onComplete(ar -> vertx.cancelTimer(unanswered))
              .onSuccess(r -> p.tryComplete(Status.OK()))
              .onFailure(
                  e -> p.tryComplete(Status.KO(new JsonObject().put("error", e.getMessage()))));
        });
    // the kafka side asks the broker (5 s bound); the others answer from what they keep
    if (roles.contains("kafka")) {
      registerRole(vertx, checks, "kafka", 6_000);
    }
    for (String role : List.of("recurrence", "notification")) {
      if (roles.contains(role)) {
        registerRole(vertx, checks, role, 3_000);
      }
    }
    if (roles.contains("bridge")) {
      checks.register(
          "bridge",
          p ->
              p.complete(
                  Status.OK(new JsonObject().put("connections", BridgeRoutes.connections()))));
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

  /**
   * The role's verticle answers at {@link Addresses#health} with {@code ok} and its detail, which
   * becomes the check's data: UP when ok.
   */
  private static void registerRole(Vertx vertx, HealthChecks checks, String role, long timeoutMs) {
    checks.register(
        role,
        timeoutMs,
        p ->
            vertx
                .eventBus()
                .<JsonObject>request(
                    Addresses.health(role),
                    null,
                    new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeoutMs - 500))
                .onSuccess(
                    m -> {
                      JsonObject detail = m.body().copy();
                      boolean ok = Boolean.TRUE.equals(detail.remove("ok"));
                      p.tryComplete(ok ? Status.OK(detail) : Status.KO(detail));
                    })
                .onFailure(
                    e -> p.tryComplete(Status.KO(new JsonObject().put("error", e.getMessage())))));
  }

  private Readiness() {}
}
