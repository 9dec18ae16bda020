package io.taskbus.app;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A bridge client as a browser would use it, over the raw WebSocket transport of SockJS, written
 * with the JDK's own WebSocket so nothing of Vert.x is on the client side.
 */
final class BridgeClient extends BridgeFrames {

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

  @Override
  void send(JsonObject frame) {
    socket.sendText(frame.encode(), true).join();
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
