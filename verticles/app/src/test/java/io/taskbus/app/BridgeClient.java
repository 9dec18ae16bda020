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
    return connect(URI.create("ws://127.0.0.1:" + port + "/eventbus/websocket"
        + (token == null ? "" : "?token=" + token)), origin);
  }

  static BridgeClient connect(URI uri, String origin) throws Exception {
    Listener listener = new Listener();
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5));
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

  void send(JsonObject frame) {
    socket.sendText(frame.encode(), true).join();
  }

  /** The next frame of the given type, or null when none arrives in time. */
  JsonObject next(String type, Duration timeout) throws InterruptedException {
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
    public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
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
