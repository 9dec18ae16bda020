package io.taskbus.perf;

import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side text report of the create scenario (also what perf/results/*-create.txt
 * holds), and the pieces the search scenario's report ({@link SearchReport}) shares with it.
 */
class Report {

  static final double THROUGHPUT_TARGET = 0.7;
  static final double EVENT_P99_TARGET_MS = 100;

  final StringBuilder out = new StringBuilder();

  Report() {}

  static String render(Options o, Pgbench pg, CreateScenario.Results r) {
    return new Report().build(o, pg, r).out.toString();
  }

  private String summaryRatio = "no pgbench figure";

  private Report build(Options o, Pgbench pg, CreateScenario.Results r) {
    Phase max = r.max();
    if (pg.present() && pg.tps > 0 && max.sent > 0) {
      summaryRatio = String.format(Locale.ROOT, "%.2fx pgbench's %s, target 0.70x", max.rate() / pg.tps,
          num(pg.tps));
    }
    Phase open = r.open();
    int cores = Runtime.getRuntime().availableProcessors();
    line("taskbus perf: create scenario, %s%s", r.startedAt(),
        o.string("label").isEmpty() ? "" : "  (" + o.string("label") + ")");
    line("machine: %d cores, shared by PostgreSQL, Kafka, the app and the load generator", cores);
    line("users: %d (perf-u0..perf-u%d, round-robin), concurrency: %d connections%s",
        o.integer("users"), o.integer("users") - 1, o.integer("connections"),
        pg.present() ? ", pgbench -c " + pg.clients + " -M prepared" : "");
    if (pg.present() && !pg.schema.isEmpty()) {
      line("pgbench tables: schema %s%s", pg.schema, "public".equals(pg.schema)
          ? " (the app's own tables: the app's relay also ships pgbench's outbox rows)"
          : " (copies of the app's tables with their indexes, row-level security and outbox"
              + " trigger; the app's relay does not ship pgbench's rows)");
    }
    line("");

    line("1. Maximum throughput (closed loop: each connection sends its next create when the last"
        + " one answered)");
    if (max.sent == 0) {
      line("   taskbus phase skipped (--max-duration 0)%s", pg.present()
          ? String.format(Locale.ROOT, "; pgbench: %s tps", num(pg.tps)) : "");
      line("");
      return open(o, r, open);
    }
    line("   pgbench: %s; taskbus: %d s measured after %s",
        pg.present() ? pg.seconds + " s" : "not run", o.integer("max-duration"), Warmup.describe(o));
    throughput("create", pg, max, Pgbench.cpuLine(o), r.maxCpu(), Pgbench.cpuCost(o, 1),
        r.maxCost());
    errors(max.errors);
    line("");
    return open(o, r, open);
  }

  private Report open(Options o, CreateScenario.Results r, Phase open) {
    Phase max = r.max();
    line("2. Open model: %s creates/s scheduled for %d s (%s) after %d s unmeasured at that rate,"
        + " latency from the scheduled send time", num(open.targetRate),
        o.integer("open-duration"),
        o.number("rate") > 0 ? "--rate" : "rate-fraction " + o.string("rate-fraction")
            + " of the measured taskbus maximum", o.integer("open-warmup"));
    line("   sent %d, created %d, errors %d, achieved %s creates/s", open.sent, open.created,
        open.failed, num(open.rate()));
    percentiles("latency ms", open.latency);
    line("   generator dispatch lag ms: p99 %s, max %s (the generator's own delay, included above)",
        Latency.fmt(open.dispatchLag.ms(99)), Latency.fmt(open.dispatchLag.maxMs()));
    line("   CPU: %s", r.openCpu());
    line("   %s", r.openCost().line("create", open.created));
    errors(open.errors);
    line("");

    EventWatcher.Stats ev = open.events;
    line("3. HTTP 201 received -> event received on the SockJS WebSocket (open-model phase,"
        + " %d sockets, one per user)", o.integer("users"));
    line("   expected %d, received %d, missing after %d s %d, late %d, duplicates %d,"
        + " before the 201 %d", ev.expected, ev.received, o.integer("event-timeout"), ev.missing,
        ev.late, ev.duplicates, ev.beforeResponse);
    percentiles("delay ms", ev.delay);
    if (ev.missing > 0) {
      line("   (each missing event is counted in the percentiles as %d ms)",
          o.integer("event-timeout") * 1000);
    }
    line("   of which outbox -> Kafka ack, the app's taskbus.relay.lag: %s", r.relayLag());
    line("   (the quantiles are the app's, over its last ~2 minutes, so they include the max phase)");
    double p99 = ev.delay.ms(99);
    line("   target p99 <= %.0f ms: %s", EVENT_P99_TARGET_MS, Double.isNaN(p99) ? "NOT MEASURED"
        : p99 <= EVENT_P99_TARGET_MS ? "MET"
        : String.format(Locale.ROOT, "NOT MET (p99 %s ms, %.1fx the target)", Latency.fmt(p99),
            p99 / EVENT_P99_TARGET_MS));
    EventWatcher.Stats mev = max.events;
    line("   for comparison, during the max-throughput phase: p50 %s, p99 %s, max %s ms;"
        + " %d of %d missing", Latency.fmt(mev.delay.ms(50)), Latency.fmt(mev.delay.ms(99)),
        Latency.fmt(mev.delay.maxMs()), mev.missing, mev.expected);
    line("   sockets closed by the server during the run: %d; frames not matched: %d",
        r.watcher().closes(), r.watcher().unmatched());
    line("");

    line("Summary: throughput %s creates/s (%s); event p99 at %s creates/s: %s ms (%s)",
        num(max.rate()), summaryRatio, 
        num(open.targetRate), Latency.fmt(p99),
        !Double.isNaN(p99) && p99 <= EVENT_P99_TARGET_MS ? "target met" : "target not met");
    return this;
  }

  /**
   * pgbench's figures beside taskbus's closed-loop phase of the same transaction at the same
   * concurrency, and the ratio against {@link #THROUGHPUT_TARGET}; {@code operation} names what
   * one transaction is ("create", "search"). The CPU per operation of each side comes from the
   * same jiffies as its CPU line.
   */
  void throughput(String operation, Pgbench pg, Phase max, String pgbenchCpu, String appCpu,
      CpuCost pgCost, CpuCost appCost) {
    String unit = CpuCost.plural(operation);
    row("", "pgbench (SQL only)", "taskbus (HTTP API)");
    row(unit + "/s", pg.present() ? num(pg.tps) : "-", num(max.rate()));
    row("transactions", pg.present() ? String.valueOf(pg.processed) : "-", String.valueOf(max.created));
    row("errors", pg.present() ? String.valueOf(pg.failed + pg.logFailed) : "-",
        String.valueOf(max.failed));
    for (double p : Latency.PERCENTILES) {
      row("latency p" + pct(p) + " ms", pg.latency.count() > 0 ? Latency.fmt(pg.latency.ms(p)) : "-",
          Latency.fmt(max.latency.ms(p)));
    }
    row("latency max ms", pg.latency.count() > 0 ? Latency.fmt(pg.latency.maxMs()) : "-",
        Latency.fmt(max.latency.maxMs()));
    row("ms CPU / " + operation, pg.present() ? CpuCost.fmt(pgCost.totalMs(pg.processed)) : "-",
        CpuCost.fmt(appCost.totalMs(max.created)));
    line("   CPU, pgbench: %s", pgbenchCpu == null || pgbenchCpu.isEmpty() ? "-" : pgbenchCpu);
    line("      %s", pgCost.line(operation, pg.present() ? pg.processed : 0));
    line("   CPU, taskbus: %s", appCpu);
    line("      %s", appCost.line(operation, max.created));
    if (pg.present() && pg.tps > 0) {
      double ratio = max.rate() / pg.tps;
      line("   ratio taskbus / pgbench: %.2f   target >= %.2f: %s", ratio, THROUGHPUT_TARGET,
          ratio >= THROUGHPUT_TARGET ? "MET"
              : String.format(Locale.ROOT, "NOT MET (%.0f%% of the target; %.0f %s/s needed)",
                  100 * ratio / THROUGHPUT_TARGET, THROUGHPUT_TARGET * pg.tps, unit));
    }
  }

  void percentiles(String what, Latency l) {
    StringBuilder s = new StringBuilder();
    for (double p : Latency.PERCENTILES) {
      s.append("p").append(pct(p)).append(' ').append(Latency.fmt(l.ms(p))).append(", ");
    }
    line("   %s: %smax %s  (n=%d, mean %s)", what, s, Latency.fmt(l.maxMs()), l.count(),
        Latency.fmt(l.meanMs()));
  }

  void errors(Map<String, Long> errors) {
    errors.forEach((kind, n) -> line("   error: %d x %s", n, kind));
  }

  void row(String name, String left, String right) {
    line("   %-18s %20s %20s", name, left, right);
  }

  static String pct(double p) {
    return p == Math.floor(p) ? String.valueOf((int) p) : String.valueOf(p);
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  void line(String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
