package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Topics;
import io.taskbus.devstack.EmbeddedKafkaBroker;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * taskbus against a Kafka that wants SASL_SSL with SCRAM-SHA-512: a broker of this test's own with
 * a certificate signed by a CA the test makes with the JDK's keytool, and users created through
 * Kafka's admin API. With the right password a create reaches the secured topic and the audit log;
 * with a wrong one the process stays up, unready, naming Kafka, and says once that authentication
 * failed.
 */
class KafkaSecurityIT {

  private static final String LISTENER = "SECURE";

  /** taskbus's user; its password has the characters a JAAS line must escape. */
  private static final String USER = "taskbus";

  private static final String PASSWORD = "right \"pass\\word\" " + UUID.randomUUID();

  /** The test's own reader, as another system reading the topic would be. */
  private static final String READER = "reader";

  private static final String READER_PASSWORD = "reader-" + UUID.randomUUID();

  /** Loggers of a taskbus process (the broker runs in this JVM, but logs as kafka.* there). */
  private static final List<String> TASKBUS_PROCESS =
      List.of("io.taskbus", "io.vertx", "io.netty", "org.apache.kafka.clients");

  private static Path dir;
  private static EmbeddedKafkaBroker broker;
  private static String caCertificate;

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    dir = Files.createTempDirectory(TestSystem.scratch(), "taskbus-kafka-security");
    String storePassword = UUID.randomUUID().toString();
    Path brokerStore = certificates(dir, storePassword);
    caCertificate = Files.readString(dir.resolve("ca.crt"), StandardCharsets.US_ASCII);
    String prefix = "listener.name." + LISTENER.toLowerCase(Locale.ROOT) + ".";
    broker =
        new EmbeddedKafkaBroker(dir.resolve("kafka"))
            .withListener(
                LISTENER,
                "SASL_SSL",
                Map.of(
                    prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-512",
                    prefix + "scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                    prefix + "ssl.keystore.type", "PKCS12",
                    prefix + "ssl.keystore.location", brokerStore.toString(),
                    prefix + "ssl.keystore.password", storePassword));
    broker.start();
    // the users, through the PLAINTEXT listener, which only the test uses
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .alterUserScramCredentials(
              List.of(scramUser(USER, PASSWORD), scramUser(READER, READER_PASSWORD)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    // a credential reaches the listener through the broker's metadata, a moment later
    boolean accepted =
        TestSystem.eventually(Duration.ofSeconds(20), KafkaSecurityIT::readerIsAccepted, ok -> ok);
    assertTrue(accepted, "the secured listener never accepted the reader's SCRAM credentials");
  }

  @AfterAll
  static void stopBroker() throws IOException {
    if (broker != null) {
      broker.stop();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void theRightCredentialsCarryACreateToTheSecuredTopicAndTheAuditLog() throws Exception {
    try (TestSystem system = TestSystem.start("api,kafka,audit", secured(PASSWORD))) {
      String user = TestSystem.uniqueUser("secure");
      String id = system.createTask(user, "over SASL_SSL").getString("id");
      try (EventLog events =
          new EventLog(
              broker.listenerAddress(),
              Topics.TASK_EVENTS,
              clientSecurity(READER, READER_PASSWORD))) {
        List<ConsumerRecord<String, String>> created =
            events
                .readUntil(
                    Duration.ofSeconds(30), r -> !events.ofUser(user, "task.created").isEmpty())
                .stream()
                .filter(r -> user.equals(r.key()))
                .toList();
        assertEquals(1, created.size(), "one record of the user's create: " + created);
        JsonObject event = new JsonObject(created.get(0).value());
        assertEquals("task.created", event.getString("type"));
        assertEquals(id, event.getJsonObject("data").getJsonObject("task").getString("id"));
        long eventId = Long.parseLong(event.getString("id"));
        long audited =
            TestSystem.eventually(
                Duration.ofSeconds(20),
                () ->
                    TestSystem.count(
                        "SELECT count(*) FROM audit_log WHERE event_id = ? AND user_id = ?",
                        eventId,
                        user),
                n -> n == 1);
        assertEquals(1, audited, "the audit log has the event the secured topic carried");
      }
      HttpResponse<String> ready =
          TestSystem.eventually(
              Duration.ofSeconds(10),
              () -> system.get("/health/ready", null),
              r -> r.statusCode() == 200);
      assertEquals(200, ready.statusCode(), ready::body);
    }
  }

  @Test
  void aWrongPasswordLeavesTheProcessUnreadyAndIsLoggedOnce() throws Exception {
    LogCapture log = new LogCapture("kafka-security", Level.WARN);
    String wrong = "wrong-" + UUID.randomUUID();
    long refusedBefore = refusedAuthentications();
    try (TestSystem system = TestSystem.start("api,kafka", secured(wrong))) {
      // the start itself was refused; every readiness probe asks Kafka again and is refused again
      HttpResponse<String> ready =
          TestSystem.eventually(
              Duration.ofSeconds(30),
              () -> system.get("/health/ready", null),
              r -> refusedAuthentications() >= refusedBefore + 5);
      assertTrue(
          refusedAuthentications() >= refusedBefore + 5,
          "the broker refused taskbus fewer than 5 times");
      assertEquals(503, ready.statusCode(), ready::body);
      JsonObject kafka =
          new JsonObject(ready.body())
              .getJsonArray("checks").stream()
                  .map(JsonObject.class::cast)
                  .filter(c -> "kafka".equals(c.getString("id")))
                  .findFirst()
                  .orElseThrow(() -> new AssertionError("no kafka check: " + ready.body()));
      assertEquals("DOWN", kafka.getString("status"), ready.body());
      assertTrue(
          kafka
              .getJsonObject("data")
              .getJsonObject("broker")
              .getString("error", "")
              .contains("Authentication failed"),
          ready.body());
      assertEquals(
          "not started",
          kafka.getJsonObject("data").getJsonObject("relay").getString("state"),
          ready.body());
    } finally {
      log.close();
    }
    List<String> lines =
        log.events().stream()
            .filter(e -> TASKBUS_PROCESS.stream().anyMatch(e.getLoggerName()::startsWith))
            .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + message(e))
            .toList();
    List<String> said =
        lines.stream()
            .filter(l -> l.toLowerCase(Locale.ROOT).contains("authentication failed"))
            .toList();
    assertEquals(1, said.size(), () -> "one line says authentication failed: " + lines);
    String line = said.get(0);
    assertTrue(line.startsWith("ERROR io.taskbus.kafka.KafkaVerticle"), line);
    assertTrue(
        line.contains("Kafka authentication failed")
            && line.contains(broker.listenerAddress())
            && line.contains("SCRAM-SHA-512 as user \"" + USER + "\""),
        line);
    assertTrue(lines.stream().noneMatch(l -> l.contains(wrong)), "the password is never logged");
  }

  private static String message(LogEvent e) {
    String text = e.getMessage().getFormattedMessage();
    return e.getThrown() == null ? text : text + " " + e.getThrown();
  }

  /** taskbus's environment for the secured listener, with the CA certificate as PEM text. */
  private static Map<String, String> secured(String password) {
    Map<String, String> env = new HashMap<>();
    env.put("TASKBUS_KAFKA_BOOTSTRAPSERVERS", broker.listenerAddress());
    env.put("TASKBUS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("TASKBUS_KAFKA_SECURITY_SASLMECHANISM", "SCRAM-SHA-512");
    env.put("TASKBUS_KAFKA_SECURITY_SASLUSERNAME", USER);
    env.put("TASKBUS_KAFKA_SECURITY_SASLPASSWORD", password);
    env.put("TASKBUS_KAFKA_SECURITY_TRUSTCERTIFICATES", caCertificate);
    return env;
  }

  /** A plain Kafka client's settings for the secured listener. */
  private static Map<String, String> clientSecurity(String user, String password) {
    return Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";",
        "ssl.truststore.type", "PEM",
        "ssl.truststore.certificates", caCertificate);
  }

  private static UserScramCredentialUpsertion scramUser(String name, String password) {
    return new UserScramCredentialUpsertion(
        name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password);
  }

  private static boolean readerIsAccepted() {
    Map<String, Object> settings = new HashMap<>(clientSecurity(READER, READER_PASSWORD));
    settings.put("bootstrap.servers", broker.listenerAddress());
    settings.put("default.api.timeout.ms", 3000);
    settings.put("request.timeout.ms", 3000);
    try (Admin admin = Admin.create(settings)) {
      admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
      return true;
    } catch (Exception notYet) {
      return false;
    }
  }

  /** How many logins the broker's secured listener has refused (its own metric, over JMX). */
  private static long refusedAuthentications() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    long total = 0;
    try {
      for (ObjectName name :
          server.queryNames(
              new ObjectName("kafka.server:type=socket-server-metrics,listener=" + LISTENER + ",*"),
              null)) {
        // one per network thread; the beans with more tags (cipher, client software) count
        // connections only
        if (name.getKeyPropertyList()
            .keySet()
            .equals(Set.of("type", "listener", "networkProcessor"))) {
          total += ((Number) server.getAttribute(name, "failed-authentication-total")).longValue();
        }
      }
    } catch (javax.management.JMException e) {
      throw new IllegalStateException("the broker's metrics cannot be read", e);
    }
    return total;
  }

  /**
   * A CA, and the broker's key with a certificate it signed for 127.0.0.1, in a PKCS12 store: made
   * with the JDK's keytool, as an operator would. Leaves ca.crt (PEM) in {@code dir}.
   */
  private static Path certificates(Path dir, String password) throws Exception {
    Path ca = dir.resolve("ca.p12");
    Path store = dir.resolve("broker.p12");
    String[] caStore = {"-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", password};
    String[] brokerStore = {
      "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password
    };
    keytool(
        caStore,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=taskbus test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2");
    keytool(
        brokerStore,
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-validity",
        "2");
    keytool(
        brokerStore, "-certreq", "-alias", "broker", "-file", dir.resolve("broker.csr").toString());
    keytool(
        caStore,
        "-gencert",
        "-alias",
        "ca",
        "-infile",
        dir.resolve("broker.csr").toString(),
        "-outfile",
        dir.resolve("broker.crt").toString(),
        "-rfc",
        "-validity",
        "2",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-ext",
        "EKU=serverAuth");
    keytool(
        caStore, "-exportcert", "-alias", "ca", "-rfc", "-file", dir.resolve("ca.crt").toString());
    keytool(
        brokerStore,
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        dir.resolve("ca.crt").toString());
    keytool(
        brokerStore,
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        dir.resolve("broker.crt").toString());
    return store;
  }

  private static void keytool(String[] store, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of(store));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
    }
  }
}
