package io.taskbus.api;

import io.vertx.core.Handler;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SqlClientInternal;

/**
 * Sends several statements on one connection in one write: vertx-sql-client 5.0's experimental
 * grouping, reachable only through its internal {@code SqlClientInternal}. This class is the one
 * use of it, so an upgrade that changes it breaks here, and {@code UserDbTest} pins what taskbus
 * relies on against a real PostgreSQL: the statements run in order on the one connection, a failed
 * one fails the read, row-level security holds, and nothing stays on the connection.
 */
final class StatementGroup {

  static void send(SqlConnection conn, Handler<SqlClient> statements) {
    ((SqlClientInternal) conn).group(statements);
  }

  private StatementGroup() {}
}
