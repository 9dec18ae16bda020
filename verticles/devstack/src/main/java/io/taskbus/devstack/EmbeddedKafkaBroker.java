package io.taskbus.devstack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, broker and controller in one) running inside this JVM, with its log
 * directory kept between runs and its client port kept across {@link #stop()}/{@link #start()}.
 * Clients reach it on a PLAINTEXT listener; a test may add one listener of another kind ({@link
 * #withListener}), e.g. SASL_SSL with certificates of its own.
 */
public final class EmbeddedKafkaBroker {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final long READY_TIMEOUT_MS = 30_000;

  private final Path logDir;
  private int clientPort;
  private int controllerPort;
  private KafkaRaftServer server;

  /** The listener added by {@link #withListener}, or null. */
  private String extraListener;

  private String extraProtocol;
  private Map<String, String> extraSettings = Map.of();
  private int extraPort;

  public EmbeddedKafkaBroker(Path logDir) {
    this.logDir = logDir.toAbsolutePath();
  }

  /**
   * Adds a listener beside PLAINTEXT, on a port of its own, before the first {@link #start()}.
   *
   * @param name the listener's name, e.g. {@code SECURE}
   * @param securityProtocol {@code SSL}, {@code SASL_SSL} or {@code SASL_PLAINTEXT}
   * @param settings broker properties, typically the listener's own ({@code
   *     listener.name.secure.ssl.keystore.location}, {@code sasl.enabled.mechanisms}, ...)
   */
  public synchronized EmbeddedKafkaBroker withListener(
      String name, String securityProtocol, Map<String, String> settings) {
    if (controllerPort != 0) {
      throw new IllegalStateException("add listeners before the broker's first start");
    }
    extraListener = name;
    extraProtocol = securityProtocol;
    extraSettings = Map.copyOf(settings);
    return this;
  }

  /**
   * The PLAINTEXT listener's port, before the first {@link #start()}: its address is known (and can
   * be handed to a client) while nothing listens there yet.
   */
  public synchronized EmbeddedKafkaBroker onPort(int port) {
    if (controllerPort != 0) {
      throw new IllegalStateException("choose the port before the broker's first start");
    }
    clientPort = port;
    return this;
  }

  public synchronized void start() throws Exception {
    if (server != null) {
      return;
    }
    if (clientPort == 0) {
      clientPort = FreePort.pick();
    }
    if (controllerPort == 0) {
      controllerPort = FreePort.pick();
      if (extraListener != null) {
        extraPort = FreePort.pick();
      }
    }
    KafkaConfig config = new KafkaConfig(settings(), false);
    formatOnFirstUse(config);
    KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      starting.startup();
      awaitServing();
    } catch (Exception | Error e) {
      shutdown(starting);
      throw e;
    }
    server = starting;
    LOG.info("embedded Kafka on {}, data in {}", bootstrapServers(), logDir);
  }

  public synchronized void stop() {
    if (server == null) {
      return;
    }
    KafkaRaftServer stopping = server;
    server = null;
    shutdown(stopping);
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** The PLAINTEXT listener's address. */
  public synchronized String bootstrapServers() {
    if (clientPort == 0) {
      throw new IllegalStateException("Kafka has not been started");
    }
    return "127.0.0.1:" + clientPort;
  }

  /** The address of the listener added by {@link #withListener}. */
  public synchronized String listenerAddress() {
    if (extraPort == 0) {
      throw new IllegalStateException("no listener was added, or Kafka has not been started");
    }
    return "127.0.0.1:" + extraPort;
  }

  private Properties settings() {
    Properties p = new Properties();
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("process.roles", "broker,controller");
    String extra = extraListener == null ? "" : "," + extraListener + "://127.0.0.1:" + extraPort;
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + clientPort
            + extra
            + ","
            + CONTROLLER_LISTENER
            + "://127.0.0.1:"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort + extra);
    p.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,"
            + CONTROLLER_LISTENER
            + ":PLAINTEXT"
            + (extraListener == null ? "" : "," + extraListener + ":" + extraProtocol));
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    // a static quorum of one: the voter's address comes from here on every start, so the controller
    // port may differ between runs on the same data
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "6");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("auto.create.topics.enable", "true");
    // nobody else will join: do not make the first consumer wait 3 s for them
    p.put("group.initial.rebalance.delay.ms", "0");
    // after a JVM crash the controller rejects our own re-registration as a duplicate until the
    // dead incarnation's session expires: 9 s by default, 3 s here (heartbeats are in-process
    // anyway)
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "3000");
    // the cleaner allocates its dedupe buffer up front, 128 MiB of our heap by default
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    p.putAll(extraSettings);
    return p;
  }

  private void formatOnFirstUse(KafkaConfig config) throws Exception {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Files.createDirectories(logDir);
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    new Formatter()
        .setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8))
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setControllerListenerName(CONTROLLER_LISTENER)
        .setMetadataLogDirectory(config.metadataLogDir())
        .setDirectories(List.of(logDir.toString()))
        .run();
    LOG.debug("formatted Kafka storage: {}", output.toString(StandardCharsets.UTF_8).strip());
  }

  private void awaitServing() throws Exception {
    Map<String, Object> settings =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.CLIENT_ID_CONFIG,
            "taskbus-devstack-readiness");
    try (Admin admin = Admin.create(settings)) {
      Collection<Node> nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) READY_TIMEOUT_MS))
              .nodes()
              .get(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      if (nodes.isEmpty()) {
        throw new IllegalStateException(
            "embedded Kafka on " + bootstrapServers() + " reports no broker");
      }
    }
  }

  private void shutdown(KafkaRaftServer raftServer) {
    try {
      raftServer.shutdown();
      raftServer.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("stopping embedded Kafka on {} failed", bootstrapServers(), e);
    }
  }
}
