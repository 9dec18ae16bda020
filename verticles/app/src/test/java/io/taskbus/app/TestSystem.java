package io.taskbus.app;

import io.taskbus.devstack.DevStack;
import io.taskbus.devstack.FreePort;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * A running taskbus on the shared embedded PostgreSQL and Kafka, with a configured key (so the
 * production sign-in path is what tests exercise) and helpers that act like a client would.
 */
final class TestSystem implements AutoCloseable {

  static final String SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

  final Taskbus taskbus;
  final int port;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final JWTAuth signer;

  /** The issuer and audience the system requires (auth.issuer, auth.audience), or null. */
  final String issuer;

  final String audience;

  private TestSystem(Taskbus taskbus, int port, String issuer, String audience) {
    this.taskbus = taskbus;
    this.port = port;
    this.signer = signer();
    this.issuer = issuer;
    this.audience = audience;
  }

  /** Signs tokens with the key every test process is configured with. */
  static JWTAuth signer() {
    return Identity.hs256(SIGNING_VERTX, SECRET);
  }

  private static final io.vertx.core.Vertx SIGNING_VERTX = io.vertx.core.Vertx.vertx();

  static TestSystem start(String verticles) throws Exception {
    return start(verticles, Map.of());
  }

  static TestSystem start(String verticles, Map<String, String> overrides) throws Exception {
    int port = freePort();
    Map<String, String> env = new HashMap<>(baseEnv(port));
    env.put("TASKBUS_VERTICLES", verticles);
    env.putAll(overrides);
    JsonObject config = ConfigLoader.load(env, new Properties());
    String audiences = env.get("TASKBUS_AUTH_AUDIENCE");
    return new TestSystem(
        Taskbus.start(config),
        port,
        env.get("TASKBUS_AUTH_ISSUER"),
        audiences == null ? null : audiences.split(",")[0].strip());
  }

  /** The environment a process of this test system gets: the shared servers and the key. */
  static Map<String, String> baseEnv(int port) {
    DevStack infra = DevStack.shared();
    Map<String, String> env = new HashMap<>();
    env.put("TASKBUS_PG_URL", infra.postgresUri());
    env.put("TASKBUS_KAFKA_BOOTSTRAPSERVERS", infra.kafkaBootstrapServers());
    env.put("TASKBUS_AUTH_JWTSECRET", SECRET);
    env.put("TASKBUS_HTTP_PORT", Integer.toString(port));
    env.put("TASKBUS_HTTP_HOST", "127.0.0.1");
    env.put("TASKBUS_HTTP_INSTANCES", "2");
    // tests fire requests far faster than a person; LimitsIT checks the limit itself
    env.put("TASKBUS_API_RATELIMITPERSECOND", "100000");
    // nor admit as few requests at once; LimitsIT checks the limit itself
    env.put("TASKBUS_API_MAXINFLIGHT", "100000");
    // nor shrink the limit when a test's burst queues; LimitsIT checks admission by queue time
    env.put("TASKBUS_API_QUEUETARGETMS", "60000");
    // nor wait for a connection as briefly as production admits (250 ms): on a busy CI machine a
    // test's burst above the pool would be shed; LimitsIT checks admission by queue time itself
    env.put("TASKBUS_PG_CONNECTIONTIMEOUTMS", "5000");
    // clients keep connections open; a test need not wait the production grace period
    env.put("TASKBUS_HTTP_SHUTDOWNGRACESECONDS", "1");
    return env;
  }

  /**
   * A member of a test's clustered event bus on loopback, running {@code roles} (null: as the
   * caller says): its Hazelcast port, and the members to join ({@code 127.0.0.1:port,...}).
   */
  static Map<String, String> clusterMember(String roles, int hazelcastPort, String members) {
    Map<String, String> env = new HashMap<>();
    if (roles != null) {
      env.put("TASKBUS_VERTICLES", roles);
    }
    env.put("TASKBUS_CLUSTER", "true");
    env.put("TASKBUS_HAZELCAST_PORT", Integer.toString(hazelcastPort));
    env.put("TASKBUS_HAZELCAST_MEMBERS", members);
    return env;
  }

