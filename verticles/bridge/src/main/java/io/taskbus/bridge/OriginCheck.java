package io.taskbus.bridge;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-site WebSocket hijacking defence: a browser sends its page's Origin with every WebSocket
 * and SockJS request, and a page of another site must not ride on a user's credentials. Allowed are
 * the server's own origin (same host and port as the request) and those configured in {@code
 * bridge.allowedOrigins}; a missing Origin is refused too, except on SockJS's info request.
 */
final class OriginCheck implements Handler<RoutingContext> {

  private final Set<String> allowed;

  OriginCheck(String allowedOrigins) {
    this.allowed =
        allowedOrigins == null
            ? Set.of()
            : Arrays.stream(allowedOrigins.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null
        && (allowed.contains(origin.toLowerCase(Locale.ROOT)) || sameOrigin(origin, host(ctx)))) {
      ctx.next();
      return;
    }
    if (origin == null && sockJsInfo(ctx)) {
      ctx.next();
      return;
    }
    ctx.response()
        .setStatusCode(403)
        .putHeader("Content-Type", "application/problem+json")
        .end(
            new JsonObject()
                .put("type", "https://taskbus.io/problems/forbidden-origin")
                .put("title", "Forbidden")
                .put("status", 403)
                .put(
                    "detail",
                    origin == null
                        ? "The bridge needs an Origin header"
                        : "Origin " + origin + " may not use the bridge")
                .toBuffer());
  }

  /**
   * SockJS starts with {@code GET <prefix>/info}, a same-origin XMLHttpRequest, and browsers send
   * no Origin on a same-origin GET; without this the page's own bridge would be refused. The info
   * answer carries no data (transport options and entropy), it still needs the token, and every
   * transport that follows (WebSocket, XHR POSTs) carries an Origin that is checked.
   */
  private static boolean sockJsInfo(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    return (method == HttpMethod.GET || method == HttpMethod.HEAD)
        && ctx.request().path().endsWith("/info")
        // only a WebSocket handshake is no info request (an HTTP/2 upgrade offer still is)
        && !"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))
        && !"cross-site".equalsIgnoreCase(ctx.request().getHeader("Sec-Fetch-Site"));
  }

  /** Host (HTTP/1.1) or :authority (HTTP/2, where there is no Host header) of the request. */
  private static String host(RoutingContext ctx) {
    var authority = ctx.request().authority();
    if (authority == null) {
      return null;
    }
    return authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
  }

  private static boolean sameOrigin(String origin, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI uri = URI.create(origin);
      if (uri.getHost() == null) {
        return false;
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      String originHost = uri.getHost().toLowerCase(Locale.ROOT);
      String requestHost = host.toLowerCase(Locale.ROOT);
      return requestHost.equals(originHost + ":" + port)
          || (requestHost.equals(originHost) && (port == 80 || port == 443));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
