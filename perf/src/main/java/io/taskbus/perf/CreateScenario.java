package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The "create" scenario: maximum create throughput (closed loop), then creates at a constant
 * arrival rate (open model) while one WebSocket per user times each event from HTTP response to
 * arrival; finally a report side by side with pgbench's run of the same SQL (read from its output
 * and log files, see perf/run-create.sh). All network work runs on one event loop.
 */
public final class CreateScenario {

  private CreateScenario() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parseOrExit(args, Options.DEFAULTS);
    Results results = OneLoop.run(vertx -> run(vertx, options));
    // read afterwards: with --hold, pgbench ran while this generator held
    Pgbench pgbench = Pgbench.read(options.string("pgbench-out"), options.string("pgbench-log-prefix"));
    pgbench.schema = options.string("pgbench-schema");
    System.out.print(Report.render(options, pgbench, results));
    System.exit(results.failedBadly() ? 1 : 0);
  }

  /** Everything one run measured. */
  record Results(Instant startedAt, Phase probe, double probeSeconds, Phase max, String maxCpu,
      CpuCost maxCost, Phase open, String openCpu, CpuCost openCost, String relayLag,
      EventWatcher watcher) {
    boolean failedBadly() {
      return (max.sent > 0 && max.created == 0) || open.created == 0;
    }
  }

  private static Future<Results> run(Vertx vertx, Options o) {
    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long appPid = Long.parseLong(System.getenv().getOrDefault("TASKBUS_PERF_APP_PID", "0"));
    Jvm jvm = Jvm.attach(appPid);
    Api api = new Api(vertx, o.string("base-url"), o.integer("connections"));
    EventWatcher watcher = new EventWatcher(vertx, api, o.integer("event-timeout") * 1000L,
        o.integer("ping-interval") * 1000L);
    Phase probe = new Phase("probe");
    long probeStart = System.nanoTime();
    List<String> cpu = new ArrayList<>();
    List<CpuCost> cost = new ArrayList<>();
    Phase[] max = new Phase[1];
    String[] relayLag = {"-"};
    return api.signIn(o.integer("users"))
        .compose(v -> watcher.connect())
        .compose(v -> probe(vertx, api, watcher, probe, probeStart + 90_000_000_000L))
        .compose(v -> {
          log("live pipeline answered after %.1f s", (System.nanoTime() - probeStart) / 1e9);
          if (o.integer("max-duration") <= 0) {
            if (o.number("rate") <= 0) {
              return Future.failedFuture("--max-duration 0 needs a --rate");
            }
            cpu.add("-");
            cost.add(new CpuCost());
            return Future.succeededFuture(new Phase("max"));
          }
          log("max-throughput phase: %d connections, %d s after %s", o.integer("connections"),
              o.integer("max-duration"), Warmup.describe(o));
          Sample[] window = new Sample[2];
          Request create = api.creates("perf max");
          ClosedLoop loop = new ClosedLoop(create, awaitEvent(watcher));
          ClosedLoop warm = new ClosedLoop(create, awaitEvent(watcher));
          long progress = progress(vertx, () -> loop.completed + warm.completed, jvm, "creates/s");
          return Warmup.measure(vertx, o, appPid, loop, warm,
                  () -> window[0] = Sample.take(appPid, jvm), () -> window[1] = Sample.take(appPid, jvm))
              .map(phase -> {
                vertx.cancelTimer(progress);
                Sample end = window[1] == null ? Sample.take(appPid, jvm) : window[1];
                cpu.add(window[0] == null ? "-" : window[0].describe(end));
                cost.add(window[0] == null ? new CpuCost() : window[0].cost(end));
                return phase;
              });
        })
        .compose(phase -> {
          max[0] = phase;
          log("max: %.1f creates/s; waiting for its events (up to %d s)", phase.rate(),
              o.integer("event-timeout"));
          return watcher.settle(phase.events).compose(v -> pause(vertx, 2000));
        })
        .compose(v -> {
          double rate = o.number("rate") > 0 ? o.number("rate")
              : Math.max(1, max[0].rate() * o.number("rate-fraction"));
          return openWarmup(vertx, o, api, watcher, rate).map(rate);
        })
        .compose(rate -> {
          log("open model: %.1f creates/s for %d s", rate, o.integer("open-duration"));
          Sample from = Sample.take(appPid, jvm);
          return api.metrics(RELAY_LAG).compose(before -> new OpenLoop(vertx,
                  api.creates("perf open"),
                  awaitEvent(watcher))
              .run(rate, o.integer("open-duration") * 1000L)
              .compose(phase -> {
                Sample end = Sample.take(appPid, jvm);
                cpu.add(from.describe(end));
                cost.add(from.cost(end));
                return api.metrics(RELAY_LAG).map(after -> {
                  relayLag[0] = relayLag(before, after);
                  return phase;
                });
              }));
        })
        .compose(open -> {
          log("open: %d created, %d failed; waiting for events", open.created, open.failed);
          return watcher.settle(open.events).map(open);
        })
        .compose(open -> watcher.close().transform(ar -> api.close()).map(v -> new Results(
            startedAt, probe, (System.nanoTime() - probeStart) / 1e9, max[0], cpu.get(0),
            cost.get(0), open, cpu.get(1), cost.get(1), relayLag[0], watcher)));
  }

  /**
   * The open model's rate, unmeasured, until its events arrived: the measured window starts in
   * that rate's steady state, as the max phase starts after its warm-up, not in the switch from the
   * closed loop (the relay going back to waking per notification, the JIT compiling what a slower
   * rate runs; perf/README.md, the create scenario).
   */
  private static Future<Void> openWarmup(
      Vertx vertx, Options o, Api api, EventWatcher watcher, double rate) {
    int seconds = o.integer("open-warmup");
    if (seconds <= 0) {
      return Future.succeededFuture();
    }
    log("open model warm-up: %.1f creates/s for %d s (not measured)", rate, seconds);
    return new OpenLoop(vertx, api.creates("perf open warm-up"), awaitEvent(watcher))
        .run(new Phase("open warm-up"), rate, seconds * 1000L)
        .compose(phase -> watcher.settle(phase.events))
        .compose(v -> pause(vertx, 1000));
  }

  /** Each created task's event is awaited on its user's socket, timed from this answer. */
  private static Request.Answered awaitEvent(EventWatcher watcher) {
    return (n, o, at, latency, phase) -> {
      if (o.created()) {
        watcher.responded(o.taskId(), at, phase.events);
      }
    };
  }

  /**
   * Creates one task per user until each user's socket has seen an event: the Kafka consumer
   * group of the live subscription may still be joining when the app reports ready, and a
   * registration on the bridge is not acknowledged.
   */
  private static Future<Void> probe(Vertx vertx, Api api, EventWatcher watcher, Phase probe,
      long deadline) {
    Promise<Void> done = Promise.promise();
    probeRound(vertx, api, watcher, probe, deadline, done);
    return done.future();
  }

  private static void probeRound(Vertx vertx, Api api, EventWatcher watcher, Phase probe,
      long deadline, Promise<Void> done) {
    EventWatcher.Stats round = new EventWatcher.Stats("probe");
    List<Future<Api.Outcome>> creates = new ArrayList<>();
    for (int u = 0; u < api.users.size(); u++) {
      creates.add(api.create(u, "perf probe").onSuccess(out -> {
        probe.outcome(out);
        if (out.created()) {
          watcher.responded(out.taskId(), System.nanoTime(), round);
        }
      }));
    }
    Future.all(creates).compose(v -> watcher.settle(round)).onComplete(ar -> {
      if (round.expected > 0 && round.received == round.expected) {
        done.complete();
      } else if (System.nanoTime() > deadline) {
        done.fail("no live events on the bridge after 90 s (" + round.received + " of "
            + round.expected + " in the last round, HTTP errors " + probe.errors + ")");
      } else {
        vertx.setTimer(500, t -> probeRound(vertx, api, watcher, probe, deadline, done));
      }
    });
  }

  /** The app's own timer of outbox row time (the task's timestamp) to Kafka acknowledgement. */
  static final String RELAY_LAG = "taskbus_relay_lag_seconds";

  /** Mean over the phase (from _sum and _count) and the app's own windowed quantiles. */
  static String relayLag(java.util.Map<String, Double> before, java.util.Map<String, Double> after) {
    Double s0 = before.get(RELAY_LAG + "_sum");
    Double c0 = before.get(RELAY_LAG + "_count");
    Double s1 = after.get(RELAY_LAG + "_sum");
    Double c1 = after.get(RELAY_LAG + "_count");
    if (s0 == null || c0 == null || s1 == null || c1 == null || c1 <= c0) {
      return "-";
    }
    StringBuilder text = new StringBuilder(String.format(java.util.Locale.ROOT,
        "mean %.1f ms over the phase (%.0f events)", 1000 * (s1 - s0) / (c1 - c0), c1 - c0));
    after.forEach((series, value) -> {
      int q = series.indexOf("quantile=\"");
      if (series.startsWith(RELAY_LAG + "{") && q > 0) {
        String quantile = series.substring(q + 10, series.indexOf('"', q + 10));
        text.append(String.format(java.util.Locale.ROOT, ", p%s %.1f ms",
            quantile.replace("0.", "").replaceAll("^5$", "50"), 1000 * value));
      }
    });
    Double max = after.get(RELAY_LAG + "_max");
    if (max != null) {
      text.append(String.format(java.util.Locale.ROOT, ", max %.1f ms", 1000 * max));
    }
    return text.toString();
  }

  /** Every 5 s: requests/s of the closed loop and the app JVM's JIT activity, on stderr. */
  static long progress(Vertx vertx, java.util.function.LongSupplier completed, Jvm jvm, String unit) {
    long started = System.nanoTime();
    long[] last = {0};
    Jvm.Counters[] jit = {jvm == null ? null : jvm.read()};
    return vertx.setPeriodic(5000, id -> {
      long done = completed.getAsLong();
      Jvm.Counters now = jvm == null ? null : jvm.read();
      log("  %3.0f s: %6.0f %s%s", (System.nanoTime() - started) / 1e9, (done - last[0]) / 5.0, unit,
          now == null || jit[0] == null ? "" : String.format(java.util.Locale.ROOT,
              "; app JIT: %d methods compiled, %.1f s", now.compiles() - jit[0].compiles(),
              now.compileSeconds() - jit[0].compileSeconds()));
      last[0] = done;
      jit[0] = now;
    });
  }

  static Future<Void> pause(Vertx vertx, long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, t -> p.complete());
    return p.future();
  }

  static void log(String format, Object... args) {
    System.err.printf("[perf] " + format + "%n", args);
  }
}
