package io.taskbus.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge guard's rules on a real bridge in this JVM (vertx-web's SockJS bridge behind {@link
 * BridgeRoutes}), driven by the JDK's WebSocket client over the raw SockJS WebSocket transport:
 * what a user may register, what may come in, and when a connection is closed with which code.
 */
class BridgeLimitsTest {

  private static final String SECRET = "a-secret-for-the-bridge-limits-test-0123456789";
  private static Vertx vertx;
  private static JWTAuth auth;
  private static int port;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    auth =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    JsonObject config =
        new JsonObject()
            .put("allowedOrigins", "")
            .put("messagesPerSecond", 20)
            .put("messageBurst", 40)
            .put("maxRegistrations", 10)
            .put("writeQueueBytes", 262_144)
            .put("maxFrameBytes", 2_000)
            .put("pingTimeoutMs", 30_000)
            .put("heartbeatMs", 25_000);
    Router router = Router.router(vertx);
    router.route("/eventbus/*").subRouter(BridgeRoutes.create(vertx, auth, config));
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(router)
            .listen()
            .await();
    port = server.actualPort();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static String token(String user, long expiresInSeconds) {
    return auth.generateToken(
        new JsonObject().put("sub", user),
        new JWTOptions().setExpiresInSeconds((int) expiresInSeconds));
  }

  @Test
  void aUserHearsItsOwnChannelsAndIsRefusedAnyoneElses() throws Exception {
    try (Client alice = Client.connect(token("alice", 600))) {
      alice.send(register("user.alice.tasks"));
      alice.send(register("user.bob.tasks"));
      JsonObject refused = alice.next();
      assertEquals("err", refused.getString("type"), refused.encode());
      // the refusal came after the first registration was made: a publish now reaches alice;
      // bob's, published first, would have reached her first
      vertx.eventBus().publish("user.bob.tasks", new JsonObject().put("title", "bob's"));
      vertx.eventBus().publish("user.alice.tasks", new JsonObject().put("title", "mine"));
      JsonObject received = alice.next();
      assertEquals("rec", received.getString("type"), received.encode());
      assertEquals("user.alice.tasks", received.getString("address"));
      assertEquals("mine", received.getJsonObject("body").getString("title"));
    }
  }

  @Test
  void anotherUsersAddressCannotBeUnregistered() throws Exception {
    try (Client alice = Client.connect(token("alice", 600))) {
      for (int i = 0; i < 10; i++) {
        alice.send(new JsonObject().put("type", "unregister").put("address", "user.bob.tasks"));
        JsonObject refused = alice.next();
        assertEquals("err", refused.getString("type"), refused.encode());
        assertEquals("rejected", refused.getString("body"), refused.encode());
      }
    }
  }

  @Test
  void nothingMaySendOrPublishInbound() throws Exception {
    try (Client alice = Client.connect(token("alice", 600))) {
      for (String type : new String[] {"send", "publish"}) {
        alice.send(
            new JsonObject()
                .put("type", type)
                .put("address", "user.alice.tasks")
                .put("body", new JsonObject()));
        JsonObject refused = alice.next();
        assertEquals("err", refused.getString("type"), type + ": " + refused.encode());
      }
    }
  }

  @Test
  void theEleventhRegistrationIsRefused() throws Exception {
    try (Client alice = Client.connect(token("alice", 600))) {
      for (int i = 0; i < 10; i++) {
        alice.send(register(i % 2 == 0 ? "user.alice.tasks" : "user.alice.notifications"));
      }
      alice.send(register("user.alice.tasks"));
      JsonObject refused = alice.next();
      assertEquals("err", refused.getString("type"), refused.encode());
    }
  }

