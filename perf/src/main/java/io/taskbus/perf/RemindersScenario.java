package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * The reminder and recurrence scenario of perf/run-reminders.sh.
 *
 * <p><b>reminders</b>: creates tasks through the API, each with one absolute reminder, all due in
 * the same minute (spread evenly over it, or all at its first instant with {@code --spread 0}), a
 * little in the future; then counts the {@code reminder.due} events arriving on the users' bridge
 * sockets, by reminder id (none twice, none missing) and how late each fired: the envelope's
 * {@code time} (the claim transaction's {@code now()}) minus the reminder's {@code fireAt}, and
 * arrival minus {@code fireAt}.
 *
 * <p><b>recurrence</b>: creates N daily recurring tasks, completes them at a fixed rate (open
 * model) and times, per completion, from its HTTP answer to the arrival of the
 * {@code task.recurring.triggered} event of the next occurrence; counts them by previous task id.
 *
 * <p>Prints {@code key=value} lines (the script turns them into the report).
 */
public final class RemindersScenario {

  static final Map<String, String> DEFAULTS = Options.defaults(
      "base-url", "http://127.0.0.1:8080", "phases", "reminders,recurrence", "users", "100",
      "connections", "32", "reminders", "10000", "spread", "60", "lead", "15", "wait", "60",
      "recurring", "10000", "completion-rate", "500", "plain", "false", "warmup", "30",
      "warmup-max", "300", "label", "");

  private final Options o;
  private final Vertx vertx;
  private final Api api;
  private final Map<String, String> out = new LinkedHashMap<>();
  private final List<WebSocket> sockets = new ArrayList<>();
  private final LongAdder frames = new LongAdder();
  private final Map<String, Integer> closes = new ConcurrentHashMap<>();
  private final boolean[] seen;
  // reminders: reminder id -> [count]; lateness histograms (micros)
  private final Map<Long, Integer> reminderCounts = new ConcurrentHashMap<>();
  private final Histogram fireDelay = new Histogram(3_600_000_000L, 3);
  private final Histogram arrivalDelay = new Histogram(3_600_000_000L, 3);
  private final LongAdder missedEvents = new LongAdder();
  private final AtomicLong lastReminderArrival = new AtomicLong();
  private volatile long fireLateOver1s;
  // recurrence: previous task id -> arrival nanos; completion answers
  private final Map<String, Integer> triggeredCounts = new ConcurrentHashMap<>();
  private final Map<String, Long> triggeredAt = new ConcurrentHashMap<>();
  private final AtomicLong lastTriggered = new AtomicLong();

  private RemindersScenario(Options o) {
    this.o = o;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)
        .setMaxEventLoopExecuteTime(2_000_000_000L));
    this.api = new Api(vertx, o.string("base-url"), o.integer("connections"));
    this.seen = new boolean[o.integer("users")];
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parseOrExit(args, DEFAULTS);
    RemindersScenario s = new RemindersScenario(o);
    KeyValueRun.runAndExit("reminders", s.out, s.vertx, 20, s::run, () -> { });
  }

  private static void log(String text) {
    System.err.println("[reminders] " + text);
  }

  private void run() throws Exception {
    out.put("label", o.string("label"));
    out.put("started", Instant.now().toString());
    api.signIn(o.integer("users")).await();
    connect();
    probe();
    List<String> phases = List.of(o.string("phases").split(","));
    if (phases.contains("reminders")) {
      reminders();
    }
    if (phases.contains("recurrence")) {
      recurrence();
    }
    out.put("frames", String.valueOf(frames.sum()));
    out.put("sockets_closed_by_server", closes.isEmpty() ? "none" : closes.toString());
    closing = true;
    synchronized (sockets) {
      for (WebSocket ws : sockets) {
        ws.close();
      }
    }
  }

  // ------------------------------------------------------------------------------ sockets

  private void connect() {
    // pings every 10 s (the page's interval), started before connecting: the bridge closes a
    // socket that has not pinged within its pingTimeout (30 s)
    long[] pings = {0};
    vertx.setPeriodic(5_000, id -> {
      synchronized (sockets) {
        for (WebSocket ws : sockets) {
          if (!ws.isClosed()) {
            ws.writeTextMessage("{\"type\":\"ping\"}");
            pings[0]++;
          }
        }
      }
      if (id >= 0 && pings[0] <= sockets.size()) {
        log("pinging " + pings[0] + " sockets every 5 s");
      }
    });
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(api.users.size() + 10).setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 22));
    List<Future<WebSocket>> all = new ArrayList<>();
    for (int i = 0; i < api.users.size(); i++) {
      all.add(open(i));
    }
    Future.all(all).await();
  }

  private WebSocketClient client;
  private volatile boolean closing;

  /**
   * One user's socket, registered on its tasks address. Like the page, it reconnects when the
   * server closes it (and the report counts that): see perf/README.md on quiet sockets.
   */
  private Future<WebSocket> open(int user) {
    String uri = "/eventbus/websocket?token="
        + URLEncoder.encode(api.tokens.get(user), StandardCharsets.UTF_8);
    return client.connect(new WebSocketConnectOptions().setHost(api.host).setPort(api.port)
        .setURI(uri).addHeader("Origin", "http://" + api.host + ":" + api.port)).map(ws -> {
          ws.textMessageHandler(text -> onFrame(user, text));
          ws.binaryMessageHandler(b -> onFrame(user, b.toString(StandardCharsets.UTF_8)));
          ws.exceptionHandler(e -> { });
          ws.closeHandler(v -> {
            if (closing) {
              return;
            }
            String why = ws.closeStatusCode() + " " + ws.closeReason();
            if (closes.merge(why, 1, Integer::sum) == 1) {
              log(Instant.now() + ": socket of " + api.users.get(user) + " closed by the server: "
                  + why + "; reconnecting (every close is counted)");
            }
            synchronized (sockets) {
              sockets.remove(ws);
            }
            open(user);
          });
          ws.writeTextMessage("{\"type\":\"register\",\"address\":\"user." + api.users.get(user)
              + ".tasks\"}");
          synchronized (sockets) {
            sockets.add(ws);
          }
          return ws;
        });
  }

  /** One task per user until every socket has had an event (registrations are not acked). */
  private void probe() throws Exception {
    long t0 = System.nanoTime();
    for (int round = 0; round < 10; round++) {
      List<Future<?>> sends = new ArrayList<>();
      for (int u = 0; u < seen.length; u++) {
        if (!seen[u]) {
          sends.add(api.create(u, "probe " + round));
        }
      }
      if (sends.isEmpty()) {
        break;
      }
      Future.join(sends).await();
      Thread.sleep(2000);
    }
    int without = 0;
    for (boolean s : seen) {
      without += s ? 0 : 1;
    }
    out.put("probe_sockets_without_event", String.valueOf(without));
    log("probe: " + without + " sockets without an event after " + (System.nanoTime() - t0) / 1_000_000
        + " ms");
  }

  private void onFrame(int user, String text) {
    long nanos = System.nanoTime();
    Instant now = Instant.now();
    if (!text.startsWith("{\"type\":\"rec\"")) {
      return;
    }
    frames.increment();
    seen[user] = true;
    if (text.contains("\"type\":\"reminder.")) {
      JsonObject body = new JsonObject(text).getJsonObject("body");
      if ("reminder.missed".equals(body.getString("type"))) {
        missedEvents.increment();
        return;
      }
      JsonObject reminder = body.getJsonObject("data").getJsonObject("reminder");
      long id = reminder.getLong("id");
      int count = reminderCounts.merge(id, 1, Integer::sum);
      if (count > 1) {
        return;
      }
      Instant fireAt = OffsetDateTime.parse(reminder.getString("fireAt")).toInstant();
      Instant firedAt = OffsetDateTime.parse(body.getString("time")).toInstant();
      long fire = Math.max(0, ChronoUnit.MICROS.between(fireAt, firedAt));
      long arrival = Math.max(0, ChronoUnit.MICROS.between(fireAt, now));
      synchronized (fireDelay) {
        fireDelay.recordValue(fire);
        arrivalDelay.recordValue(arrival);
        if (fire > 1_000_000) {
          fireLateOver1s++;
        }
      }
      lastReminderArrival.set(nanos);
    } else if (text.contains("\"type\":\"task.recurring.triggered\"")) {
      int at = text.indexOf("\"previousTaskId\":\"");
      if (at < 0) {
        return;
      }
      int start = at + "\"previousTaskId\":\"".length();
      String previous = text.substring(start, text.indexOf('"', start));
      if (triggeredCounts.merge(previous, 1, Integer::sum) == 1) {
        triggeredAt.put(previous, nanos);
        lastTriggered.set(nanos);
      }
    }
  }

  // ------------------------------------------------------------------------------ reminders

  private void reminders() throws Exception {
    int n = o.integer("reminders");
    int spreadMs = o.integer("spread") * 1000;
    // the minute: far enough ahead to create them all first (at a pessimistic 250 creates/s)
    Instant earliest = Instant.now().plusSeconds(o.integer("lead") + n / 250);
    Instant minute = earliest.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    out.put("reminders_minute", minute.toString());
    log("creating " + n + " tasks with one reminder each, due in the minute from " + minute
        + (spreadMs == 0 ? " (all at its first instant)" : " (spread over " + spreadMs / 1000 + " s)"));
    long t0 = System.nanoTime();
    Histogram http = new Histogram(3_600_000_000L, 3);
    long[] errors = closedLoop(n, i -> {
      Instant at = minute.plusMillis(spreadMs == 0 ? 0 : (long) i * spreadMs / n);
      JsonObject body = new JsonObject().put("title", "reminder " + i)
          .put("reminders", new JsonArray().add(new JsonObject().put("at", at.toString())));
      return api.create(i % api.users.size(), body.toBuffer()).map(Api.Outcome::created);
    }, http);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Instant createdBy = Instant.now();
    out.put("reminders_created", String.valueOf(n - errors[0]));
    out.put("reminders_create_errors", String.valueOf(errors[0]));
    out.put("reminders_create_seconds", fmt(seconds));
    out.put("reminders_created_before_due", String.valueOf(createdBy.isBefore(minute)));
    out.put("reminders_created_lead_seconds", fmt((minute.toEpochMilli() - createdBy.toEpochMilli()) / 1000.0));
    log(String.format(Locale.ROOT, "created %d in %.1f s (%.0f/s), %d errors; %.1f s before the minute",
        n - errors[0], seconds, (n - errors[0]) / seconds, errors[0],
        (minute.toEpochMilli() - createdBy.toEpochMilli()) / 1000.0));
    // wait for the minute, then for every event (or the wait limit after the last due time)
    long lastDue = minute.toEpochMilli() + spreadMs;
    long deadline = lastDue + o.integer("wait") * 1000L;
    long expected = n - errors[0];
    while (System.currentTimeMillis() < deadline && reminderCounts.size() < expected) {
      Thread.sleep(200);
    }
    Thread.sleep(2000); // duplicates arrive late, if at all
    long duplicates = reminderCounts.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
    out.put("reminders_expected", String.valueOf(expected));
    out.put("reminders_received", String.valueOf(reminderCounts.size()));
    out.put("reminders_missing", String.valueOf(Math.max(0, expected - reminderCounts.size())));
    out.put("reminders_duplicates", String.valueOf(duplicates));
    out.put("reminders_missed_events", String.valueOf(missedEvents.sum()));
    synchronized (fireDelay) {
      put("fire_delay", fireDelay);
      put("arrival_delay", arrivalDelay);
      out.put("reminders_fired_over_1s_late", String.valueOf(fireLateOver1s));
      double share = expected == 0 ? 0 : 100.0 * (fireLateOver1s + Math.max(0, expected - reminderCounts.size())) / expected;
      out.put("reminders_over_1s_late_or_missing_percent", String.format(Locale.ROOT, "%.3f", share));
    }
    out.put("reminders_last_arrival_after_last_due_ms", String.valueOf(
        lastReminderArrival.get() == 0 ? -1 : (System.currentTimeMillis()
            - (System.nanoTime() - lastReminderArrival.get()) / 1_000_000) - lastDue));
    Map<String, Double> metric = api.metrics("taskbus_reminder_fire_delay").await();
    StringBuilder m = new StringBuilder();
    metric.forEach((k, v) -> m.append(k).append(' ').append(v).append("; "));
    out.put("reminders_app_metric", m.toString());
    log("reminders: " + reminderCounts.size() + "/" + expected + " received, " + duplicates
        + " duplicates, " + fireLateOver1s + " fired > 1 s late; fire delay p50 "
        + out.get("fire_delay_p50_ms") + " p99 " + out.get("fire_delay_p99_ms") + " max "
        + out.get("fire_delay_max_ms") + " ms");
  }

  // ------------------------------------------------------------------------------ recurrence

  private void recurrence() throws Exception {
    warmUpRecurrence();
    int n = o.integer("recurring");
    double rate = o.number("completion-rate");
    log("creating " + n + " daily recurring tasks");
    long t0 = System.nanoTime();
    List<String> ids = createRecurring(n, "recurring");
    long created = ids.stream().filter(java.util.Objects::nonNull).count();
    out.put("recurring_created", String.valueOf(created));
    log(String.format(Locale.ROOT, "created %d recurring tasks in %.1f s; completing them at %.0f/s",
        created, (System.nanoTime() - t0) / 1e9, rate));
    Thread.sleep(3000);
    // the open model: completion i is due at start + i / rate, whatever happened to the others
    Histogram http = new Histogram(3_600_000_000L, 3);
    Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    LongAdder failed = new LongAdder();
    Promise<Void> done = Promise.promise();
    AtomicLong scheduled = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    long start = System.nanoTime();
    vertx.runOnContext(v -> vertx.setPeriodic(2, id -> {
      long due0 = Math.min(n, (long) ((System.nanoTime() - start) / 1e9 * rate));
      while (scheduled.get() < due0) {
        int i = (int) scheduled.getAndIncrement();
        long dueAt = start + (long) (i * 1e9 / rate);
        String task = ids.get(i);
        Future<Api.Outcome> f = task == null ? Future.succeededFuture(new Api.Outcome(-1, null, "not created"))
            : api.post(i % api.users.size(), "/api/v1/tasks/" + task + "/complete");
        f.onComplete(ar -> {
          long now = System.nanoTime();
          synchronized (http) {
            http.recordValue(Math.max(0, (now - dueAt) / 1000));
          }
          if (ar.succeeded() && ar.result().ok()) {
            answeredAt.put(task, now);
          } else {
            failed.increment();
          }
          if (answered.incrementAndGet() == n) {
            done.tryComplete();
          }
        });
      }
      if (scheduled.get() >= n) {
        vertx.cancelTimer(id);
      }
    }));
    done.future().toCompletionStage().toCompletableFuture().get((long) (n / rate) + 120, TimeUnit.SECONDS);
    long lastAnswer = answeredAt.values().stream().mapToLong(Long::longValue).max().orElse(start);
    double completeSeconds = (lastAnswer - start) / 1e9;
    long completed = answeredAt.size();
    out.put("recurring_completed", String.valueOf(completed));
    out.put("recurring_complete_errors", String.valueOf(failed.sum()));
    out.put("recurring_completion_rate", fmt(completed / completeSeconds));
    put("complete_http", http);
    log(String.format(Locale.ROOT, "completed %d in %.1f s (%.0f/s), %d errors; waiting for the next occurrences",
        completed, completeSeconds, completed / completeSeconds, failed.sum()));
    long deadline = System.nanoTime() + (o.flag("plain") ? 0 : o.integer("wait") * 1_000_000_000L);
    while (System.nanoTime() < deadline && triggeredAt.size() < completed) {
      Thread.sleep(100);
    }
    Thread.sleep(2000);
    Histogram lag = new Histogram(3_600_000_000L, 3);
    long missing = 0;
    for (Map.Entry<String, Long> e : answeredAt.entrySet()) {
      Long at = triggeredAt.get(e.getKey());
      if (at == null) {
        missing++;
      } else {
        lag.recordValue(Math.max(0, (at - e.getValue()) / 1000));
      }
    }
    long duplicates = triggeredCounts.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
    out.put("recurring_next_received", String.valueOf(triggeredAt.size()));
    out.put("recurring_next_missing", String.valueOf(missing));
    out.put("recurring_next_duplicates", String.valueOf(duplicates));
    put("next_lag", lag);
    double allSeconds = (lastTriggered.get() - start) / 1e9;
    out.put("recurring_all_next_after_seconds", fmt(allSeconds));
    out.put("recurring_drain_after_last_completion_ms",
        String.valueOf((lastTriggered.get() - lastAnswer) / 1_000_000));
    out.put("recurring_generation_rate", fmt(triggeredAt.size() / allSeconds));
    log(String.format(Locale.ROOT, "next occurrences: %d/%d, %d duplicates; all there %.1f s after the"
            + " first completion (%.0f/s), %d ms after the last; lag p50 %.1f p99 %.1f max %.1f ms",
        triggeredAt.size(), completed, duplicates, allSeconds, triggeredAt.size() / allSeconds,
        (lastTriggered.get() - lastAnswer) / 1_000_000, lag.getValueAtPercentile(50) / 1000.0,
        lag.getValueAtPercentile(99) / 1000.0, lag.getMaxValue() / 1000.0));
  }

  /**
   * Rounds of the measured work (create recurring tasks, complete them, closed loop) until the
   * app's JIT settled ({@link Warmup}): the reminders phase alone leaves a JVM that still compiles
   * the completion and occurrence paths. Their next occurrences are awaited and then forgotten,
   * so the measured phase counts only its own.
   */
  private void warmUpRecurrence() throws Exception {
    long appPid = Long.parseLong(System.getenv().getOrDefault("TASKBUS_PERF_APP_PID", "0"));
    Future<Void> warmed = Warmup.settled(vertx, o, appPid);
    long t0 = System.nanoTime();
    long completions = 0;
    while (!warmed.isComplete()) {
      List<String> ids = createRecurring(1000, "warm-up");
      long[] failed = closedLoop(ids.size(), i -> ids.get(i) == null ? Future.succeededFuture(false)
          : api.post(i % api.users.size(), "/api/v1/tasks/" + ids.get(i) + "/complete")
              .map(Api.Outcome::ok), new Histogram(3_600_000_000L, 3));
      completions += ids.size() - failed[0];
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!o.flag("plain") && triggeredAt.size() < completions && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(1000);
    log(String.format(Locale.ROOT, "warm-up: %d completions in %.0f s, %d next occurrences seen",
        completions, (System.nanoTime() - t0) / 1e9, triggeredAt.size()));
    triggeredAt.clear();
    triggeredCounts.clear();
    out.put("recurring_warmup_completions", String.valueOf(completions));
    out.put("recurring_warmup_seconds", fmt((System.nanoTime() - t0) / 1e9));
  }

  /** Creates {@code n} daily recurring tasks (closed loop); their ids, null where one failed. */
  private List<String> createRecurring(int n, String title) throws Exception {
    String due = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS)
        .plus(9, ChronoUnit.HOURS).toString();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(null);
    }
    closedLoop(n, i -> {
      JsonObject body = new JsonObject().put("title", title + " " + i).put("dueAt", due)
          .put("timeZone", "UTC");
      if (!o.flag("plain")) {
        // --plain true: the same completions of tasks without recurrence (what the API alone does)
        body.put("recurrence", new JsonObject().put("preset", "daily"));
      }
      return api.create(i % api.users.size(), body.toBuffer()).map(outcome -> {
        if (outcome.created()) {
          synchronized (ids) {
            ids.set(i, outcome.taskId());
          }
        } else if (outcome.error() != null && i < 3) {
          log("create failed: " + outcome.status() + " " + outcome.error());
        }
        return outcome.created();
      });
    }, new Histogram(3_600_000_000L, 3));
    synchronized (ids) {
      return new ArrayList<>(ids);
    }
  }

  // ------------------------------------------------------------------------------ helpers

  /** {@code n} requests, {@code connections} at a time; returns [failures]. */
  private long[] closedLoop(int n, IntFunction<Future<Boolean>> request, Histogram http)
      throws Exception {
    long[] errors = {0};
    AtomicLong next = new AtomicLong();
    Promise<Void> done = Promise.promise();
    AtomicLong finished = new AtomicLong();
    Runnable[] one = new Runnable[1];
    one[0] = () -> {
      long i = next.getAndIncrement();
      if (i >= n) {
        return;
      }
      long t = System.nanoTime();
      request.apply((int) i).onComplete(ar -> {
        synchronized (errors) {
          http.recordValue(Math.max(0, (System.nanoTime() - t) / 1000));
          if (ar.failed() || !ar.result()) {
            errors[0]++;
          }
        }
        if (finished.incrementAndGet() == n) {
          done.tryComplete();
        } else {
          one[0].run();
        }
      });
    };
    vertx.runOnContext(v -> {
      for (int c = 0; c < o.integer("connections"); c++) {
        one[0].run();
      }
    });
    done.future().toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
    return errors;
  }

  private void put(String name, Histogram h) {
    out.put(name + "_n", String.valueOf(h.getTotalCount()));
    out.put(name + "_p50_ms", fmt(h.getValueAtPercentile(50) / 1000.0));
    out.put(name + "_p99_ms", fmt(h.getValueAtPercentile(99) / 1000.0));
    out.put(name + "_p999_ms", fmt(h.getValueAtPercentile(99.9) / 1000.0));
    out.put(name + "_max_ms", fmt(h.getMaxValue() / 1000.0));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  @SuppressWarnings("unused")
  private static Buffer none() {
    return Buffer.buffer();
  }
}
