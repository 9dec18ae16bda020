package io.taskbus.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.util.List;
import java.util.regex.Pattern;

/**
 * vertx-web's JWT handler, except that a bearer token of the wrong shape (no token after the
 * scheme, more than three parts, a character base64url does not have) is a 401 like any other token
 * that is not valid, as RFC 6750 (invalid_token) and the OpenAPI document say; vertx-web answers
 * those with a 400 before it reads the token, without WWW-Authenticate.
 */
final class BearerTokenHandler implements JWTAuthHandler {

  private static final Pattern SHAPE =
      Pattern.compile("[Bb][Ee][Aa][Rr][Ee][Rr] [A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*){0,2}");

  private final JWTAuthHandler delegate;

  BearerTokenHandler(JWTAuthHandler delegate) {
    this.delegate = delegate;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null
        && authorization.regionMatches(true, 0, "Bearer", 0, 6)
        && !SHAPE.matcher(authorization).matches()) {
      ctx.fail(401);
      return;
    }
    delegate.handle(ctx);
  }

  @Override
  public JWTAuthHandler scopeDelimiter(String delimiter) {
    return new BearerTokenHandler(delegate.scopeDelimiter(delimiter));
  }

  @Override
  public JWTAuthHandler withScope(String scope) {
    return new BearerTokenHandler(delegate.withScope(scope));
  }

  @Override
  public JWTAuthHandler withScopes(List<String> scopes) {
    return new BearerTokenHandler(delegate.withScopes(scopes));
  }
}
