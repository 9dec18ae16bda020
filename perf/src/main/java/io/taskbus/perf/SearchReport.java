package io.taskbus.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The search scenario's report (perf/results/*-search.txt); shares its layout with Report. */
final class SearchReport extends Report {

  /**
   * @param rounds pgbench's runs, one per round of the throughput phase
   * @param pipelined pgbench's runs of the same statements sent as one pipeline, one per round
   *     (empty when not run): beside the target's baseline, what PostgreSQL does with a client that
   *     sends them all before it reads an answer, as the API does
   */
  static String render(Options o, List<Pgbench> rounds, List<Pgbench> pipelined, String plans,
      SearchScenario.Results r) {
    SearchReport report = new SearchReport();
    report.build(o, rounds, pipelined, plans, r);
    return report.out.toString();
  }

  private void build(Options o, List<Pgbench> rounds, List<Pgbench> pipelined, String plans,
      SearchScenario.Results r) {
    Pgbench pg = Pgbench.sum(rounds);
    double target = o.number("p99-target");
    List<String> summary = new ArrayList<>();
    line("taskbus perf: search scenario, %s%s", r.startedAt(),
        o.string("label").isEmpty() ? "" : "  (" + o.string("label") + ")");
    line("machine: %d cores, shared by PostgreSQL, Kafka, the app, the load generator and whatever"
        + " else runs; load average %s at the start, %s at the end",
        Runtime.getRuntime().availableProcessors(), r.loadBefore(), r.loadAfter());
    if (!o.string("data").isEmpty()) {
      line("data: %s", o.string("data"));
    }
    line("searching as user %s; targets: p99 <= %s ms at %s requests/s per search; GET /tasks"
        + " throughput >= %.2f x pgbench's", o.string("user"), num(target), num(o.number("rate")),
        THROUGHPUT_TARGET);
    line("");

    line("1. Query plans: EXPLAIN (ANALYZE, BUFFERS) of the SQL the app's TaskQuery builds, run"
        + " as the API runs it");
    line("   (role taskbus_user with taskbus.user set, a prepared statement: executions 1-5 get a"
        + " custom plan, from the 6th PostgreSQL may switch to a generic one for good)");
    if (plans.isBlank()) {
      line("   not run");
    } else {
      out.append(plans);
    }
    line("");

    line("   first answer of each search (HTTP, before the load):");
    r.checks().forEach((k, v) -> line("   %-30s %s", v, k));
    line("");

    Phase max = r.max();
    throughputSection(o, pg, rounds, pipelined, r, summary);
    line("");

    if (r.open().isEmpty()) {
      line("3. Open model: not run (PHASES without open)");
      line("");
      line("Summary: %s", summary.isEmpty() ? "-" : String.join("; ", summary));
      return;
    }
    line("3. Open model: %s requests/s per search for %d s after %d s of warm-up at the same rate%s;"
        + " latency from the scheduled send time; a request unanswered %d s after the last one was"
        + " sent is abandoned, counted as an error with the latency it had reached",
        num(o.number("rate")), o.integer("open-duration"),
        o.integer("open-warmup"), o.integer("prewarm") > 0 ? String.format(Locale.ROOT,
            " (and %d s of closed loop on the default page before the first)", o.integer("prewarm"))
            : max.sent > 0 ? " (after the throughput phase)" : "", o.integer("drain"));
    for (SearchScenario.OpenResult res : r.open()) {
      Phase p = res.phase();
      Searches.Search s = res.search();
      line("   %s (%s): %s", s.name(), s.title(), s.variants().size() == 1
          ? "GET /api/v1/tasks?" + s.variants().get(0).readable()
          : "the variants take turns");
      line("      sent %d, answered 200 %d, errors %d, achieved %s requests/s", p.sent, p.created,
          p.failed, num(p.rate()));
      percentilesIndented("latency ms", p.latency);
      if (res.byVariant().size() > 1) {
        for (Map.Entry<String, Latency> v : res.byVariant().entrySet()) {
          Searches.Variant variant = s.variants().stream()
              .filter(x -> x.label().equals(v.getKey())).findFirst().orElseThrow();
          percentilesIndented("  " + variant.readable(), v.getValue());
        }
      }
      line("      generator dispatch lag ms: p99 %s, max %s (included above)",
          Latency.fmt(p.dispatchLag.ms(99)), Latency.fmt(p.dispatchLag.maxMs()));
      line("      CPU: %s", res.cpu().replace("\n   ", "\n      "));
      line("      %s", res.cost().line("search", p.created));
      errors(p.errors);
      double p99 = p.latency.ms(99);
      String verdict = Double.isNaN(p99) ? "NOT MEASURED" : p99 <= target ? "MET"
          : String.format(Locale.ROOT, "NOT MET (%.1fx the target)", p99 / target);
      line("      target p99 <= %s ms: %s", num(target), verdict);
      summary.add(String.format(Locale.ROOT, "%s p99 %s ms (%s)", s.name(), Latency.fmt(p99),
          verdict.startsWith("MET") ? "met" : "not met"));
    }
    line("");
    line("Summary: %s", String.join("; ", summary));
  }

