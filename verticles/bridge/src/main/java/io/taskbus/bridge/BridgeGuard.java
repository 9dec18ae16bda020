package io.taskbus.bridge;

import io.taskbus.contracts.Addresses;
import io.vertx.core.Handler;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorises every bridge event against the connection's user. An address regex alone would let
 * anyone listen to anyone, so a user may register exactly its own channel addresses, and nothing
 * may be sent or published inbound.
 */
final class BridgeGuard implements Handler<BridgeEvent> {

  /** The per-user channels a browser may listen on. */
  static final Set<String> CHANNELS = Set.of("tasks", "notifications");
  private static final Logger log = LoggerFactory.getLogger(BridgeGuard.class);

  @Override
  public void handle(BridgeEvent event) {
    User user = event.socket().webUser();
    switch (event.type()) {
      case SOCKET_CREATED -> event.complete(user != null);
      case REGISTER -> event.complete(user != null && ownChannel(user.subject(), address(event)));
      case SEND, PUBLISH -> {
        log.debug("denied inbound {} to {} from {}", event.type(), address(event),
            user == null ? null : user.subject());
        event.complete(false);
      }
      default -> event.complete(true);
    }
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
