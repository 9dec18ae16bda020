package io.taskbus.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL server (zonky's bundled binaries) on a fixed loopback port whose data directory
 * survives restarts.
 *
 * <p>Running as root: initdb and postgres refuse uid 0. zonky 2.2 already handles that itself: when
 * the JVM is root and {@code unshare -U} works, it starts initdb, pg_ctl and postgres inside a new
 * user namespace without uid mappings, where they see themselves as uid 65534 and the root-owned
 * files as their own. We only check up front that this route exists, so the failure names the cause
 * instead of initdb's "cannot be run as root".
 *
 * <p>{@link DevStack} runs one with the default settings; a test that needs a server set up
 * differently (TLS, say) starts one of its own with extra server settings.
 */
public final class EmbeddedPostgresServer {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  static final String USER = "postgres";
  static final String DATABASE = "postgres";

  private final Path dataDir;
  private final Path passwordFile;
  private final Map<String, String> settings;
  private int port;
  private String password;
  private EmbeddedPostgres server;

  /**
   * @param dataDir the cluster's data directory; its password is kept next to it
   */
  EmbeddedPostgresServer(Path dataDir) {
    this(dataDir, Map.of());
  }

  /**
   * @param dataDir the cluster's data directory; its password is kept next to it
   * @param settings server settings besides the defaults (postgres {@code -c name=value}), e.g.
   *     {@code ssl}, {@code ssl_cert_file}, {@code ssl_key_file}, {@code hba_file}
   */
  public EmbeddedPostgresServer(Path dataDir, Map<String, String> settings) {
    this.dataDir = dataDir.toAbsolutePath();
    this.passwordFile = this.dataDir.resolveSibling(this.dataDir.getFileName() + ".password");
    this.settings = Map.copyOf(settings);
  }

  public synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    checkRootCanRunPostgres();
    Postmaster.stopLeftOver(dataDir);
    boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
    if (fresh) {
      prepareFreshDirectory();
    } else {
      password = readPassword();
    }
    if (port == 0) {
      port = FreePort.pick();
    }
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            // zonky's default wipes the data directory on close; a developer's tasks must survive
            // it
            .setCleanDataDirectory(false)
            .setPort(port)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("listen_addresses", "127.0.0.1")
            // no Unix socket: it would bypass the password (and /tmp is shared between users)
            .setServerConfig("unix_socket_directories", "")
            .setServerConfig("max_connections", "200")
            .setConnectConfig("password", password);
    settings.forEach(builder::setServerConfig);
    if (fresh) {
      // zonky passes these "locale" entries straight to initdb as --key=value; its own "-A trust"
      // comes first and is overridden, so the superuser gets a password and SCRAM from the start
      builder
          .setLocaleConfig("pwfile", passwordFile.toString())
          .setLocaleConfig("auth", "scram-sha-256");
    }
    server = builder.start();
    LOG.info("embedded PostgreSQL on 127.0.0.1:{}, data in {}", port, dataDir);
  }

  /** Stops the server and waits until the postmaster has exited, so the port and data are free. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    EmbeddedPostgres stopping = server;
    server = null;
    try {
      stopping.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("stopping embedded PostgreSQL on port {} failed", port, e);
    }
    // zonky's own shutdown hook may be closing the same instance concurrently and return early
    Postmaster.awaitExit(dataDir, Duration.ofSeconds(30));
  }

  synchronized boolean isRunning() {
    return server != null;
  }

  /** {@code postgresql://user:password@127.0.0.1:port/database} */
  public synchronized String uri() {
    if (port == 0) {
      throw new IllegalStateException("PostgreSQL has not been started");
    }
    return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + DATABASE;
  }

  private void prepareFreshDirectory() throws IOException {
    if (Files.isDirectory(dataDir) && !isEmpty(dataDir)) {
      // no postgresql.conf means initdb never finished: nothing in here can be used, and initdb
      // refuses a non-empty directory
      LOG.warn("{} holds an unfinished initdb; starting it over", dataDir);
      Directories.delete(dataDir);
    }
    Files.createDirectories(dataDir.getParent());
    password = newPassword();
    Files.deleteIfExists(passwordFile);
    Files.createFile(
        passwordFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
  }

  private String readPassword() throws IOException {
    if (!Files.isReadable(passwordFile)) {
      throw new IllegalStateException(
          "the password of the PostgreSQL cluster in "
              + dataDir
              + " was kept in "
              + passwordFile
              + ", which is gone; delete "
              + dataDir
              + " to start with an empty database");
    }
    return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
  }

  private static String newPassword() {
    // alphanumerics only: the password goes verbatim into a URI
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    return random
        .ints(24, 0, alphabet.length())
        .mapToObj(i -> String.valueOf(alphabet.charAt(i)))
        .collect(Collectors.joining());
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static void checkRootCanRunPostgres() {
    if (isRoot() && !LinuxUtils.isUnshareAvailable()) {
      throw new IllegalStateException(
          "PostgreSQL refuses to run as root, and the way around it,"
              + " `unshare -U` (a user namespace), is not available here. Run as an ordinary user, allow"
              + " user namespaces (e.g. Docker's default seccomp profile blocks them), or configure an"
              + " external PostgreSQL URL.");
    }
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
