package io.taskbus.app;

import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;

/** Flyway migrations from {@code db/migration}; blocking JDBC, so never on an event loop. */
final class Migrations {

  static void run(PgConnectOptions pg) {
    String url = "jdbc:postgresql://" + pg.getHost() + ":" + pg.getPort() + "/" + pg.getDatabase();
    Flyway.configure()
        .dataSource(url, pg.getUser(), pg.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  private Migrations() {}
}
