package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.devstack.EmbeddedPostgresServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * taskbus on a PostgreSQL that accepts only TLS connections (its pg_hba.conf has nothing but {@code
 * hostssl}), with a server certificate for 127.0.0.1 signed by a CA this test makes: with {@code
 * sslmode=verify-full} and that CA every connection (Flyway's, the pools', the relay's) is
 * encrypted and verified, and with a CA that did not sign the certificate, or under a host name the
 * certificate does not carry, the process refuses to start and says why.
 */
class PostgresTlsIT {

  /** The certificates and the server's data; JUnit deletes it after the class's tests. */
  @TempDir static Path dir;

  private static Path serverCa;
  private static Path otherCa;
  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startServer() throws Exception {
    TestCertificates certificates = new TestCertificates(dir);
    serverCa = certificates.authority("pg-ca");
    otherCa = certificates.authority("other-ca");
    TestCertificates.Issued cert =
        certificates.issue("pg-server", "pg-ca", "ip:127.0.0.1"); // not localhost
    Path hba = dir.resolve("pg_hba.conf");
    Files.writeString(hba, "hostssl all all 127.0.0.1/32 scram-sha-256\n");
    server =
        new EmbeddedPostgresServer(
            dir.resolve("postgres"),
            Map.of(
                "ssl", "on",
                "ssl_cert_file", cert.cert().toString(),
                "ssl_key_file", cert.key().toString(),
                "hba_file", hba.toString()));
    server.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void tasksAreWrittenAndReadOverVerifiedTls() throws Exception {
    String url = server.uri() + "?sslmode=verify-full&sslrootcert=" + serverCa;
    String user = TestSystem.uniqueUser("pg-tls");
    try (TestSystem system = TestSystem.start("api,kafka", Map.of("TASKBUS_PG_URL", url))) {
      JsonObject task = system.createTask(user, "over TLS");
      HttpResponse<String> read = system.get("/api/v1/tasks/" + task.getString("id"), user);
      assertEquals(200, read.statusCode(), read.body());
      assertEquals("over TLS", new JsonObject(read.body()).getString("title"));
      try (EventLog events = new EventLog()) {
        // the relay read the outbox over its own connection and sent the event
        assertEquals(
            task.getString("id"),
            events
                .checkedEventsOfUser(user, 1, Duration.ofSeconds(30))
                .get(0)
                .getString("subject"));
      }

      try (Connection c = jdbc(url)) {
        // the server takes nothing but TLS, so the schema Flyway made came over TLS too
        assertTrue(count(c, "SELECT count(*) FROM flyway_schema_history WHERE success") > 0);
        List<String> connections = new ArrayList<>();
        try (ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT a.pid, s.ssl, s.version,"
                        + " EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid"
                        + " AND l.locktype = 'advisory' AND l.granted) AS relay"
                        + " FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)"
                        + " WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()")) {
          boolean relay = false;
          while (rs.next()) {
            connections.add(rs.getInt(1) + " ssl=" + rs.getBoolean(2) + " " + rs.getString(3));
            assertTrue(rs.getBoolean(2), "every connection of taskbus is TLS: " + connections);
            relay |= rs.getBoolean(4);
          }
          assertTrue(relay, "the relay's connection (it holds the lock) is among them");
          assertTrue(connections.size() >= 2, "the api's pool and the relay: " + connections);
        }
      }
    }
  }

  @Test
  void aCertificateTheConfiguredCaDidNotSignStopsTheStart() {
    String url = server.uri() + "?sslmode=verify-full&sslrootcert=" + otherCa;
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> TestSystem.start("api,kafka", Map.of("TASKBUS_PG_URL", url)).close());
    assertTrue(
        refused.getMessage().startsWith("PostgreSQL's certificate failed verification"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("sslrootcert=" + otherCa), refused.getMessage());
  }

  @Test
  void verifyFullAlsoChecksTheHostName() throws Exception {
    // the same server as "localhost", a name its certificate does not carry
    String asLocalhost = server.uri().replace("@127.0.0.1:", "@localhost:");
    String full = asLocalhost + "?sslmode=verify-full&sslrootcert=" + serverCa;
    RuntimeException refused =
        assertThrows(
            RuntimeException.class,
            () -> TestSystem.start("api", Map.of("TASKBUS_PG_URL", full)).close());
    assertTrue(
        causes(refused).contains("hostname localhost could not be verified"), causes(refused));
    // verify-ca checks the CA only, so the name was all that failed
    String caOnly = asLocalhost + "?sslmode=verify-ca&sslrootcert=" + serverCa;
    try (TestSystem system = TestSystem.start("api", Map.of("TASKBUS_PG_URL", caOnly))) {
      String user = TestSystem.uniqueUser("pg-verify-ca");
      assertEquals(200, system.get("/api/v1/tasks", user).statusCode());
    }
  }

  @Test
  void theServerRefusesConnectionsWithoutTls() {
    // what makes the first test's proof: a taskbus that does not ask for TLS gets nowhere
    RuntimeException refused =
        assertThrows(
            RuntimeException.class,
            () -> TestSystem.start("api", Map.of("TASKBUS_PG_URL", server.uri())).close());
    assertTrue(String.valueOf(causes(refused)).contains("no encryption"), causes(refused));
    assertFalse(String.valueOf(causes(refused)).contains("certificate failed verification"));
  }

  private static String causes(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append('\n');
    }
    return text.toString();
  }

  private static Connection jdbc(String url) throws Exception {
    PostgresConnection pg = PostgresConnection.of(url);
    return DriverManager.getConnection(
        pg.jdbcUrl(), pg.options.getUser(), pg.options.getPassword());
  }

  private static long count(Connection c, String sql) throws Exception {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
