package io.taskbus.bridge;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.UserContextInternal;

/** Authenticates the SockJS connection before any transport starts; no token, no bridge. */
final class TokenAuthHandler implements Handler<RoutingContext> {

  private final JWTAuth auth;

  TokenAuthHandler(JWTAuth auth) {
    this.auth = auth;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    String header = ctx.request().getHeader("Authorization");
    if (token == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).trim();
    }
    if (token == null || token.isEmpty()) {
      reject(ctx);
      return;
    }
    auth.authenticate(new io.vertx.ext.auth.authentication.TokenCredentials(token))
        .onSuccess(user -> {
          if (user.subject() == null || user.subject().isEmpty()) {
            reject(ctx);
          } else {
            // JWTAuthHandler reads only the header; this is how vertx-web's own handlers set the user
            ((UserContextInternal) ctx.userContext()).setUser(user);
            ctx.next();
          }
        })
        .onFailure(e -> reject(ctx));
  }

  private static void reject(RoutingContext ctx) {
    ctx.response().setStatusCode(401).putHeader("Content-Type", "application/problem+json")
        .end(new JsonObject()
            .put("type", "https://taskbus.io/problems/unauthorized")
            .put("title", "Unauthorized").put("status", 401)
            .put("detail", "The bridge needs a valid token: ?token=<jwt> on the SockJS URL")
            .toBuffer());
  }
}
