package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.DeadPeers;
import io.taskbus.devstack.DevStack;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins what {@link DeadPeers} takes from vertx-sql-client's internals: on the epoll transport,
 * every pooled connection and the relay's own connection get the dead-peer timeout on their socket.
 * An upgrade that moves the socket out of reach fails here, not in a partition.
 */
class DeadPeersTest {

  private static Vertx vertx;
  private static PostgresConnection postgres;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    postgres =
        PostgresConnection.of(
            new JsonObject().put("url", DevStack.shared().postgresUri()).put("deadPeerMs", 4000));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theTransportIsEpoll() {
    assertTrue(vertx.isNativeTransportEnabled(), "the JVM runs taskbus on epoll here");
  }

  @Test
  void aPooledConnectionsSocketTakesTheTimeout() throws Exception {
    Pools pools =
        new Pools(
            vertx,
            postgres.options,
            new JsonObject()
                .put("poolSize", 1)
                .put("workerPoolSize", 1)
                .put("maxWaitQueue", 1)
                .put("connectionTimeoutMs", 5000));
    Pool pool = pools.of("api");
    SqlConnection conn = await(pool.getConnection());
    try {
      assertTrue(DeadPeers.detect(conn, postgres.options));
    } finally {
      await(conn.close());
      await(pools.close());
    }
  }

  @Test
  void aSingleConnectionsSocketTakesTheTimeout() throws Exception {
    PgConnection conn = await(PgConnection.connect(vertx, postgres.options));
    try {
      assertTrue(DeadPeers.detect(conn, postgres.options));
    } finally {
      await(conn.close());
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
