package io.taskbus.api;

import io.taskbus.contracts.Outage;
import io.taskbus.contracts.Tracing;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Every API transaction runs as the role {@code taskbus_user} with {@code taskbus.user} set to the
 * caller, so PostgreSQL's row-level security hides and protects every other user's rows even if a
 * query forgot its {@code user_id} condition. Both settings are transaction-local: a pooled
 * connection never carries one user's identity into another's request.
 *
 * <p>Custom plans are forced: statements are prepared once per connection, and after five runs
 * PostgreSQL may switch to a generic plan that assumes an average user; for a user with 100 000
 * tasks that plan was 300 times slower (perf/README.md, the search scenario).
 */
final class UserDb {

  private static final String SCOPE =
      "SELECT set_config('role', 'taskbus_user', true),"
          + " set_config('taskbus.user', $1, true),"
          + " set_config('plan_cache_mode', 'force_custom_plan', true)";

  /**
   * A writing transaction also names the trace of the request: the outbox rows it writes take it as
   * their {@code traceparent} (the column's default), and the relay carries it into Kafka.
   */
  private static final String WRITE_SCOPE =
      "SELECT set_config('role', 'taskbus_user', true),"
          + " set_config('taskbus.user', $1, true),"
          + " set_config('taskbus.traceparent', $2, true),"
          + " set_config('plan_cache_mode', 'force_custom_plan', true)";

  private static final String BEGIN_READ_ONLY = "BEGIN READ ONLY";
  private static final String COMMIT = "COMMIT";
  private static final long READ_GIVE_UP_SECONDS = 30;

  /**
   * One per process, like the database it watches: every verticle instance's requests feed the same
   * two log lines of an outage.
   */
  private static final Outage DATABASE =
      new Outage(LoggerFactory.getLogger(UserDb.class), "PostgreSQL", "requests failed (503)");

  private final Pool pool;

  UserDb(Pool pool) {
    this.pool = pool;
  }

  <T> Future<T> tx(String user, Function<SqlConnection, Future<T>> work) {
    String traceparent = Tracing.currentTraceparent();
    return DATABASE.watch(
        pool.withTransaction(
            conn ->
                conn.preparedQuery(WRITE_SCOPE)
                    .execute(Tuple.of(user, traceparent))
                    .compose(scoped -> work.apply(conn))));
  }

  /**
   * One read-only statement in the caller's scope, in one round trip: {@code BEGIN READ ONLY}, the
   * scope, the statement and {@code COMMIT} go out in one write, where {@link #tx} waits for each
   * answer before sending the next. A list page costs the app and the database about a fifth less
   * CPU and three round trips less latency (perf/README.md, the search scenario).
   *
   * <p>All four are sent before any answer is read, so the connection goes back to the pool only
   * after its {@code COMMIT} (a {@code ROLLBACK} once a statement failed): it never carries a
   * transaction or this user's settings into another request. The rows count only if {@code BEGIN}
   * and the scope succeeded: had {@code BEGIN} failed, the scope would have ended with its own
   * statement and the SELECT run unscoped, so its rows are never handed out then.
   */
  Future<RowSet<Row>> read(String user, String sql, Tuple params) {
    return DATABASE.watch(scopedRead(user, sql, params));
  }

  private Future<RowSet<Row>> scopedRead(String user, String sql, Tuple params) {
    return pool.withConnection(
        conn -> {
          List<Future<RowSet<Row>>> steps = new ArrayList<>(4);
          // one write: sent one by one, each statement costs a system call here and a TCP segment
          // and a wake-up in the database (vertx-sql-client 5.0's experimental grouping; its
          // vertx_sql_* metrics do not count grouped statements, the HTTP metrics time these
          // requests)
          StatementGroup.send(
              conn,
              batch -> {
                steps.add(batch.preparedQuery(BEGIN_READ_ONLY).execute());
                steps.add(batch.preparedQuery(SCOPE).execute(Tuple.of(user)));
                steps.add(batch.preparedQuery(sql).execute(params));
                steps.add(batch.preparedQuery(COMMIT).execute());
              });
          return Future.join(steps)
              // a group that reaches a connection closed in the meantime is dropped without failing
              // its statements (5.0.8): give up (503) rather than hold the request and the
              // connection
              .timeout(READ_GIVE_UP_SECONDS, TimeUnit.SECONDS)
              .transform(
                  all -> {
                    for (Future<RowSet<Row>> step : steps) {
                      if (step.failed()) {
                        return Future.failedFuture(step.cause());
                      }
                    }
                    return all.failed() ? Future.failedFuture(all.cause()) : steps.get(2);
                  });
        });
  }
}
