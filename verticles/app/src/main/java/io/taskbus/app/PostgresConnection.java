package io.taskbus.app;

import io.taskbus.contracts.ConfigValues;
import io.taskbus.contracts.DeadPeers;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How every connection to PostgreSQL is made, from {@code pg.url} alone: the pools, the relay's own
 * connection and Flyway's JDBC connection get the same server, credentials and TLS settings. TLS
 * takes libpq's URL parameters: {@code sslmode} (Vert.x reads it itself) and {@code sslrootcert},
 * the CA certificate (PEM) that {@code verify-ca} and {@code verify-full} check the server's
 * certificate against, which Vert.x's URL parser ignores.
 */
final class PostgresConnection {

  final PgConnectOptions options;
  private final String rootCert;

  private PostgresConnection(PgConnectOptions options, String rootCert) {
    this.options = options;
    this.rootCert = rootCert;
  }

  /** From the {@code pg} section: its url, and how soon a silent server counts as gone. */
  static PostgresConnection of(JsonObject pg) {
    PostgresConnection connection = of(ConfigValues.string(pg, "url"));
    connection.detectDeadPeers(ConfigValues.integer(pg, "deadPeerMs"));
    return connection;
  }

  static PostgresConnection of(String url) {
    PgConnectOptions options = PgConnectOptions.fromUri(url);
    String rootCert = parameter(url, "sslrootcert");
    SslMode mode = options.getSslMode();
    boolean verify = mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
    if (verify) {
      if (rootCert == null || rootCert.isBlank()) {
        throw new IllegalArgumentException(
            "pg.url has sslmode="
                + mode.value
                + " but no sslrootcert=<path of the CA certificate (PEM)> to verify the server's"
                + " certificate with");
      }
      if (!Files.isReadable(Path.of(rootCert))) {
        throw new IllegalArgumentException(
            "pg.url's sslrootcert " + rootCert + " is not a readable file");
      }
      ClientSSLOptions ssl =
          options.getSslOptions() == null ? new ClientSSLOptions() : options.getSslOptions();
      ssl.setTrustOptions(new PemTrustOptions().addCertPath(rootCert));
      // verify-full also checks that the certificate names the host of pg.url
      ssl.setHostnameVerificationAlgorithm(mode == SslMode.VERIFY_FULL ? "HTTPS" : "");
      options.setSslOptions(ssl);
    }
    return new PostgresConnection(options, verify ? rootCert : null);
  }

  /**
   * A partition (nothing refused or reset, the other side just silent) otherwise holds a connection
   * for the kernel's retransmission timeout, a quarter of an hour: every query on it waits that
   * long, and a relay's leader lock stays taken. Both ends give up after about {@code ms}: the
   * server through keepalive probes and the same timeout for its backend, asked for here at
   * connect, so a cut-off relay's session and advisory lock end and another relay takes over; this
   * side through {@link DeadPeers}, which reads the timeout from the same property.
   */
  private void detectDeadPeers(int ms) {
    int idleSeconds = Math.max(1, ms / 2000);
    int intervalSeconds = Math.max(1, ms / 4000);
    int probes = Math.max(1, (ms / 1000 - idleSeconds) / intervalSeconds);
    options.addProperty("tcp_keepalives_idle", Integer.toString(idleSeconds));
    options.addProperty("tcp_keepalives_interval", Integer.toString(intervalSeconds));
    options.addProperty("tcp_keepalives_count", Integer.toString(probes));
    options.addProperty(DeadPeers.TIMEOUT_PROPERTY, Integer.toString(ms));
  }

  /** The same server and TLS settings for the PostgreSQL JDBC driver (pgjdbc names them alike). */
  String jdbcUrl() {
    StringBuilder url =
        new StringBuilder("jdbc:postgresql://")
            .append(options.getHost())
            .append(':')
            .append(options.getPort())
            .append('/')
            .append(options.getDatabase())
            .append("?sslmode=")
            .append(options.getSslMode().value);
    if (rootCert != null) {
      url.append("&sslrootcert=").append(URLEncoder.encode(rootCert, StandardCharsets.UTF_8));
    }
    return url.toString();
  }

  /** What a failure to connect says when it is the server's certificate that failed. */
  String verificationFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException
          || t instanceof java.security.cert.CertificateException) {
        return "PostgreSQL's certificate failed verification (sslmode="
            + options.getSslMode().value
            + (rootCert == null ? "" : ", sslrootcert=" + rootCert)
            + "): "
            + t.getMessage();
      }
    }
    return null;
  }

  private static String parameter(String url, String name) {
    int query = url.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : url.substring(query + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
