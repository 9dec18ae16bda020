package io.taskbus.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/** Sign-in for the embedded developer default: a token for any user name, valid for 12 hours. */
final class DevTokenHandler implements Handler<RoutingContext> {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
  private static final int LIFETIME_SECONDS = 12 * 3600;

  private final JWTAuth auth;

  DevTokenHandler(JWTAuth auth) {
    this.auth = auth;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Object user = Bodies.object(ctx).getValue("user");
    if (!(user instanceof String name) || !NAME.matcher(name).matches()) {
      throw Violations.of(
          "user",
          "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    String token =
        auth.generateToken(
            new JsonObject().put("sub", name),
            new JWTOptions().setExpiresInSeconds(LIFETIME_SECONDS));
    Responses.json(
        ctx,
        new JsonObject().put("token", token).put("user", name).put("expiresIn", LIFETIME_SECONDS));
  }
}
