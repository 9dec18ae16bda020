package io.taskbus.contracts.spi;

/**
 * Embedded PostgreSQL and Kafka for the developer default and for tests. The launcher finds an
 * implementation through {@link java.util.ServiceLoader} only when neither a PostgreSQL URL nor
 * Kafka bootstrap servers are configured, so production images can leave it out entirely.
 */
public interface EmbeddedInfrastructure extends AutoCloseable {

  /** Starts both servers on free loopback ports; blocking, call it off the event loop. */
  void start(java.nio.file.Path dataDir) throws Exception;

  /** {@code postgresql://user:password@127.0.0.1:port/database} (vertx-pg-client URI form). */
  String postgresUri();

  /** {@code host:port} of the broker's PLAINTEXT listener. */
  String kafkaBootstrapServers();

  @Override
  void close();
}
