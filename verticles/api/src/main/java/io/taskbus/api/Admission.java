package io.taskbus.api;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
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

  private final QueueTime queue;

  Admission(QueueTime queue) {
    this.queue = queue;
  }

  void handle(RoutingContext ctx) {
    long admitted = System.nanoTime();
    if (!queue.admits(IN_FLIGHT.incrementAndGet(), admitted)) {
      IN_FLIGHT.decrementAndGet();
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
    return ctx.request().method().name() + " " + (route == null ? "" : route.getPath());
  }
}
