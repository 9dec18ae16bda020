package io.taskbus.api;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

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

  private static final String SCOPE = "SELECT set_config('role', 'taskbus_user', true),"
      + " set_config('taskbus.user', $1, true),"
      + " set_config('plan_cache_mode', 'force_custom_plan', true)";

  private final Pool pool;

  UserDb(Pool pool) {
    this.pool = pool;
  }

  <T> Future<T> tx(String user, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(conn -> conn.preparedQuery(SCOPE).execute(Tuple.of(user))
        .compose(scoped -> work.apply(conn)));
  }
}
