package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One measurement of perf/run-split.sh: creates in a closed loop against the API process (or
 * processes, taking turns) while every user's WebSocket on the bridge process waits for the events
 * and checks each user's order on every push (in the single layout both URLs are the same
 * process). Prints one {@code RESULT key=value ...} line.
 *
 * <pre>java -cp taskbus-perf.jar io.taskbus.perf.SplitRun --api-url URL[,URL...] --bridge-url URL
 *     --users 20 --connections 32 --warmup 20 [--warmup-max 300 --app-pids 12,34,56]
 *     --duration 20</pre>
 *
 * Prints {@code MEASURING} when the warm-up is over and the measured window starts.
 */
public final class SplitRun {

  private static final Map<String, String> DEFAULTS = Options.defaults(
      "api-url", "http://127.0.0.1:8080", "bridge-url", "", "users", "20", "connections", "32",
      "warmup", "20", "warmup-max", "0", "app-pids", "", "duration", "20");

  public static void main(String[] args) throws Exception {
    Options o = Options.parseOrExit(args, DEFAULTS);
    List<String> apiUrls = List.of(o.string("api-url").split(","));
    String bridgeUrl = o.string("bridge-url").isEmpty() ? apiUrls.get(0) : o.string("bridge-url");
    int users = o.integer("users");
    int connections = o.integer("connections");
    long warmupMs = o.integer("warmup") * 1000L;
    long warmupMaxMs = o.integer("warmup-max") * 1000L;
    List<Long> pids = new ArrayList<>();
    for (String pid : o.string("app-pids").split(",")) {
      if (!pid.isBlank()) {
        pids.add(Long.parseLong(pid.trim()));
      }
    }
    long durationMs = o.integer("duration") * 1000L;
    Vertx vertx = Vertx.vertx();
    try {
      // everything on one event-loop context: the watcher and the loop are not thread-safe
      String result = Future.<String>future(promise -> vertx.runOnContext(v ->
          run(vertx, apiUrls, bridgeUrl, users, connections,
              () -> Warmup.until(vertx, pids, warmupMs, warmupMaxMs), durationMs).onComplete(promise)))
          .await();
      System.out.println(result);
    } finally {
      vertx.close().await();
    }
  }

  private static Future<String> run(Vertx vertx, List<String> apiUrls, String bridgeUrl, int users,
      int connections, Supplier<Future<Void>> warmup, long durationMs) {
    // the connections split between the api processes, which take the creates in turn
    List<Api> apis = new ArrayList<>();
    for (String url : apiUrls) {
      apis.add(new Api(vertx, url, (connections + apiUrls.size() - 1) / apiUrls.size()));
    }
    Api api = apis.get(0);
    // the bridge side: the same users and tokens, another process
    Api bridge = new Api(vertx, bridgeUrl, 1);
    EventWatcher watcher = new EventWatcher(vertx, bridge, 10_000, 20_000);
    Request create = n -> apis.get((int) (n % apis.size()))
        .create((int) (n / apis.size() % api.users.size()), "perf split " + n);
    Request.Answered awaitEvent = (n, o, at, latency, p) -> {
      if (o.created()) {
        watcher.responded(o.taskId(), at, p.events);
      }
    };
    return api.signIn(users)
        .compose(v -> {
          for (Api other : apis.subList(1, apis.size())) {
            other.signedInAs(api);
          }
          bridge.signedInAs(api);
          return watcher.connect();
        })
        .compose(v -> vertx.timer(1000)) // registrations reach every cluster member
        .compose(v -> new ClosedLoop(create, awaitEvent).run(connections,
            warmup.get().onSuccess(w -> {
              System.out.println("MEASURING");
              System.out.flush();
            }), durationMs))
        .compose(phase -> watcher.settle(phase.events).map(phase))
        .compose(phase -> watcher.close()
            .transform(ar -> Future.join(apis.stream().map(Api::close).toList())).map(v -> {
          EventWatcher.Stats e = phase.events;
          return String.format("RESULT created=%d failed=%d seconds=%.1f rate=%.1f p50_ms=%.1f"
                  + " p99_ms=%.1f expected=%d received=%d missing=%d duplicates=%d"
                  + " out_of_order=%d errors=%s",
              phase.created, phase.failed, phase.seconds, phase.rate(), phase.latency.ms(50),
              phase.latency.ms(99), e.expected, e.received, e.missing, e.duplicates,
              watcher.outOfOrder(), errors(phase.errors));
        }));
  }

  private static String errors(Map<String, Long> errors) {
    return errors.isEmpty() ? "none" : errors.toString().replace(' ', '_');
  }

  private SplitRun() {}
}
