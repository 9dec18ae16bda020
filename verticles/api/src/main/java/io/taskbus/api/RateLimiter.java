package io.taskbus.api;

import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-user token buckets, shared by the HTTP event loops of this process (so with N api replicas a
 * user gets up to N times the rate). The map is bounded: the least recently seen users go first.
 */
public final class RateLimiter {

  private static final int MAX_USERS = 100_000;

  private double perSecond;
  private double burst;
  private final Map<String, double[]> buckets =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
          return size() > MAX_USERS;
        }
      };

  public RateLimiter(double perSecond, double burst) {
    update(perSecond, burst);
  }

  /** The configuration's limits for every user from the next request on (a changed file). */
  public void update(io.vertx.core.json.JsonObject config) {
    ApiSettings settings = ApiSettings.from(config);
    update(settings.rateLimitPerSecond(), settings.rateLimitBurst());
  }

  /** New limits for every user from the next request on. */
  public synchronized void update(double perSecond, double burst) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "api.rateLimitPerSecond must be positive and" + " api.rateLimitBurst at least 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** Seconds until a request would be allowed: 0 when it is allowed now (and a token is taken). */
  public synchronized double take(String user, long nowNanos) {
    double[] bucket = buckets.computeIfAbsent(user, u -> new double[] {burst, nowNanos});
    // event loops read the clock before they take the lock, so a request may arrive here with an
    // earlier time than the last one: no time passed, rather than time running back (which at a
    // high rate took hundreds of tokens and answered 429 at no load)
    double tokens =
        Math.min(burst, bucket[0] + Math.max(0, nowNanos - bucket[1]) / 1e9 * perSecond);
    bucket[1] = Math.max(bucket[1], nowNanos);
    if (tokens >= 1) {
      bucket[0] = tokens - 1;
      return 0;
    }
    bucket[0] = tokens;
    return (1 - tokens) / perSecond;
  }

  void handle(RoutingContext ctx) {
    require(ctx, TaskHandlers.user(ctx));
    ctx.next();
  }

  /** A 429 with {@code Retry-After} unless {@code key} (a user, mostly) may make a request now. */
  void require(RoutingContext ctx, String key) {
    double wait = take(key, System.nanoTime());
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString((long) Math.ceil(wait)));
      throw new ApiException(
          429,
          "rate-limited",
          "Too Many Requests",
          "Too many requests for this user; retry after the Retry-After seconds");
    }
  }
}
