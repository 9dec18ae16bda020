package io.taskbus.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission before any work: a request that finds as many under way in this process as {@link
 * QueueTime} admits now (never more than {@code api.maxInFlight}) is refused at once with 503 busy
 * and {@code Retry-After}. Past what the database pool and the cores serve, every request admitted
 * only waits behind the others and sheds latency onto all of them (perf/README.md, the overload
 * scenario); refused early, the excess costs almost nothing and the admitted keep close to their
 * unloaded latency.
 */
final class Admission {

  /** One count per process, like the pool and the cores it protects. */
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();

  /** The operation keys by route and declared method. */
  private static final Map<Route, Map<HttpMethod, String>> OPERATIONS = new ConcurrentHashMap<>();

  private final QueueTime queue;
  private final Counter refused;

  Admission(QueueTime queue) {
    this.queue = queue;
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      refused = null;
      return;
    }
    Gauge.builder("taskbus.api.admission.limit", queue, QueueTime::limit)
        .description("Requests this process admits at once now (admission by queue time)")
        .register(registry);
    refused =
        Counter.builder("taskbus.api.admission.refused")
            .description("Requests refused with 503 busy before any work, past the admission limit")
            .register(registry);
  }

  void handle(RoutingContext ctx) {
    long admitted = System.nanoTime();
    if (!queue.admits(IN_FLIGHT.incrementAndGet(), admitted)) {
      IN_FLIGHT.decrementAndGet();
      if (refused != null) {
        refused.increment();
      }
      throw new ApiException(
          503, "busy", "Service Unavailable", "The service is busy; retry shortly");
    }
    // the end handler runs once the response is written or the connection is gone
    ctx.addEndHandler(
        done -> {
          IN_FLIGHT.decrementAndGet();
          long now = System.nanoTime();
          queue.ended(operation(ctx), now - admitted, now);
        });
    ctx.next();
  }

  /** The method and the route's template: one per operation, never a path with ids in it. */
  private static String operation(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    HttpMethod method = ctx.request().method();
    Set<HttpMethod> declared = route == null ? null : route.methods();
    if (declared == null || !declared.contains(method)) {
      // matched by no operation's method (a 404 or 405): any method name may come, so no cache
      return key(method, route);
    }
    // the routes and their methods are fixed at start: a key made once each, not per request
    Map<HttpMethod, String> byMethod =
        OPERATIONS.computeIfAbsent(route, r -> new ConcurrentHashMap<>());
    String key = byMethod.get(method);
    return key != null ? key : byMethod.computeIfAbsent(method, m -> key(m, route));
  }

  private static String key(HttpMethod method, Route route) {
    return method.name() + " " + (route == null ? "" : route.getPath());
  }
}
