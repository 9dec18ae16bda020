package io.taskbus.app;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bridge client as a browser would use it, over the raw WebSocket transport of SockJS, written
 * with the JDK's own WebSocket so nothing of Vert.x is on the client side.
 */
final class BridgeClient implements AutoCloseable {

  final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

  /** Frames read while waiting for something else, read first by {@link #next}. */
  private final java.util.ArrayDeque<JsonObject> held = new java.util.ArrayDeque<>();

  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  volatile String closeReason;
  private final WebSocket socket;

  private BridgeClient(WebSocket socket) {
    this.socket = socket;
  }

  /** Connects as a page served by the same server would (its Origin). */
  static BridgeClient connect(int port, String token) throws Exception {
    return connect(port, token, "http://127.0.0.1:" + port);
  }

  static BridgeClient connect(int port, String token, String origin) throws Exception {
    return connect(
        URI.create(
            "ws://127.0.0.1:"
                + port
                + "/eventbus/websocket"
                + (token == null ? "" : "?token=" + token)),
        origin);
  }

  static BridgeClient connect(URI uri, String origin) throws Exception {
    Listener listener = new Listener();
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (origin != null) {
      builder.header("Origin", origin);
    }
    WebSocket socket = builder.buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
    BridgeClient client = new BridgeClient(socket);
    listener.client = client;
    return client;
  }

  void register(String address) {
    send(new JsonObject().put("type", "register").put("address", address));
  }

  /**
   * Registers and returns once the server has made the registration. The bridge protocol does not
   * acknowledge one, but the server handles a connection's frames in order and answers a
   * registration it refuses with an err frame: so a refused registration sent right after, and its
   * err frame, mark the point where the first is in place. That is this process's event bus; on a
   * clustered one the other members learn of it later (see ClusterIT).
   */
  void registerAndAwait(String address) throws InterruptedException {
    register(address);
    register("user.not-" + java.util.UUID.randomUUID() + ".tasks"); // nobody's own address
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (frame == null) {
        throw new AssertionError("the bridge did not answer a refused registration in 10 s");
      }
      if ("err".equals(frame.getString("type"))) {
        return;
      }
      held.add(frame); // a push that came meanwhile is still for the test to read
    }
  }

  /**
   * On a clustered bus: waits until events of this client's user, made through the api process on
   * {@code apiPort}, reach this client, which is connected to another member. That member made the
   * registration at once ({@link #registerAndAwait}); the member whose live feed publishes the
   * user's events learns of it through Hazelcast later, and publishes to nobody until then. The bus
   * tells a client nothing of that, so a probe task of the user is changed until one of its events
   * arrives. (This also covers the live feed's start: its group may not have joined yet.)
   *
   * @return the probe task's id, whose events a test may want to leave out of its counts
   */
  String awaitEventsThrough(int apiPort, String token) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> created =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + apiPort + "/api/v1/tasks"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":\"probe\"}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new AssertionError("probe task: " + created.statusCode() + " " + created.body());
    }
    String probe = new JsonObject(created.body()).getString("id");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (int change = 1; System.nanoTime() < deadline; change++) {
      if (next("rec", Duration.ofSeconds(1)) != null) {
        return probe;
      }
      java.net.http.HttpResponse<String> patched =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + apiPort + "/api/v1/tasks/" + probe))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/merge-patch+json")
                  .method(
                      "PATCH",
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "{\"title\":\"probe " + change + "\"}"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      if (patched.statusCode() != 200) {
        throw new AssertionError("probe change: " + patched.statusCode() + " " + patched.body());
      }
    }
    throw new AssertionError("no event of the probe task reached the client in 30 s");
  }

  void send(JsonObject frame) {
    socket.sendText(frame.encode(), true).join();
  }

  /** The next frame of the given type, or null when none arrives in time. */
  JsonObject next(String type, Duration timeout) throws InterruptedException {
    while (!held.isEmpty()) {
      JsonObject frame = held.poll();
      if (type.equals(frame.getString("type"))) {
        return frame;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      JsonObject frame = frames.poll(left, TimeUnit.NANOSECONDS);
      if (frame != null && type.equals(frame.getString("type"))) {
        return frame;
      }
    }
  }

  @Override
  public void close() {
    socket.abort();
  }

  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    volatile BridgeClient client;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        while (client == null) {
          Thread.onSpinWait();
        }
        client.frames.add(new JsonObject(text));
      }
      webSocket.request(1);
      return null;
    }

    /** Vert.x's raw WebSocket transport writes its frames as binary messages of UTF-8 JSON. */
    @Override
    public CompletionStage<?> onBinary(
        WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      return onText(webSocket, new String(bytes, java.nio.charset.StandardCharsets.UTF_8), last);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      while (client == null) {
        Thread.onSpinWait();
      }
      client.closeReason = reason;
      client.closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      if (client != null) {
        client.closed.complete(-1);
      }
    }
  }
}
