package io.taskbus.bridge;

import io.vertx.core.Future;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.SimpleAuthenticationHandler;

/**
 * Authenticates every SockJS request before any transport handles it; no token, no bridge. The
 * token comes as {@code ?token=} (a browser cannot set headers on a WebSocket) or as {@code
 * Authorization: Bearer}, which vertx-web's JWT handler alone would not read, so this is
 * vertx-web's public {@link SimpleAuthenticationHandler} with our own token lookup.
 */
final class TokenAuthHandler {

  static void install(Router router, JWTAuth auth) {
    router
        .route()
        .handler(SimpleAuthenticationHandler.create().authenticate(ctx -> authenticate(ctx, auth)));
    router
        .route()
        .failureHandler(
            ctx -> {
              if (ctx.statusCode() == 401) {
                reject(ctx);
              } else {
                ctx.next();
              }
            });
  }

  private static Future<User> authenticate(RoutingContext ctx, JWTAuth auth) {
    String token = ctx.queryParams().get("token");
    String header = ctx.request().getHeader("Authorization");
    if (token == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).trim();
    }
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(new HttpException(401));
    }
    return auth.authenticate(new TokenCredentials(token))
        .transform(
            ar ->
                ar.succeeded() && ar.result().subject() != null && !ar.result().subject().isEmpty()
                    ? Future.succeededFuture(ar.result())
                    : Future.failedFuture(new HttpException(401)));
  }

  private static void reject(RoutingContext ctx) {
    BridgeProblems.send(
        ctx,
        401,
        "unauthorized",
        "Unauthorized",
        "The bridge needs a valid token: ?token=<jwt> on the SockJS URL");
  }

  private TokenAuthHandler() {}
}