  @Test
  void aClientSendingFasterThanItsBurstIsClosedWith4429() throws Exception {
    try (Client alice = Client.connect(token("alice", 600))) {
      // the server may close between a send and the client seeing the close: the sends stop there
      for (int i = 0; i < 100 && !alice.closed.isDone(); i++) {
        if (!alice.trySend(
            new JsonObject().put("type", "unregister").put("address", "user.alice.tasks"))) {
          break;
        }
      }
      assertEquals(BridgeGuard.CLOSE_TOO_FAST, alice.closed.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aMessageOverTheLimitClosesTheConnectionWith1009() throws Exception {
    try (Client alice = Client.connect(token("alice", 600))) {
      alice.send(
          register("user.alice.tasks")
              .put("headers", new JsonObject().put("x", "y".repeat(3_000))));
      assertEquals(BridgeGuard.CLOSE_TOO_BIG, alice.closed.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aConnectionEndsWith4401WhenItsTokenExpires() throws Exception {
    try (Client alice = Client.connect(token("alice", 2))) {
      alice.send(register("user.alice.tasks"));
      // the clock passing exp is the behaviour under test: the close comes by itself
      assertEquals(BridgeGuard.CLOSE_TOKEN_EXPIRED, alice.closed.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void noTokenNoBridge() throws Exception {
    try {
      Client.connect(null).close();
      throw new AssertionError("connected without a token");
    } catch (java.util.concurrent.ExecutionException e) {
      assertEquals(
          401,
          ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }
  }

  @Test
  void aSessionOverXhrIsItsOpenersAloneEvenForAnotherValidToken() throws Exception {
    String session = java.util.UUID.randomUUID().toString().replace("-", "");
    String alice = token("alice", 600);
    String mallory = token("mallory", 600);
    var opened = xhr(session, "xhr", alice, null);
    assertEquals(200, opened.statusCode(), "alice opens the session: " + opened.body());
    String frame = "[\"" + register("user.alice.tasks").encode().replace("\"", "\\\"") + "\"]";
    for (String transport : new String[] {"xhr", "xhr_send", "xhr_streaming"}) {
      assertEquals(
          403,
          xhr(session, transport, mallory, transport.equals("xhr_send") ? frame : null)
              .statusCode(),
          "mallory's own valid token on alice's session: " + transport);
    }
    assertEquals(204, xhr(session, "xhr_send", alice, frame).statusCode(), "alice goes on");
  }

  private static java.net.http.HttpResponse<String> xhr(
      String session, String transport, String token, String body) throws Exception {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + port
                        + "/eventbus/000/"
                        + session
                        + "/"
                        + transport
                        + "?token="
                        + token))
            .timeout(Duration.ofSeconds(10))
            .header("Origin", "http://127.0.0.1:" + port)
            .POST(
                body == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject register(String address) {
    return new JsonObject().put("type", "register").put("address", address);
  }

  /** A raw SockJS WebSocket client: one JSON frame per message. */
  private static final class Client implements WebSocket.Listener, AutoCloseable {

    final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Client connect(String token) throws Exception {
      Client client = new Client();
      client.socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .header("Origin", "http://127.0.0.1:" + port)
              .buildAsync(
                  URI.create(
                      "ws://127.0.0.1:"
                          + port
                          + "/eventbus/websocket"
                          + (token == null ? "" : "?token=" + token)),
                  client)
              .get(10, TimeUnit.SECONDS);
      return client;
    }

    void send(JsonObject frame) {
      socket.sendText(frame.encode(), true).join();
    }

    /** False when the connection's output is closed already. */
    boolean trySend(JsonObject frame) {
      try {
        send(frame);
        return true;
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof java.io.IOException) {
          return false;
        }
        throw e;
      }
    }

    JsonObject next() throws InterruptedException {
      JsonObject frame = poll(Duration.ofSeconds(10));
      assertNotNull(frame, "no frame in 10 s");
      return frame;
    }

    JsonObject poll(Duration timeout) throws InterruptedException {
      return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    /** The raw transport sends each frame as a binary WebSocket message. */
    @Override
    public CompletionStage<?> onBinary(
        WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      return onText(webSocket, new String(bytes, java.nio.charset.StandardCharsets.UTF_8), last);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }

    @Override
    public void close() {
      if (!closed.isDone()) {
        socket.abort();
      }
    }
  }
}
