package io.taskbus.app;

import io.taskbus.contracts.ConfigValues;
import io.taskbus.contracts.DeadPeers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One bounded PostgreSQL pool per role of the process: the api's ({@code pg.poolSize}, also used by
 * readiness), and one of {@code pg.workerPoolSize} for each of audit, recurrence and notification.
 * A backlog in one (a burst of due reminders, an audit catching up) then queues in its own pool,
 * and the API's requests keep their connections. Each pool is named after its role in the {@code
 * vertx_pool_*} metrics.
 */
final class Pools {

  static final String API = "api";

  private final Map<String, Pool> pools = new LinkedHashMap<>();
  private final Vertx vertx;
  private final PgConnectOptions connect;
  private final JsonObject pg;

  Pools(Vertx vertx, PgConnectOptions connect, JsonObject pg) {
    this.vertx = vertx;
    this.connect = connect.setPipeliningLimit(256).setCachePreparedStatements(true);
    this.pg = pg;
  }

  /** The pool of a role, made on first use; the api's for every other role. */
  Pool of(String role) {
    String name =
        switch (role) {
          case "audit", "recurrence", "notification" -> role;
          default -> API;
        };
    return pools.computeIfAbsent(name, this::create);
  }

  private Pool create(String role) {
    int size = ConfigValues.integer(pg, API.equals(role) ? "poolSize" : "workerPoolSize");
    return PgBuilder.pool()
        .with(
            new PoolOptions()
                .setMaxSize(size)
                .setMaxWaitQueueSize(ConfigValues.integer(pg, "maxWaitQueue"))
                .setConnectionTimeout(ConfigValues.integer(pg, "connectionTimeoutMs"))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setName("taskbus-" + role))
        .withConnectHandler(
            conn -> {
              DeadPeers.detect(conn, connect);
              conn.close(); // hands it to the pool
            })
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  Future<Void> close() {
    return Future.join(pools.values().stream().map(Pool::close).toList()).mapEmpty();
  }
}
