package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "search" scenario (perf/run-search.sh prepares the data and runs pgbench first): as one
 * user with a large task list, the throughput of the default first page of {@code GET /tasks} in a
 * closed loop beside pgbench's run of the same SQL, then each typical search at a constant arrival
 * rate (an open model, latency from the scheduled send time). All network work runs on one event
 * loop; the report goes to stdout.
 */
public final class SearchScenario {

  static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("base-url", "http://127.0.0.1:8080");
    DEFAULTS.put("user", "perf-heavy");
    DEFAULTS.put("connections", "16");
    DEFAULTS.put("warmup", "10");
    DEFAULTS.put("warmup-max", "0");
    DEFAULTS.put("hold", "");
    DEFAULTS.put("rewarm", "10");
    DEFAULTS.put("max-duration", "20");
    DEFAULTS.put("throughput-search", "default");
    DEFAULTS.put("searches", "tag,q,filter");
    DEFAULTS.put("prewarm", "0");
    DEFAULTS.put("rate", "100");
    DEFAULTS.put("open-warmup", "5");
    DEFAULTS.put("open-duration", "25");
    DEFAULTS.put("drain", "10");
    DEFAULTS.put("p99-target", "20");
    DEFAULTS.put("tag", "work");
    DEFAULTS.put("rare-tag", "bills");
    DEFAULTS.put("words", "budget,passport,ref4242");
    DEFAULTS.put("filter", Searches.DEFAULT_FILTER);
    DEFAULTS.put("pgbench-out", "");
    DEFAULTS.put("pgbench-log-prefix", "");
    DEFAULTS.put("pgbench-pipelined-out", "");
    DEFAULTS.put("pgbench-cpu", "");
    DEFAULTS.put("pgbench-cpu-file", "");
    DEFAULTS.put("plans", "");
    DEFAULTS.put("data", "");
    DEFAULTS.put("label", "");
    DEFAULTS.put("wrk", "");
    DEFAULTS.put("wrk-script", "");
    DEFAULTS.put("rounds", "1");
  }

  private SearchScenario() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parseOrExit(args, DEFAULTS);
    String plans = options.string("plans").isEmpty() ? ""
        : Files.readString(Path.of(options.string("plans")));
    Results results = OneLoop.run(vertx -> run(vertx, options));
    // read afterwards: with --hold, pgbench ran while this generator held
    List<Pgbench> rounds = new ArrayList<>();
    List<Pgbench> pipelined = new ArrayList<>();
    for (int round = 1; round <= options.integer("rounds"); round++) {
      rounds.add(Pgbench.read(Pgbench.roundFile(options.string("pgbench-out"), round),
          Pgbench.roundFile(options.string("pgbench-log-prefix"), round)));
      if (!options.string("pgbench-pipelined-out").isEmpty()) {
        pipelined.add(Pgbench.read(
            Pgbench.roundFile(options.string("pgbench-pipelined-out"), round), ""));
      }
    }
    System.out.print(SearchReport.render(options, rounds, pipelined, plans, results));
    System.exit(results.failedBadly() ? 1 : 0);
  }

  /** One search's open-model phase, with a histogram per variant when it has several. */
  record OpenResult(Searches.Search search, Phase phase, Map<String, Latency> byVariant,
      String cpu, CpuCost cost) {}

  /**
   * @param rounds the throughput phase's rounds ({@code --rounds}), each with its CPU line;
   *     {@code max} is their sum
   */
  record Results(Instant startedAt, String loadBefore, String loadAfter,
      Map<String, String> checks, Phase max, String maxCpu, List<Phase> rounds,
      List<String> roundCpu, List<CpuCost> roundCost, List<OpenResult> open) {
    /** The throughput phase's CPU, its rounds' together. */
    CpuCost maxCost() {
      return roundCost.stream().reduce(new CpuCost(), CpuCost::plus);
    }

    boolean failedBadly() {
      return (max.sent > 0 && max.created == 0)
          || open.stream().anyMatch(r -> r.phase.sent > 0 && r.phase.created == 0);
    }
  }

  private static Future<Results> run(Vertx vertx, Options o) {
    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String loadBefore = loadAverage();
    long appPid = Long.parseLong(System.getenv().getOrDefault("TASKBUS_PERF_APP_PID", "0"));
    Jvm jvm = Jvm.attach(appPid);
    Api api = new Api(vertx, o.string("base-url"), o.integer("connections"));
    List<Searches.Search> all = Searches.of(o);
    Map<String, String> checks = new LinkedHashMap<>();
    Phase[] max = {new Phase("max")};
    String[] maxCpu = {"-"};
    List<Phase> rounds = new ArrayList<>();
    List<String> roundCpu = new ArrayList<>();
    List<CpuCost> roundCost = new ArrayList<>();
    List<OpenResult> open = new ArrayList<>();
    return api.signIn(List.of(o.string("user")))
        .compose(v -> check(api, all, checks))
        .compose(v -> {
          if (o.integer("max-duration") <= 0) {
            return Future.succeededFuture();
          }
          Searches.Variant page = Searches.named(all, o.string("throughput-search")).variants().get(0);
          String uri = page.uri();
          CreateScenario.log("closed loop: GET %s with %d connections, %d s after %s", uri,
              o.integer("connections"), o.integer("max-duration"), Warmup.describe(o));
          Sample[] from = new Sample[2];
          Request get = n -> api.get(0, uri);
          ClosedLoop loop = new ClosedLoop(get, Request.Answered.NOTHING);
          ClosedLoop warm = new ClosedLoop(get, Request.Answered.NOTHING);
          long progress = CreateScenario.progress(vertx, () -> loop.completed + warm.completed, jvm,
              "searches/s");
          Future<List<Phase>> measured;
          if (!o.string("wrk").isEmpty()) {
            WrkWindow wrk = new WrkWindow(o.string("wrk"), o.string("wrk-script"),
                o.string("base-url") + uri, api.tokens.get(0));
            measured = Warmup.rounds(vertx, o, appPid, warm, wrk,
                () -> from[0] = Sample.take(appPid, jvm),
                () -> {
                  Sample end = Sample.take(appPid, jvm);
                  roundCpu.add(from[0].describe(end));
                  roundCost.add(from[0].cost(end));
                });
          } else if (o.integer("rounds") != 1) {
            return Future.failedFuture("--rounds other than 1 needs --wrk");
          } else {
            measured = Warmup.measure(vertx, o, appPid, loop, warm,
                    () -> from[0] = Sample.take(appPid, jvm), () -> from[1] = Sample.take(appPid, jvm))
                .map(phase -> {
                  Sample end = from[1] == null ? Sample.take(appPid, jvm) : from[1];
                  roundCpu.add(from[0] == null ? "-" : from[0].describe(end));
                  roundCost.add(from[0] == null ? new CpuCost() : from[0].cost(end));
                  return List.of(phase);
                });
          }
          return measured.map(phases -> {
            vertx.cancelTimer(progress);
            rounds.addAll(phases);
            max[0] = phases.size() == 1 ? phases.get(0) : Phase.sum("max", phases);
            maxCpu[0] = roundCpu.size() == 1 ? roundCpu.get(0) : "per round below";
            CreateScenario.log("closed loop: %.1f searches/s", max[0].rate());
            return null;
          });
        })
        .compose(v -> prewarm(vertx, api, o, all))
        .compose(v -> {
          Future<Void> chain = Future.succeededFuture();
          for (String name : o.string("searches").split(",")) {
            if (name.isBlank()) {
              continue;
            }
            Searches.Search search = Searches.named(all, name.strip());
            chain = chain.compose(x -> CreateScenario.pause(vertx, 1000))
                .compose(x -> openPhase(vertx, o, search, appPid, jvm).map(r -> {
                  open.add(r);
                  return null;
                }));
          }
          return chain;
        })
        .compose(v -> api.close())
        .map(v -> new Results(startedAt, loadBefore, loadAverage(), checks, max[0], maxCpu[0],
            rounds, roundCpu, roundCost, open));
  }

  /**
   * Without the throughput phase before them, the open-model phases would meet a cold app JVM:
   * {@code --prewarm} seconds of closed loop on the throughput search with 4 connections first.
   */
  private static Future<Void> prewarm(Vertx vertx, Api api, Options o, List<Searches.Search> all) {
    if (o.integer("prewarm") <= 0 || o.string("searches").isBlank()) {
      return Future.succeededFuture();
    }
    String uri = Searches.named(all, o.string("throughput-search")).variants().get(0).uri();
    CreateScenario.log("pre-warm: GET %s, closed loop, 4 connections, %d s", uri, o.integer("prewarm"));
    return new ClosedLoop(n -> api.get(0, uri), Request.Answered.NOTHING)
        .run(4, Future.succeededFuture(), o.integer("prewarm") * 1000L)
        .map(phase -> {
          CreateScenario.log("pre-warm: %.0f searches/s", phase.rate());
          return null;
        });
  }

  /**
   * Warm-up at the rate (not counted), then the measured phase; variants take turns. Each runs on
   * its own HTTP client, closed at its end, so requests an overloaded app never answered (see
   * {@code --drain}) do not spill into the next phase.
   */
  private static Future<OpenResult> openPhase(Vertx vertx, Options o, Searches.Search search,
      long appPid, Jvm jvm) {
    double rate = o.number("rate");
    long drainMs = o.integer("drain") * 1000L;
    List<Searches.Variant> variants = search.variants();
    List<String> uris = variants.stream().map(Searches.Variant::uri).toList();
    Map<String, Latency> byVariant = new LinkedHashMap<>();
    variants.forEach(v -> byVariant.put(v.label(), new Latency()));
    Request.Answered perVariant = (n, out, at, latency, phase) ->
        byVariant.get(variants.get((int) (n % variants.size())).label()).recordNanos(latency);
    CreateScenario.log("open model, %s: %.0f/s, %d s warm-up + %d s", search.name(), rate,
        o.integer("open-warmup"), o.integer("open-duration"));
    Future<Void> warm = o.integer("open-warmup") <= 0 ? Future.succeededFuture()
        : withClient(vertx, o, api -> new OpenLoop(vertx, n -> api.get(0, uris.get((int) (n % uris.size()))),
                Request.Answered.NOTHING).drainLimit(drainMs)
            .run(new Phase("warm-up"), rate, o.integer("open-warmup") * 1000L))
        .compose(p -> CreateScenario.pause(vertx, 1000));
    Sample[] from = new Sample[1];
    return warm
        .compose(w -> {
          from[0] = Sample.take(appPid, jvm);
          return withClient(vertx, o, api -> new OpenLoop(vertx,
                  n -> api.get(0, uris.get((int) (n % uris.size()))), perVariant)
              .drainLimit(drainMs)
              .run(new Phase(search.name()), rate, o.integer("open-duration") * 1000L));
        })
        .map(phase -> {
          Sample end = Sample.take(appPid, jvm);
          String cpu = from[0].describe(end);
          CpuCost cost = from[0].cost(end);
          CreateScenario.log("  %s: %d sent, %d ok, p99 %s ms", search.name(), phase.sent,
              phase.created, Latency.fmt(phase.latency.ms(99)));
          return new OpenResult(search, phase, byVariant, cpu, cost);
        });
  }

  /** A signed-in HTTP client of its own for {@code work}, closed when it is done. */
  private static <T> Future<T> withClient(Vertx vertx, Options o,
      java.util.function.Function<Api, Future<T>> work) {
    Api api = new Api(vertx, o.string("base-url"), o.integer("connections"));
    return api.signIn(List.of(o.string("user")))
        .compose(v -> work.apply(api))
        .eventually(() -> api.close());
  }

  /** Each search once: its status and how many items and whether a next page; for the report. */
  private static Future<Void> check(Api api, List<Searches.Search> all, Map<String, String> checks) {
    Future<Void> chain = Future.succeededFuture();
    for (Searches.Search s : all) {
      for (Searches.Variant v : s.variants()) {
        chain = chain.compose(x -> {
          Buffer body = Buffer.buffer();
          return api.getBody(0, v.uri(), body).map(head -> {
            String text;
            if (head.statusCode() == 200) {
              JsonObject json = new JsonObject(body);
              text = "200, " + json.getJsonArray("items").size() + " items"
                  + (json.getValue("nextCursor") != null ? ", more pages" : ", last page");
            } else {
              text = "HTTP " + head.statusCode() + ": "
                  + (body.length() > 200 ? body.getString(0, 200) : body.toString());
            }
            checks.put(s.name() + " | " + v.readable(), text);
            return (Void) null;
          }).otherwise(e -> {
            checks.put(s.name() + " | " + v.readable(), "failed: " + e);
            return null;
          });
        });
      }
    }
    return chain;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "-";
    }
  }
}
