package io.taskbus.bridge;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

/**
 * The SockJS event-bus bridge, as a router the launcher mounts at {@code /eventbus}. A browser
 * cannot set headers on a WebSocket, so the token comes as the {@code token} query parameter of the
 * SockJS URL (an {@code Authorization: Bearer} header works too for other clients).
 */
public final class BridgeRoutes {

  /**
   * One per process, like SockJS's own sessions (shared by every HTTP event loop, so a session's
   * next request may arrive on another). SockJS forgets a session after 5 s without a request: a
   * minute is ample.
   */
  private static final SessionOwners SESSION_OWNERS = new SessionOwners(60_000);

  private BridgeRoutes() {}

  /** Live bridge connections in this process, for {@code /health}. */
  public static int connections() {
    return Presence.connections();
  }

  public static Router create(Vertx vertx, JWTAuth auth, JsonObject config) {
    BridgeSettings settings = BridgeSettings.from(config);
    Router router = Router.router(vertx);
    router.route().handler(new OriginCheck(settings.allowedOrigins()));
    TokenAuthHandler.install(router, auth);
    router.route().handler(SESSION_OWNERS);
    // non-WebSocket transports post their frames as bodies; an upgrade request must stay unread
    router.post().handler(BodyHandler.create(false).setBodyLimit(settings.maxFrameBytes()));
    SockJSBridgeOptions options =
        new SockJSBridgeOptions()
            // every outbound address is checked per user by the guard; nothing inbound is permitted
            .addOutboundPermitted(new PermittedOptions().setAddressRegex("user\\..+"))
            .setPingTimeout(settings.pingTimeoutMs());
    SockJSHandlerOptions sockJs =
        new SockJSHandlerOptions()
            .setRegisterWriteHandler(false)
            .setHeartbeatInterval(settings.heartbeatMs());
    router
        .route("/*")
        .subRouter(
            SockJSHandler.create(vertx, sockJs)
                .bridge(options, new BridgeGuard(vertx, new Presence(vertx), settings)));
    return router;
  }
}