  private void throughputSection(Options o, Pgbench pg, List<Pgbench> pgRounds,
      List<Pgbench> pipelined, SearchScenario.Results r, List<String> summary) {
    Phase max = r.max();
    String uri = Searches.named(Searches.of(o), o.string("throughput-search")).variants().get(0).uri();
    if (max.sent == 0 && !pg.present()) {
      line("2. Throughput: not run (PHASES without throughput)");
      return;
    }
    line("2. Throughput: GET %s, closed loop (each connection sends its next request when the last"
        + " one answered)", uri);
    if (max.sent == 0) {
      line("   taskbus phase skipped (--max-duration 0)%s", pg.present()
          ? String.format(Locale.ROOT, "; pgbench: %s tps", num(pg.tps)) : "");
      return;
    }
    line("   %d connections; pgbench -c %d -j 2 -M prepared: %s; taskbus: %d s measured %safter %s",
        o.integer("connections"), pg.clients,
        !pg.present() ? "not run" : pgRounds.size() > 1
            ? pgRounds.size() + " x " + pgRounds.get(0).seconds + " s" : pg.seconds + " s",
        o.integer("max-duration"), o.string("wrk").isEmpty() ? "" : "by wrk (-t 2) ",
        Warmup.describe(o));
    boolean rounds = pgRounds.size() > 1;
    if (rounds) {
      line("   %d rounds, each pgbench then taskbus; searches/s and latencies below are the rounds'"
          + " means and their merged histograms", pgRounds.size());
    }
    CpuCost pgCost = new CpuCost();
    for (int i = 1; i <= Math.max(1, pgRounds.size()); i++) {
      pgCost = pgCost.plus(Pgbench.cpuCost(o, i));
    }
    throughput("search", pg, max, rounds ? "per round below" : Pgbench.cpuLine(o), r.maxCpu(),
        pgCost, r.maxCost());
    errors(max.errors);
    if (rounds) {
      for (int i = 0; i < pgRounds.size() && i < r.rounds().size(); i++) {
        Pgbench p = pgRounds.get(i);
        Phase t = r.rounds().get(i);
        line("   round %d: pgbench %s/s, taskbus %s/s: %.2f", i + 1, num(p.tps), num(t.rate()),
            t.rate() / p.tps);
        line("      CPU, pgbench: %s", Pgbench.cpuLine(o, i + 1));
        line("         %s", Pgbench.cpuCost(o, i + 1).line("search", p.processed));
        if (i < pipelined.size()) {
          line("      pgbench pipelined: %s/s: %.2f", num(pipelined.get(i).tps),
              t.rate() / pipelined.get(i).tps);
        }
        line("      CPU, taskbus: %s", r.roundCpu().get(i).replace("\n", "\n         "));
        if (i < r.roundCost().size()) {
          line("         %s", r.roundCost().get(i).line("search", t.created));
        }
      }
    }
    if (pg.present() && pg.tps > 0) {
      summary.add(String.format(Locale.ROOT, "throughput %s searches/s = %.2fx pgbench's %s"
          + " (target 0.70x: %s)", num(max.rate()), max.rate() / pg.tps, num(pg.tps),
          max.rate() / pg.tps >= THROUGHPUT_TARGET ? "met" : "not met"));
    }
    Pgbench pipes = Pgbench.sum(pipelined);
    if (!pipelined.isEmpty() && pipes.tps > 0) {
      line("   against pgbench sending the same statements as one pipeline (\\startpipeline, as"
          + " the API sends them in one write): %s/s, ratio %.2f", num(pipes.tps),
          max.rate() / pipes.tps);
      summary.add(String.format(Locale.ROOT, "%.2fx pgbench pipelining the same statements (%s)",
          max.rate() / pipes.tps, num(pipes.tps)));
    }
  }

  private void percentilesIndented(String what, Latency l) {
    StringBuilder s = new StringBuilder();
    for (double p : Latency.PERCENTILES) {
      s.append("p").append(pct(p)).append(' ').append(Latency.fmt(l.ms(p))).append(", ");
    }
    line("      %s: %smax %s  (n=%d, mean %s)", what, s, Latency.fmt(l.maxMs()), l.count(),
        Latency.fmt(l.meanMs()));
  }
}
