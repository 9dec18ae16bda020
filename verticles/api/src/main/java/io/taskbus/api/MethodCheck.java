package io.taskbus.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The last route of the API: a path that exists with other methods is a 405 with {@code Allow},
 * anything else a 404. (A sub-router hands unmatched requests back to its parent as plain 404s.)
 */
final class MethodCheck {

  private record Known(Pattern path, Set<HttpMethod> methods) {}

  private final List<Known> routes = new ArrayList<>();

  MethodCheck(Router router) {
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && !route.isRegexPath() && route.methods() != null) {
        String regex = route.getPath().replaceAll(":[A-Za-z]+", "[^/]+");
        routes.add(new Known(Pattern.compile(regex), route.methods()));
      }
    }
  }

  void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String mount = ctx.mountPoint();
    if (mount != null && path.startsWith(mount)) {
      path = path.substring(mount.length() - (mount.endsWith("/") ? 1 : 0));
    }
    TreeSet<String> allowed = new TreeSet<>();
    for (Known known : routes) {
      if (known.path().matcher(path).matches()) {
        known.methods().forEach(m -> allowed.add(m.name()));
      }
    }
    if (allowed.isEmpty()) {
      throw Problems.forStatus(404);
    }
    ctx.response().putHeader("Allow", String.join(", ", allowed));
    throw Problems.forStatus(405);
  }
}
