package io.taskbus.bridge;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskbus.contracts.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorises every bridge event against the connection's user and keeps each connection within its
 * limits. An address regex alone would let anyone listen to anyone, so a user may register exactly
 * its own channel addresses; nothing may be sent or published inbound. A connection is closed, with
 * a reason the client can show, when its token expires, when it sends too fast, or when it reads
 * too slowly for its bounded write queue (it resyncs with /sync when it returns). Unregistering is
 * allowed only for the user's own channels too.
 */
final class BridgeGuard implements Handler<BridgeEvent> {

  /** The per-user channels a browser may listen on. */
  static final Set<String> CHANNELS = Set.of("tasks", "notifications");

  static final int CLOSE_TOKEN_EXPIRED = 4401;
  static final int CLOSE_TOO_FAST = 4429;
  static final int CLOSE_TOO_SLOW = 4408;
  static final int CLOSE_TOO_BIG = 1009;
  private static final Logger log = LoggerFactory.getLogger(BridgeGuard.class);

  /** Connections closed for reading too slowly, all event loops together. */
  private static final AtomicLong SLOW_CLIENTS_CLOSED = new AtomicLong();

  private final Vertx vertx;
  private final Presence presence;
  private final BridgeSettings settings;
  private final Map<SockJSSocket, Connection> connections = new HashMap<>();

  BridgeGuard(Vertx vertx, Presence presence, BridgeSettings settings) {
    this.vertx = vertx;
    this.presence = presence;
    this.settings = settings;
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      // registering again returns the meter the other event loop registered
      FunctionCounter.builder(
              "taskbus.bridge.slow.clients.closed", SLOW_CLIENTS_CLOSED, AtomicLong::get)
          .description("Bridge connections closed because they read their pushes too slowly")
          .register(registry);
    }
  }

  @Override
  public void handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    switch (event.type()) {
      case SOCKET_CREATED -> event.complete(open(socket));
      case SOCKET_CLOSED -> {
        Connection closed = connections.remove(socket);
        if (closed != null) {
          closed.cancelExpiry(vertx);
          presence.disconnected(closed.user);
        }
        event.complete(true);
      }
      case SOCKET_ERROR -> {
        // a message over the size limit only raises an error; the connection must not live on
        String message =
            event.getRawMessage() == null
                ? ""
                : String.valueOf(event.getRawMessage().getString("message"));
        if (message.contains("size")) {
          close(socket, CLOSE_TOO_BIG, "message too big");
        }
        event.complete(true);
      }
      case SOCKET_PING, SOCKET_IDLE -> event.complete(true);
      case RECEIVE -> {
        // the guard writes the push itself, minding the backlog; told no, the bridge writes nothing
        event.complete(false);
        deliver(socket, event.getRawMessage());
      }
      default -> event.complete(inbound(event, socket));
    }
  }

  private boolean open(SockJSSocket socket) {
    User user = socket.webUser();
    if (user == null || user.subject() == null) {
      return false;
    }
    Connection connection =
        new Connection(
            user.subject(), socket, settings.messagesPerSecond(), settings.messageBurst());
    Long exp = expiry(user);
    if (exp != null) {
      long delay = exp * 1000 - System.currentTimeMillis();
      if (delay <= 0) {
        return false;
      }
      connection.expiryTimer =
          vertx.setTimer(
              delay, id -> close(socket, CLOSE_TOKEN_EXPIRED, "token expired; sign in again"));
    }
    connections.put(socket, connection);
    presence.connected(connection.user);
    return true;
  }

  private boolean inbound(BridgeEvent event, SockJSSocket socket) {
    Connection connection = connections.get(socket);
    if (connection == null) {
      return false;
    }
    if (!connection.allow()) {
      close(socket, CLOSE_TOO_FAST, "too many messages");
      return false;
    }
    // the transport may deliver a big message in many small frames; the whole is what counts
    JsonObject raw = event.getRawMessage();
    if (raw != null && raw.toBuffer().length() > settings.maxFrameBytes()) {
      close(socket, CLOSE_TOO_BIG, "message too big");
      return false;
    }
    String address = address(event);
    return switch (event.type()) {
      case REGISTER ->
          ownChannel(connection.user, address)
              && ++connection.registrations <= settings.maxRegistrations();
      case UNREGISTER -> {
        // only what it may have registered: another user's address is refused like any frame
        // aimed at it, and cannot lower the connection's count of registrations either
        if (!ownChannel(connection.user, address)) {
          log.debug("denied unregister of {} from {}", address, connection.user);
          yield false;
        }
        connection.registrations = Math.max(0, connection.registrations - 1);
        yield true;
      }
      default -> {
        log.debug("denied inbound {} to {} from {}", event.type(), address, connection.user);
        yield false;
      }
    };
  }

  /**
   * Writes a push, counting its bytes until the socket has taken them, and closes a connection
   * whose count reaches {@code bridge.writeQueueBytes}. The bridge's own write ignores how much is
   * waiting, and the socket cannot say: over SockJS's WebSocket transport (the page's) every frame
   * is handed to the WebSocket at once, so writeQueueFull() never turns true, and a client that
   * reads nothing would have its pushes pile up in this process without end. Closing is safe: the
   * page reconnects and catches up with /sync.
   */
  private void deliver(SockJSSocket socket, JsonObject envelope) {
    Connection connection = connections.get(socket);
    if (connection == null || envelope == null || connection.tooSlow()) {
      return;
    }
    Buffer frame = PushFrame.of(envelope);
    int bytes = frame.length();
    if (!connection.queue(bytes, settings.writeQueueBytes())) {
      SLOW_CLIENTS_CLOSED.incrementAndGet();
      log.info(
          "closing a bridge connection of {}: {} bytes of pushes not yet taken by its socket"
              + " (bridge.writeQueueBytes {}); it reads too slowly",
          connection.user,
          connection.unsentBytes(),
          settings.writeQueueBytes());
      close(socket, CLOSE_TOO_SLOW, "reading too slowly; reconnect and resync");
      return;
    }
    socket.write(frame).onComplete(written -> connection.sent(bytes));
  }

  private void close(SockJSSocket socket, int code, String reason) {
    log.debug("closing bridge connection: {} {}", code, reason);
    socket.close(code, reason);
  }

  private static Long expiry(User user) {
    Object exp = user.principal().getValue("exp");
    if (exp == null && user.attributes() != null) {
      JsonObject token = user.attributes().getJsonObject("accessToken");
      exp = token == null ? null : token.getValue("exp");
    }
    return exp instanceof Number n ? n.longValue() : null;
  }

  static boolean ownChannel(String userId, String address) {
    if (address == null || userId == null) {
      return false;
    }
    String prefix = Addresses.userPrefix(userId);
    return address.startsWith(prefix) && CHANNELS.contains(address.substring(prefix.length()));
  }

  private static String address(BridgeEvent event) {
    return event.getRawMessage() == null ? null : event.getRawMessage().getString("address");
  }
}
