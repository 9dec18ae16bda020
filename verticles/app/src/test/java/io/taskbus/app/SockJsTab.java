package io.taskbus.app;

import io.taskbus.contracts.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One browser tab's live connection as the page makes it, with few resources so thousands fit in
 * one test: SockJS's WebSocket transport ({@code /eventbus/<server>/<session>/websocket}, frames
 * {@code o}, {@code h}, {@code a[...]}, {@code c[...]}), the user's two channels registered, and a
 * ping every 10 s (the page's {@code vertxbus_ping_interval}).
 */
final class SockJsTab {

  /** A push and when it arrived ({@link System#nanoTime()}). */
  record Push(JsonObject body, long at) {}

  private static final String PING =
      new JsonArray().add(new JsonObject().put("type", "ping").encode()).encode();

  final String user;
  final WebSocket socket;
  final BlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
  final AtomicInteger heartbeats = new AtomicInteger();
  final Promise<Void> closed = Promise.promise();
  volatile String closeFrame;
  private final Promise<Void> registered = Promise.promise();

  private SockJsTab(String user, WebSocket socket) {
    this.user = user;
    this.socket = socket;
  }

  /**
   * Connects, registers the user's channels, and completes once the bridge has made the
   * registrations: a refused one sent after them is answered in order (see BridgeClient).
   */
  static Future<SockJsTab> open(
      Vertx vertx, WebSocketClient client, int port, String user, String token) {
    String uri =
        "/eventbus/"
            + ThreadLocalRandom.current().nextInt(1000)
            + "/"
            + UUID.randomUUID().toString().replace("-", "")
            + "/websocket?token="
            + token;
    return client
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(uri)
                .addHeader("Origin", "http://127.0.0.1:" + port))
        .compose(
            socket -> {
              SockJsTab tab = new SockJsTab(user, socket);
              socket.textMessageHandler(tab::frame);
              long pinger = vertx.setPeriodic(10_000, id -> socket.writeTextMessage(PING));
              socket.closeHandler(
                  v -> {
                    vertx.cancelTimer(pinger);
                    tab.closed.tryComplete();
                    tab.registered.tryFail("closed before its registrations were made");
                  });
              socket.writeTextMessage(
                  new JsonArray()
                      .add(register(Addresses.userTasks(user)))
                      .add(register(Addresses.userNotifications(user)))
                      .add(register("user.not-" + UUID.randomUUID() + ".tasks"))
                      .encode());
              return tab.registered.future().timeout(30, TimeUnit.SECONDS).map(tab);
            });
  }

  private static String register(String address) {
    return new JsonObject()
        .put("type", "register")
        .put("address", address)
        .put("headers", new JsonObject())
        .encode();
  }

  private void frame(String frame) {
    switch (frame.isEmpty() ? ' ' : frame.charAt(0)) {
      case 'h' -> heartbeats.incrementAndGet();
      case 'c' -> closeFrame = frame;
      case 'a' -> {
        for (Object text : new JsonArray(frame.substring(1))) {
          JsonObject message = new JsonObject((String) text);
          if ("err".equals(message.getString("type"))) {
            registered.tryComplete();
          } else if ("rec".equals(message.getString("type"))) {
            pushes.add(new Push(message.getJsonObject("body"), System.nanoTime()));
          }
        }
      }
      default -> {
        // "o": the session is open
      }
    }
  }
}
