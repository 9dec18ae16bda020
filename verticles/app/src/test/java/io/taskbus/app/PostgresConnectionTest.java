package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PostgresConnectionTest {

  @Test
  void verifyFullTrustsTheRootCertAndChecksTheHostName() throws Exception {
    Path ca = Files.createTempFile("ca", ".pem");
    PostgresConnection pg =
        PostgresConnection.of(
            "postgresql://u:p@db.example:5433/tasks?sslmode=verify-full&sslrootcert=" + ca);
    assertEquals(
        java.util.List.of(ca.toString()),
        ((PemTrustOptions) pg.options.getSslOptions().getTrustOptions()).getCertPaths());
    assertEquals("HTTPS", pg.options.getSslOptions().getHostnameVerificationAlgorithm());
    assertEquals(
        "jdbc:postgresql://db.example:5433/tasks?sslmode=verify-full&sslrootcert="
            + java.net.URLEncoder.encode(ca.toString(), java.nio.charset.StandardCharsets.UTF_8),
        pg.jdbcUrl());
  }

  @Test
  void withoutSslmodeBothSidesConnectInPlaintext() {
    PostgresConnection pg = PostgresConnection.of("postgresql://u:p@127.0.0.1:5432/tasks");
    assertEquals("jdbc:postgresql://127.0.0.1:5432/tasks?sslmode=disable", pg.jdbcUrl());
    assertNull(pg.verificationFailure(new RuntimeException("connection refused")));
  }

  @Test
  void verificationWithoutACaOrWithAMissingOneIsRefused() {
    IllegalArgumentException noCa =
        assertThrows(
            IllegalArgumentException.class,
            () -> PostgresConnection.of("postgresql://u:p@h:5432/d?sslmode=verify-ca"));
    assertTrue(noCa.getMessage().contains("sslrootcert"), noCa.getMessage());
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PostgresConnection.of(
                    "postgresql://u:p@h:5432/d?sslmode=verify-full&sslrootcert=/nonexistent.pem"));
    assertTrue(missing.getMessage().contains("/nonexistent.pem"), missing.getMessage());
  }
}