  static String uniqueUser(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A valid token of the user, with the issuer and audience the system requires, if any. */
  String token(String user) {
    return signer.generateToken(new JsonObject().put("sub", user), tokenOptions());
  }

  /** What {@link #token} signs with: an hour's validity, the system's issuer and audience. */
  JWTOptions tokenOptions() {
    JWTOptions options = new JWTOptions().setExpiresInSeconds(3600);
    if (issuer != null) {
      options.setIssuer(issuer);
    }
    if (audience != null) {
      options.addAudience(audience);
    }
    return options;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  HttpResponse<String> send(
      String method, String path, String user, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      request.header("Authorization", "Bearer " + token(user));
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A request with any headers, e.g. {@code "If-Match", etag, "Idempotency-Key", key}. */
  HttpResponse<String> call(String method, String path, String user, String json, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (user != null) {
      request.header("Authorization", "Bearer " + token(user));
    }
    if (json != null) {
      request.header(
          "Content-Type",
          method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
    return send("GET", path, user, null, null);
  }

  HttpResponse<String> postJson(String path, String user, String json)
      throws IOException, InterruptedException {
    return send("POST", path, user, "application/json", json);
  }

  /** A task due at {@code due} in {@code zone} with a reminder each lead (ISO durations) before. */
  static JsonObject dueWithReminders(String title, Instant due, String zone, String... leads) {
    JsonArray reminders = new JsonArray();
    for (String lead : leads) {
      reminders.add(new JsonObject().put("before", lead));
    }
    return new JsonObject()
        .put("title", title)
        .put("dueAt", due.toString())
        .put("timeZone", zone)
        .put("reminders", reminders);
  }

  JsonObject createTask(String user, String title) throws Exception {
    return createTask(user, new JsonObject().put("title", title));
  }

  /** Creates the task (any fields of a create) and returns it as the API answered. */
  JsonObject createTask(String user, JsonObject task) throws Exception {
    HttpResponse<String> response = postJson("/api/v1/tasks", user, task.encode());
    if (response.statusCode() != 201) {
      throw new AssertionError("create failed: " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body());
  }

  /**
   * Creates {@code tasks} tasks, 16 requests at a time, the i-th for {@code users.get(i %
   * users.size())}, running {@code midway} (a kill, a process joining) after a third of them have
   * been sent; returns the ids of those answered 201.
   */
  Set<String> createConcurrently(List<String> users, int tasks, Runnable midway)
      throws InterruptedException {
    Set<String> created = new HashSet<>();
    createConcurrently(http, uri("/api/v1/tasks"), this::token, users, tasks, midway)
        .values()
        .forEach(created::addAll);
    return created;
  }

  /**
   * The same against any process's {@code /api/v1/tasks} with the users' tokens: the ids answered
   * 201, by user.
   */
  static Map<String, Set<String>> createConcurrently(
      HttpClient http,
      URI endpoint,
      Function<String, String> token,
      List<String> users,
      int tasks,
      Runnable midway)
      throws InterruptedException {
    Map<String, Set<String>> created = new ConcurrentHashMap<>();
    users.forEach(u -> created.put(u, ConcurrentHashMap.newKeySet()));
    Map<String, String> tokens = new HashMap<>();
    users.forEach(u -> tokens.put(u, token.apply(u)));
    Semaphore inFlight = new Semaphore(16);
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      if (i == tasks / 3) {
        midway.run();
      }
      String user = users.get(i % users.size());
      inFlight.acquire();
      HttpRequest request =
          HttpRequest.newBuilder(endpoint)
              .header("Authorization", "Bearer " + tokens.get(user))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"task " + i + "\"}"))
              .build();
      all.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (response, error) -> {
                    inFlight.release();
                    if (error == null && response.statusCode() == 201) {
                      created.get(user).add(new JsonObject(response.body()).getString("id"));
                    }
                  }));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
    return created;
  }

  static long count(String sql, Object... params) throws SQLException {
    try (Connection c = jdbc();
        var statement = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static Connection jdbc() throws SQLException {
    return jdbc(DevStack.shared().postgresUri());
  }

  /** To a PostgreSQL other than the shared one, by its {@code postgresql://} URI. */
  static Connection jdbc(String postgresUri) throws SQLException {
    URI uri = URI.create(postgresUri.replace("postgresql://", "http://"));
    String[] userInfo =
        uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
        userInfo[0],
        userInfo.length > 1 ? userInfo[1] : null);
  }

  /** A port for a server started later: see {@link FreePort}. */
  static int freePort() {
    return FreePort.pick();
  }

  /**
   * A directory under the module's target/ for what a test writes (data directories, logs, scripts'
   * files): gone with {@code mvn clean}, never left behind in /tmp.
   */
  static Path scratch() throws IOException {
    return Files.createDirectories(Path.of("target", "scratch").toAbsolutePath());
  }

  /** Polls until the check passes or the time is up; returns the last value it saw. */
  static <T> T eventually(
      Duration timeout,
      java.util.concurrent.Callable<T> probe,
      java.util.function.Predicate<T> done)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    T value = probe.call();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      value = probe.call();
    }
    return value;
  }

  @Override
  public void close() {
    taskbus.stop();
  }
}
