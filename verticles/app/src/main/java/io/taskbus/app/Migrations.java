package io.taskbus.app;

import org.flywaydb.core.Flyway;

/** Flyway migrations from {@code db/migration}; blocking JDBC, so never on an event loop. */
final class Migrations {

  static void run(PostgresConnection pg) {
    try {
      Flyway.configure()
          .dataSource(pg.jdbcUrl(), pg.options.getUser(), pg.options.getPassword())
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      String verification = pg.verificationFailure(e);
      if (verification != null) {
        throw new IllegalStateException(verification, e);
      }
      throw e;
    }
  }

  private Migrations() {}
}
