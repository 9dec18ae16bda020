package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.devstack.DevStack;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link UserDb#read}, the pipelined read, against real PostgreSQL with row-level security as the
 * migrations set it up: the caller's scope holds for the statement, and whatever the statement
 * does, the one pooled connection comes back outside any transaction and without the caller's
 * settings.
 */
class UserDbTest {

  private static Vertx vertx;
  private static Pool pool;
  private static UserDb db;

  @BeforeAll
  static void createNotes() throws Exception {
    vertx = Vertx.vertx();
    // one connection: every statement of the test meets what the one before left on it
    pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(1))
            .connectingTo(
                PgConnectOptions.fromUri(DevStack.shared().postgresUri())
                    .setPipeliningLimit(256)
                    .setCachePreparedStatements(true))
            .using(vertx)
            .build();
    db = new UserDb(pool);
    await(
        pool.query(
                """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'taskbus_user') THEN
            CREATE ROLE taskbus_user NOLOGIN;
          END IF;
        END $$""")
            .execute());
    await(pool.query("DROP SCHEMA IF EXISTS userdbtest CASCADE").execute());
    await(pool.query("CREATE SCHEMA userdbtest").execute());
    await(
        pool.query("CREATE TABLE userdbtest.notes (user_id text NOT NULL, body text NOT NULL)")
            .execute());
    await(pool.query("ALTER TABLE userdbtest.notes ENABLE ROW LEVEL SECURITY").execute());
    await(
        pool.query(
                "CREATE POLICY own ON userdbtest.notes TO taskbus_user"
                    + " USING (user_id = current_setting('taskbus.user'))")
            .execute());
    await(pool.query("GRANT USAGE ON SCHEMA userdbtest TO taskbus_user").execute());
    await(pool.query("GRANT SELECT, INSERT ON userdbtest.notes TO taskbus_user").execute());
    await(
        pool.query(
                "INSERT INTO userdbtest.notes VALUES ('alice', 'a1'), ('alice', 'a2'),"
                    + " ('bob', 'b1')")
            .execute());
  }

  @AfterAll
  static void dropNotes() throws Exception {
    if (pool != null) {
      await(pool.query("DROP SCHEMA userdbtest CASCADE").execute());
      await(pool.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void aStatementWithoutAUserConditionSeesOnlyTheCallersRows() throws Exception {
    assertEquals(List.of("a1", "a2"), bodies(db.read("alice", ALL_NOTES, Tuple.tuple())));
    assertEquals(List.of("b1"), bodies(db.read("bob", ALL_NOTES, Tuple.tuple())));
    assertEquals(List.of(), bodies(db.read("carol", ALL_NOTES, Tuple.tuple())));
    assertClean();
  }

  @Test
  void aFailedStatementFailsTheReadAndLeavesNothingOnTheConnection() throws Exception {
    ExecutionException failed = assertFailsWith(db.read("alice", "SELECT 1 / 0", Tuple.tuple()));
    assertTrue(failed.getCause().getMessage().contains("division by zero"), failed::toString);
    assertClean();
    // and the next read on the same connection works as if nothing had happened
    assertEquals(List.of("b1"), bodies(db.read("bob", ALL_NOTES, Tuple.tuple())));
    assertClean();
  }

  @Test
  void aReadCannotWrite() throws Exception {
    ExecutionException failed =
        assertFailsWith(
            db.read(
                "alice",
                "INSERT INTO userdbtest.notes VALUES ('alice', 'sneaked in') RETURNING body",
                Tuple.tuple()));
    assertTrue(failed.getCause().getMessage().contains("read-only transaction"), failed::toString);
    assertClean();
    assertEquals(List.of("a1", "a2"), bodies(db.read("alice", ALL_NOTES, Tuple.tuple())));
  }

  private static final String ALL_NOTES = "SELECT body FROM userdbtest.notes ORDER BY body";

  /** The connection is the pool's own login again, outside a transaction, no caller set. */
  private static void assertClean() throws Exception {
    Row row =
        await(
                pool.query(
                        "SELECT current_user = session_user,"
                            + " current_setting('taskbus.user', true), now() = statement_timestamp()")
                    .execute())
            .iterator()
            .next();
    assertTrue(row.getBoolean(0), "the role taskbus_user is still set on the connection");
    String caller = row.getString(1);
    assertTrue(
        caller == null || caller.isEmpty(), "taskbus.user left on the connection: " + caller);
    assertTrue(row.getBoolean(2), "the connection is still inside an earlier transaction");
  }

  private static List<String> bodies(Future<? extends Iterable<Row>> rows) throws Exception {
    List<String> bodies = new ArrayList<>();
    await(rows).forEach(row -> bodies.add(row.getString(0)));
    return bodies;
  }

  private static ExecutionException assertFailsWith(Future<?> future) {
    try {
      await(future);
    } catch (ExecutionException expected) {
      return expected;
    } catch (Exception other) {
      throw new AssertionError(other);
    }
    throw new AssertionError("the read succeeded");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
