package io.taskbus.bridge;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-site WebSocket hijacking defence: a browser sends its page's Origin with every WebSocket
 * and cross-origin request, and a page of another site must not use the bridge. Allowed are the
 * server's own origin (same host and port as the request) and those configured in {@code
 * bridge.allowedOrigins}. A request without an Origin passes (a client that is no browser page; its
 * bearer token is its only credential) unless a browser marks it cross-site.
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
        ? allowed.contains(origin.toLowerCase(Locale.ROOT)) || sameOrigin(origin, host(ctx))
        : !crossSiteBrowser(ctx)) {
      ctx.next();
      return;
    }
    BridgeProblems.send(
        ctx,
        403,
        "forbidden-origin",
        "Forbidden",
        origin == null
            ? "A cross-site request without an Origin header may not use the bridge"
            : "Origin " + origin + " may not use the bridge");
  }

  /**
   * A request without an Origin comes from a client that is no browser page (sockjs-client under
   * Node, a mobile app, a CLI) or from a browser's same-origin GET (SockJS's first {@code /info}):
   * it carries a bearer token, not a cookie, so no other site can make it on a user's behalf. A
   * browser says when such a request is cross-site; that one is refused.
   */
  private static boolean crossSiteBrowser(RoutingContext ctx) {
    return "cross-site".equalsIgnoreCase(ctx.request().getHeader("Sec-Fetch-Site"));
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
