package io.taskbus.api;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission before any work, refused at once with 503 busy and {@code Retry-After}: always past
 * {@code api.maxInFlight} requests under way in this process, and past the pool's connections while
 * a queue stands ({@link QueueDelay}). Past what the database pool and the cores serve, every
 * request admitted only waits behind the others and sheds latency onto all of them (perf/README.md,
 * the overload scenario); refused early, the excess costs almost nothing and the admitted keep
 * close to their unloaded latency.
 */
final class Admission {

  /** One count per process, like the pool and the cores it protects. */
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();

  private final int limit;
  private final int connections;
  private final QueueDelay queue;

  Admission(int limit, int connections, QueueDelay queue) {
    if (limit < 1) {
      throw new IllegalArgumentException("api.maxInFlight must be at least 1");
    }
    this.limit = limit;
    this.connections = connections;
    this.queue = queue;
  }

  void handle(RoutingContext ctx) {
    int inFlight = IN_FLIGHT.incrementAndGet();
    if (inFlight > limit || queue.refuses(inFlight, connections, System.nanoTime())) {
      IN_FLIGHT.decrementAndGet();
      throw new ApiException(
          503, "busy", "Service Unavailable", "The service is busy; retry shortly");
    }
    // the end handler runs once the response is written or the connection is gone
    ctx.addEndHandler(done -> IN_FLIGHT.decrementAndGet());
    ctx.next();
  }
}
