package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.Map;

/**
 * The "overload" scenario: what an accepted create waits when twice as many arrive as taskbus can
 * serve. Measures the maximum (closed loop), then creates at a constant arrival rate twice: at
 * {@code --base-fraction} of it (the baseline: unloaded) and at {@code --factor} times it, from
 * a client that never queues a request itself (as many connections as requests in flight), so every
 * wait is the server's. Reports the accepted creates' latency percentiles beside the baseline's,
 * the goodput and what was refused.
 */
public final class OverloadScenario {

  static final Map<String, String> DEFAULTS =
      Options.defaults(
          "base-url", "http://127.0.0.1:8080",
          "users", "20",
          "connections", "32",
          "warmup", "20",
          "max-duration", "15",
          "open-duration", "20",
          "base-fraction", "0.5",
          "factor", "2",
          "drain", "30",
          "label", "");

  private OverloadScenario() {}

  record Results(Phase max, Phase base, Latency baseAccepted, Phase over, Latency overAccepted) {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parseOrExit(args, DEFAULTS);
    Results r = OneLoop.run(vertx -> run(vertx, o));
    System.out.print(report(o, r));
    System.exit(r.over().created == 0 ? 1 : 0);
  }

  private static Future<Results> run(Vertx vertx, Options o) {
    // no client-side queue: a connection for every request in flight, whatever the rate
    Api api = new Api(vertx, o.string("base-url"), 100_000);
    Request create = api.creates("perf overload");
    Phase[] max = new Phase[1];
    Latency baseAccepted = new Latency();
    Latency overAccepted = new Latency();
    Phase[] base = new Phase[1];
    return api.signIn(o.integer("users"))
        .compose(
            v -> {
              Promise<Void> warm = Promise.promise();
              vertx.setTimer(o.integer("warmup") * 1000L, t -> warm.complete());
              log("closed loop: %d connections, %d s warm-up, %d s measured",
                  o.integer("connections"), o.integer("warmup"), o.integer("max-duration"));
              return new ClosedLoop(create, Request.Answered.NOTHING)
                  .run(o.integer("connections"), warm.future(), o.integer("max-duration") * 1000L);
            })
        .compose(
            phase -> {
              max[0] = phase;
              double rate = phase.rate() * o.number("base-fraction");
              log("max %.1f creates/s; baseline at %.1f/s for %d s", phase.rate(), rate,
                  o.integer("open-duration"));
              return new OpenLoop(vertx, create, accepted(baseAccepted))
                  .drainLimit(o.integer("drain") * 1000L)
                  .run(new Phase("base"), rate, o.integer("open-duration") * 1000L);
            })
        .compose(
            phase -> {
              base[0] = phase;
              double rate = max[0].rate() * o.number("factor");
              log("overload at %.1f creates/s for %d s", rate, o.integer("open-duration"));
              return new OpenLoop(vertx, create, accepted(overAccepted))
                  .drainLimit(o.integer("drain") * 1000L)
                  .run(new Phase("overload"), rate, o.integer("open-duration") * 1000L);
            })
        .compose(
            over ->
                api.close()
                    .transform(ar -> Future.succeededFuture(
                        new Results(max[0], base[0], baseAccepted, over, overAccepted))));
  }

  /** Latency of the creates that were accepted (201), from their scheduled send time. */
  private static Request.Answered accepted(Latency into) {
    return (n, outcome, at, latency, phase) -> {
      if (outcome.created()) {
        into.recordNanos(latency);
      }
    };
  }

  static String report(Options o, Results r) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "taskbus perf: overload scenario%s%n",
        o.string("label").isEmpty() ? "" : ", " + o.string("label")));
    out.append(String.format(Locale.ROOT,
        "maximum (closed loop, %d connections): %.1f creates/s, p99 %s ms%n",
        o.integer("connections"), r.max().rate(), Latency.fmt(r.max().latency.ms(99))));
    out.append(String.format(Locale.ROOT, "%-28s %14s %14s%n", "open model, accepted creates",
        "baseline", "overload"));
    row(out, "arrival rate, creates/s", r.base().targetRate, r.over().targetRate);
    row(out, "goodput, creates/s", r.base().rate(), r.over().rate());
    out.append(String.format(Locale.ROOT, "%-28s %14d %14d%n", "accepted", r.base().created,
        r.over().created));
    out.append(String.format(Locale.ROOT, "%-28s %14d %14d%n", "refused or failed",
        r.base().failed, r.over().failed));
    for (double p : Latency.PERCENTILES) {
      out.append(String.format(Locale.ROOT, "%-28s %14s %14s%n", "latency p" + fmtP(p) + " ms",
          Latency.fmt(r.baseAccepted().ms(p)), Latency.fmt(r.overAccepted().ms(p))));
    }
    out.append(String.format(Locale.ROOT, "%-28s %14s %14s%n", "latency max ms",
        Latency.fmt(r.baseAccepted().maxMs()), Latency.fmt(r.overAccepted().maxMs())));
    out.append("refusals under overload: ").append(r.over().errors).append('\n');
    out.append(String.format(Locale.ROOT,
        "overload: goodput %.2fx the maximum; accepted p99 %.1fx the baseline's%n",
        r.over().rate() / Math.max(1e-9, r.max().rate()),
        r.overAccepted().ms(99) / Math.max(1e-9, r.baseAccepted().ms(99))));
    return out.toString();
  }

  private static void row(StringBuilder out, String name, double base, double over) {
    out.append(String.format(Locale.ROOT, "%-28s %14.1f %14.1f%n", name, base, over));
  }

  private static String fmtP(double p) {
    return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[overload] " + format + "%n", args);
  }
}
