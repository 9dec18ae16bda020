package io.taskbus.devstack;

import io.taskbus.contracts.spi.EmbeddedInfrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded PostgreSQL and Kafka for the developer default and for tests.
 *
 * <p>Layout under the data directory: {@code postgres/} (the cluster), {@code postgres.password}
 * (its superuser password) and {@code kafka/} (the broker's log and metadata). Everything is kept
 * between runs, so a developer's tasks and events survive a restart.
 *
 * <p>Tests share one instance per JVM through {@link #shared()}; fault-injection tests stop and
 * start either server, which comes back on the same port with the same data.
 */
public final class DevStack implements EmbeddedInfrastructure {

  /**
   * System property: directory of the {@link #shared()} instance; wiped when the JVM first uses it.
   */
  public static final String SHARED_DIR_PROPERTY = "taskbus.devstack.dir";

  private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);
  private static DevStack shared;

  private EmbeddedPostgresServer postgres;
  private EmbeddedKafkaBroker kafka;

  /** For {@link java.util.ServiceLoader}; call {@link #start(Path)} next. */
  public DevStack() {}

  /**
   * The one instance of this JVM, started on first use and closed by a shutdown hook. Its directory
   * is the system property {@value #SHARED_DIR_PROPERTY}, wiped first so every test run starts
   * empty, or else a fresh temporary directory that is deleted again at exit. Do not close it.
   */
  public static synchronized DevStack shared() {
    if (shared == null) {
      shared = startShared();
    }
    return shared;
  }

  @Override
  public synchronized void start(Path dataDir) throws Exception {
    if (postgres != null) {
      throw new IllegalStateException("already started");
    }
    Files.createDirectories(dataDir);
    postgres = new EmbeddedPostgresServer(dataDir.resolve("postgres"));
    kafka = new EmbeddedKafkaBroker(dataDir.resolve("kafka"));
    try {
      postgres.start();
      kafka.start();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /**
   * A PostgreSQL server alone, without Kafka, in a directory of its own: e.g. the empty server a
   * test restores a backup into. Close it when done.
   */
  public static DevStack postgresOnly(Path dataDir) throws IOException {
    DevStack stack = new DevStack();
    Files.createDirectories(dataDir);
    stack.postgres = new EmbeddedPostgresServer(dataDir.resolve("postgres"));
    try {
      stack.postgres.start();
    } catch (IOException | RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  @Override
  public String postgresUri() {
    return started().postgres.uri();
  }

  @Override
  public String kafkaBootstrapServers() {
    return kafka().bootstrapServers();
  }

  /** Stops the broker; {@link #kafkaBootstrapServers()} stays valid for {@link #startKafka()}. */
  public void stopKafka() {
    kafka().stop();
  }

  /** Starts the broker again on the same port with the same data; no-op while it runs. */
  public void startKafka() throws Exception {
    kafka().start();
  }

  /** Stops PostgreSQL; {@link #postgresUri()} stays valid for {@link #startPostgres()}. */
  public void stopPostgres() {
    started().postgres.stop();
  }

  /** Starts PostgreSQL again on the same port with the same data; no-op while it runs. */
  public void startPostgres() throws IOException {
    started().postgres.start();
  }

  /** Stops Kafka, then PostgreSQL; safe to call more than once and after a partial start. */
  @Override
  public synchronized void close() {
    if (kafka != null) {
      kafka.stop();
    }
    if (postgres != null) {
      postgres.stop();
    }
  }

  private synchronized DevStack started() {
    if (postgres == null) {
      throw new IllegalStateException("DevStack has not been started");
    }
    return this;
  }

  private synchronized EmbeddedKafkaBroker kafka() {
    if (started().kafka == null) {
      throw new IllegalStateException("this DevStack runs PostgreSQL only");
    }
    return kafka;
  }

  private static DevStack startShared() {
    String configured = System.getProperty(SHARED_DIR_PROPERTY);
    DevStack stack = new DevStack();
    try {
      Path dir;
      if (configured != null && !configured.isBlank()) {
        dir = Path.of(configured).toAbsolutePath();
        // a server left running by a killed test JVM would otherwise keep writing into the new tree
        Postmaster.stopLeftOver(dir.resolve("postgres"));
        Directories.delete(dir);
      } else {
        dir = Files.createTempDirectory("taskbus-devstack");
      }
      boolean temporary = configured == null || configured.isBlank();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stack.close();
                    if (temporary) {
                      deleteQuietly(dir);
                    }
                  },
                  "taskbus-devstack-shutdown"));
      stack.start(dir);
      return stack;
    } catch (Exception e) {
      stack.close();
      throw new IllegalStateException("could not start the shared DevStack", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      Directories.delete(dir);
    } catch (IOException e) {
      LOG.warn("could not delete {}", dir, e);
    }
  }
}
