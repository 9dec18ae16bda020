package io.taskbus.app;

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
