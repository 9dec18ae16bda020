package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The fan-out scenario of perf/run-fanout.sh, against taskbus or the {@link BareBridge}: opens many
 * raw SockJS WebSockets ({@code /eventbus/websocket}), each registered on its user's
 * {@code user.<id>.tasks}; measures the server's heap after a full GC without and with them; then
 * produces events at fixed rates (taskbus: {@code POST /api/v1/tasks}, so commit, outbox, Kafka,
 * bus, bridge; bare: {@code POST /publish/<user>} with an envelope of the same shape) and counts
 * every delivery, timing it from the envelope's {@code time} (stamped by the server before the
 * commit, same clock) to its arrival. Prints {@code key=value} lines for {@link FanoutReport}.
 */
public final class FanoutScenario {

  static final Map<String, String> DEFAULTS = Options.defaults(
      "mode", "taskbus", "base-url", "http://127.0.0.1:8080", "connections", "10000",
      "users", "1000", "source-ips", "4", "event-loops", "2", "connect-concurrency", "256",
      "connect-timeout", "120", "rates", "50,100,200", "warmup", "5", "duration", "15",
      "http-connections", "32", "settle", "5", "ping-interval", "10", "server-pid", "0",
      "jit-warmup-max", "0",
      "payload-out", "", "payload-in", "", "label", "");

  /** What one event is owed and got, by its subject (task id). */
  private static final class Tally {
    Step step;
    int expected;
    int received;
  }

  /** One rate step. */
  private static final class Step {
    final String name;
    final double rate;
    final Recorder delay = new Recorder(3_600_000_000L, 3);
    final Histogram http = new Histogram(3_600_000_000L, 3);
    long sent;
    long created;
    long errors;
    long expected;
    long received;
    long missing;
    long duplicates;
    double deliveriesPerSecond;
    double seconds;
    Histogram delays;
    String cpu = "-";
    String cpuPerDelivery = "-";

    Step(String name, double rate) {
      this.name = name;
      this.rate = rate;
    }
  }

  private static final class Conn {
    final int user;
    volatile WebSocket ws;
    volatile boolean got;

    Conn(int user) {
      this.user = user;
    }
  }

  private final Options o;
  private final boolean bare;
  private final Vertx vertx;
  private final String host;
  private final int port;
  private final int userCount;
  private final List<String> users = new ArrayList<>();
  private final List<String> tokens = new ArrayList<>();
  private final int[] connsOfUser;
  private final List<Conn> conns = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
  private final LongAdder deliveries = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder unmatched = new LongAdder();
  private final LongAdder closes = new LongAdder();
  private final LongAdder withoutFrame = new LongAdder();
  private final Map<String, String> out = new LinkedHashMap<>();
  private volatile Recorder current = new Recorder(3_600_000_000L, 3);
  private volatile boolean closing;
  private volatile String capturedPayload;
  private HttpClientAgent http;
  private Api api;
  private JsonObject template;

  private FanoutScenario(Options o) {
    this.o = o;
    this.bare = "bare".equals(o.string("mode"));
    URI uri = URI.create(o.string("base-url"));
    this.host = uri.getHost();
    this.port = uri.getPort();
    this.userCount = o.integer("users");
    this.connsOfUser = new int[userCount];
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(o.integer("event-loops"))
        .setMaxEventLoopExecuteTime(2_000_000_000L));
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parseOrExit(args, DEFAULTS);
    FanoutScenario s = new FanoutScenario(o);
    KeyValueRun.runAndExit("fanout", s.out, s.vertx, 30, s::run, () -> s.closing = true);
  }

  private static void log(String text) {
    System.err.println("[fanout] " + text);
  }

  private void run() throws Exception {
    out.put("mode", o.string("mode"));
    out.put("label", o.string("label"));
    out.put("started", Instant.now().toString());
    out.put("users", String.valueOf(userCount));
    out.put("connections_target", o.string("connections"));
    for (int i = 0; i < userCount; i++) {
      users.add("perf-f" + i);
    }
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
            .setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(o.integer("http-connections")).setMaxWaitQueueSize(-1));
    if (bare) {
      template = o.string("payload-in").isEmpty() ? defaultEnvelope()
          : new JsonObject(Files.readString(Path.of(o.string("payload-in"))));
    } else {
      api = new Api(vertx, o.string("base-url"), o.integer("http-connections"));
      long t = System.nanoTime();
      api.signIn(users).await();
      tokens.addAll(api.tokens);
      log("signed in " + userCount + " users in " + ms(System.nanoTime() - t) + " ms");
    }
    long pid = o.longValue("server-pid");
    Thread.sleep(2000);
    long[] before = heap(pid);
    out.put("heap_before_bytes", String.valueOf(before[0]));
    out.put("rss_before_bytes", String.valueOf(before[1]));
    log(String.format(Locale.ROOT, "server heap after GC without connections: %.1f MB (RSS %.1f MB)",
        before[0] / 1e6, before[1] / 1e6));

    // like the page (vertxbus_ping_interval 10 s): every socket pings once per interval, spread
    // over it; started before connecting, as the bridge closes a socket silent for pingTimeout
    int interval = Math.max(1, o.integer("ping-interval"));
    long[] tick = {0};
    long pinger = vertx.setPeriodic(1000, id -> {
      long slot = tick[0]++ % interval;
      for (int i = 0; i < conns.size(); i++) {
        WebSocket ws = i % interval == slot ? conns.get(i).ws : null;
        if (ws != null && !ws.isClosed()) {
          ws.writeTextMessage("{\"type\":\"ping\"}");
        }
      }
    });
    connect();
    Thread.sleep(3000);
    long[] after = heap(pid);
    long connected = conns.stream().filter(c -> c.ws != null).count();
    out.put("heap_after_bytes", String.valueOf(after[0]));
    out.put("rss_after_bytes", String.valueOf(after[1]));
    double perConn = connected == 0 ? 0 : (double) (after[0] - before[0]) / connected;
    out.put("heap_per_connection_bytes", String.format(Locale.ROOT, "%.0f", perConn));
    out.put("connections_per_gb_heap", String.format(Locale.ROOT, "%.0f",
        perConn <= 0 ? 0 : (1L << 30) / perConn));
    out.put("rss_per_connection_bytes", String.format(Locale.ROOT, "%.0f",
        connected == 0 ? 0 : (double) (after[1] - before[1]) / connected));
    log(String.format(Locale.ROOT, "server heap after GC with %d connections: %.1f MB: %.0f bytes"
        + " per connection, %.0f connections per GB (RSS %.1f MB)", connected, after[0] / 1e6,
        perConn, perConn <= 0 ? 0 : (1L << 30) / perConn, after[1] / 1e6));

    probe();
    String[] rates = o.string("rates").split(",");
    warmUntilSettled(Double.parseDouble(rates[rates.length / 2].trim()));

    List<Step> steps = new ArrayList<>();
    double best = 0;
    Step bestStep = null;
    for (String r : rates) {
      double rate = Double.parseDouble(r.trim());
      Step step = runStep(rate);
      steps.add(step);
      boolean keptUp = step.missing == 0 && step.errors == 0
          && step.deliveriesPerSecond >= 0.95 * rate * connected / userCount;
      int i = steps.size();
      put(i, "rate", fmt(rate));
      put(i, "offered_deliveries_per_s", fmt(rate * connected / userCount));
      put(i, "deliveries_per_s", fmt(step.deliveriesPerSecond));
      put(i, "sent", String.valueOf(step.sent));
      put(i, "created", String.valueOf(step.created));
      put(i, "errors", String.valueOf(step.errors));
      put(i, "expected", String.valueOf(step.expected));
      put(i, "received", String.valueOf(step.received));
      put(i, "missing", String.valueOf(step.missing));
      put(i, "duplicates", String.valueOf(step.duplicates));
      put(i, "delay_p50_ms", fmt(step.delays.getValueAtPercentile(50) / 1000.0));
      put(i, "delay_p99_ms", fmt(step.delays.getValueAtPercentile(99) / 1000.0));
      put(i, "delay_p999_ms", fmt(step.delays.getValueAtPercentile(99.9) / 1000.0));
      put(i, "delay_max_ms", fmt(step.delays.getMaxValue() / 1000.0));
      put(i, "delay_n", String.valueOf(step.delays.getTotalCount()));
      put(i, "http_p99_ms", fmt(step.http.getValueAtPercentile(99) / 1000.0));
      put(i, "cpu", step.cpu);
      put(i, "cpu_per_delivery", step.cpuPerDelivery);
      put(i, "kept_up", String.valueOf(keptUp));
      log(String.format(Locale.ROOT, "step %d: %.0f events/s: %.0f deliveries/s, %d/%d received,"
              + " %d missing, %d dup, delay p50 %.1f p99 %.1f max %.1f ms, errors %d; %s", i, rate,
          step.deliveriesPerSecond, step.received, step.expected, step.missing, step.duplicates,
          step.delays.getValueAtPercentile(50) / 1000.0, step.delays.getValueAtPercentile(99) / 1000.0,
          step.delays.getMaxValue() / 1000.0, step.errors, step.cpu));
      if (keptUp && step.deliveriesPerSecond > best) {
        best = step.deliveriesPerSecond;
        bestStep = step;
      }
      if (!keptUp && step.missing > step.expected / 10) {
        log("far behind: no further steps");
        break;
      }
    }
    out.put("steps", String.valueOf(steps.size()));
    out.put("max_sustained_deliveries_per_s", fmt(best));
    out.put("max_sustained_delay_p99_ms", bestStep == null ? "-"
        : fmt(bestStep.delays.getValueAtPercentile(99) / 1000.0));
    out.put("bytes_per_delivery", deliveries.sum() == 0 ? "0"
        : String.valueOf(bytes.sum() / deliveries.sum()));
    out.put("frames_unmatched", String.valueOf(unmatched.sum()));
    out.put("closed_by_server", String.valueOf(closes.sum()));
    vertx.cancelTimer(pinger);
    if (capturedPayload != null && !o.string("payload-out").isEmpty()) {
      Files.writeString(Path.of(o.string("payload-out")), capturedPayload);
    }
    closeAll();
  }

  private void put(int step, String key, String value) {
    out.put("step." + step + "." + key, value);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  // ---------------------------------------------------------------------------- connections

  private void connect() throws Exception {
    int n = o.integer("connections");
    int ips = Math.max(1, o.integer("source-ips"));
    List<WebSocketClient> clients = new ArrayList<>();
    for (int i = 0; i < ips; i++) {
      clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
          .setLocalAddress("127.0.0." + (i + 1)).setMaxConnections(n + 10)
          .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22).setConnectTimeout(10_000)));
    }
    Semaphore inFlight = new Semaphore(o.integer("connect-concurrency"));
    LongAdder failed = new LongAdder();
    Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
    long deadline = System.nanoTime() + o.integer("connect-timeout") * 1_000_000_000L;
    long t0 = System.nanoTime();
    int attempted = 0;
    for (int i = 0; i < n; i++) {
      if (System.nanoTime() > deadline || (failed.sum() > 100 && failed.sum() > i / 2)) {
        log("connect: giving up after " + i + " attempts");
        break;
      }
      while (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
        if (System.nanoTime() > deadline) {
          break;
        }
      }
      attempted++;
      int user = i % userCount;
      Conn c = new Conn(user);
      String uri = "/eventbus/websocket" + (bare ? ""
          : "?token=" + URLEncoder.encode(tokens.get(user), StandardCharsets.UTF_8));
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(host).setPort(port)
          .setURI(uri);
      if (!bare) {
        // like a page the app served: the bridge refuses a missing or foreign Origin
        options.addHeader("Origin", "http://" + host + ":" + port);
      }
      clients.get(i % ips).connect(options).onComplete(ar -> {
        if (ar.failed()) {
          inFlight.release();
          failed.increment();
          String reason = String.valueOf(ar.cause().getMessage());
          reasons.computeIfAbsent(reason.length() > 80 ? reason.substring(0, 80) : reason,
              k -> new LongAdder()).increment();
          return;
        }
        WebSocket ws = ar.result();
        ws.textMessageHandler(text -> onFrame(c, text));
        ws.binaryMessageHandler(buffer -> onFrame(c, buffer.toString(StandardCharsets.UTF_8)));
        ws.closeHandler(v -> {
          if (!closing) {
            closes.increment();
          }
        });
        ws.exceptionHandler(e -> { });
        ws.writeTextMessage("{\"type\":\"register\",\"address\":\"user." + users.get(user)
            + ".tasks\"}");
        c.ws = ws;
        synchronized (connsOfUser) {
          connsOfUser[user]++;
        }
        inFlight.release();
      });
      conns.add(c);
      if (i > 0 && i % 2000 == 0) {
        log("connect: " + i + " attempted, " + failed.sum() + " failed, "
            + ms(System.nanoTime() - t0) + " ms");
      }
    }
    // wait for the last handshakes
    inFlight.tryAcquire(o.integer("connect-concurrency"), 30, TimeUnit.SECONDS);
    long connected = conns.stream().filter(c -> c.ws != null).count();
    double seconds = (System.nanoTime() - t0) / 1e9;
    out.put("connect_attempted", String.valueOf(attempted));
    out.put("connected", String.valueOf(connected));
    out.put("connect_failed", String.valueOf(failed.sum()));
    out.put("connect_failures", reasons.isEmpty() ? "none" : reasons.toString().replace('\n', ' '));
    out.put("connect_seconds", fmt(seconds));
    log(String.format(Locale.ROOT, "connected %d of %d in %.1f s (%.0f/s); %d failed %s", connected,
        attempted, seconds, connected / seconds, failed.sum(), reasons));
  }

  private static final String SUBJECT = "\"subject\":\"";
  private static final String TIME = "\"time\":\"";

  private void onFrame(Conn c, String text) {
    long now = nowMicros();
    if (!text.startsWith("{\"type\":\"rec\"")) {
      return; // pong
    }
    deliveries.increment();
    bytes.add(text.length());
    if (!c.got) {
      c.got = true;
    }
    int s = text.indexOf(SUBJECT);
    int t = text.indexOf(TIME);
    if (s < 0 || t < 0) {
      unmatched.increment();
      return;
    }
    String subject = text.substring(s + SUBJECT.length(), text.indexOf('"', s + SUBJECT.length()));
    String time = text.substring(t + TIME.length(), text.indexOf('"', t + TIME.length()));
    try {
      Instant at = Instant.parse(time);
      long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
      current.recordValue(Math.max(0, now - micros));
    } catch (RuntimeException e) {
      unmatched.increment();
    }
    tallies.compute(subject, (k, v) -> {
      Tally tally = v == null ? new Tally() : v;
      tally.received++;
      return tally;
    });
    if (capturedPayload == null) {
      capturedPayload = new JsonObject(text).getJsonObject("body").encode();
    }
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  /** One event per user until every connection has had a frame (registrations are not acked). */
  private void probe() throws Exception {
    long t0 = System.nanoTime();
    Step probe = new Step("probe", 0);
    for (int round = 0; round < 10; round++) {
      List<Future<?>> sends = new ArrayList<>();
      for (int u = 0; u < userCount; u++) {
        int user = u;
        boolean missing = conns.stream().anyMatch(c -> c.user == user && c.ws != null && !c.got);
        if (missing) {
          sends.add(send(probe, user, System.nanoTime()));
        }
      }
      if (sends.isEmpty()) {
        break;
      }
      Future.join(sends).await();
      Thread.sleep(3000);
    }
    long without = conns.stream().filter(c -> c.ws != null && !c.got).count();
    out.put("probe_seconds", fmt((System.nanoTime() - t0) / 1e9));
    out.put("probe_connections_without_event", String.valueOf(without));
    log("probe: every user sent events until each connection had one; " + without
        + " connections without any after " + ms(System.nanoTime() - t0) + " ms");
    tallies.clear();
  }

  // ---------------------------------------------------------------------------- events

  private Future<Void> send(Step step, int user, long dueNanos) {
    step.sent++;
    int expected;
    synchronized (connsOfUser) {
      expected = connsOfUser[user];
    }
    Future<String> id;
    if (bare) {
      String subject = UUID.randomUUID().toString();
      JsonObject envelope = template.copy().put("id", String.valueOf(step.sent))
          .put("subject", subject).put("userid", users.get(user));
      JsonObject task = envelope.getJsonObject("data", new JsonObject()).getJsonObject("task");
      if (task != null) {
        task.put("id", subject).put("userId", users.get(user));
      }
      id = http.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setURI("/publish/" + users.get(user)).putHeader(HttpHeaders.CONTENT_TYPE,
                  "application/json"))
          .compose(req -> req.send(envelope.toBuffer()))
          .compose(resp -> resp.body().map(b -> resp.statusCode() == 201 ? subject : null));
    } else {
      id = api.create(user, "fanout " + step.name + " " + step.sent)
          .map(outcome -> outcome.created() ? outcome.taskId() : null);
    }
    return id.otherwise((String) null).map(taskId -> {
      synchronized (step) {
        step.http.recordValue(Math.max(0, (System.nanoTime() - dueNanos) / 1000));
        if (taskId == null) {
          step.errors++;
          return null;
        }
        step.created++;
      }
      tallies.compute(taskId, (k, v) -> {
        Tally tally = v == null ? new Tally() : v;
        tally.step = step;
        tally.expected = expected;
        return tally;
      });
      return null;
    });
  }

  /** Sends at {@code rate} events/s for {@code seconds}; completes when every send answered. */
  private Future<Void> openLoop(Step step, double rate, double seconds) {
    Promise<Void> done = Promise.promise();
    long total = Math.round(rate * seconds);
    long start = System.nanoTime();
    AtomicLong scheduled = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    vertx.runOnContext(v -> vertx.setPeriodic(2, id -> {
      long now = System.nanoTime();
      long due = Math.min(total, (long) ((now - start) / 1e9 * rate));
      while (scheduled.get() < due) {
        long i = scheduled.getAndIncrement();
        send(step, (int) (i % userCount), start + (long) (i * 1e9 / rate)).onComplete(ar -> {
          if (answered.incrementAndGet() == total) {
            done.tryComplete();
          }
        });
      }
      if (scheduled.get() >= total) {
        vertx.cancelTimer(id);
        if (total == 0) {
          done.tryComplete();
        }
      }
    }));
    return done.future();
  }

  /**
   * Before the first step, events at a middle rate until the server's JIT has settled, as the
   * create scenario warms up ({@link Warmup}): a step's few seconds of warm-up leave the compiler
   * threads of a server with the whole create path to compile at half a core, and the step would
   * measure the JIT, not the bridge. Off with {@code --jit-warmup-max 0}.
   */
  private void warmUntilSettled(double rate) throws Exception {
    long maxMs = o.integer("jit-warmup-max") * 1000L;
    long pid = o.longValue("server-pid");
    if (maxMs <= 0 || pid <= 0) {
      return;
    }
    Future<Void> settled = Warmup.until(vertx, List.of(pid), 10_000, maxMs);
    Step warm = new Step("jit-warmup-" + fmt(rate), rate);
    while (!settled.isComplete()) {
      openLoop(warm, rate, 5).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private Step runStep(double rate) throws Exception {
    long pid = o.longValue("server-pid");
    Step warm = new Step("warmup-" + fmt(rate), rate);
    Future<Void> warmed = openLoop(warm, rate, o.integer("warmup"));
    Thread.sleep(o.integer("warmup") * 1000L);
    Step step = new Step(fmt(rate), rate);
    current = step.delay;
    step.delay.reset();
    long d0 = deliveries.sum();
    Cpu.Snapshot c0 = Cpu.take(pid);
    long t0 = System.nanoTime();
    Future<Void> sent = openLoop(step, rate, o.integer("duration"));
    Thread.sleep(o.integer("duration") * 1000L);
    long d1 = deliveries.sum();
    Cpu.Snapshot c1 = Cpu.take(pid);
    step.seconds = (System.nanoTime() - t0) / 1e9;
    step.deliveriesPerSecond = (d1 - d0) / step.seconds;
    step.cpu = Cpu.describe(c0, c1).replace("app JVM", bare ? "bare bridge JVM" : "taskbus JVM");
    step.cpuPerDelivery = Cpu.cost(c0, c1, bare ? "bare bridge JVM" : "taskbus JVM")
        .line("delivery", d1 - d0);
    // let the stragglers arrive: every send answered, then every delivery or the settle time
    long settleUntil = System.nanoTime() + o.integer("settle") * 1_000_000_000L;
    try {
      Future.join(warmed, sent).toCompletionStage().toCompletableFuture()
          .get(o.integer("settle") + 10L, TimeUnit.SECONDS);
    } catch (Exception e) {
      log("step " + step.name + ": sends still unanswered after the settle time");
    }
    while (System.nanoTime() < settleUntil && outstanding(step) > 0) {
      Thread.sleep(100);
    }
    step.delays = step.delay.getIntervalHistogram();
    current = new Recorder(3_600_000_000L, 3);
    for (Map.Entry<String, Tally> e : tallies.entrySet()) {
      Tally t = e.getValue();
      if (t.step == step) {
        step.expected += t.expected;
        step.received += Math.min(t.received, t.expected);
        step.missing += Math.max(0, t.expected - t.received);
        step.duplicates += Math.max(0, t.received - t.expected);
      }
    }
    tallies.clear();
    return step;
  }

  private long outstanding(Step step) {
    long n = 0;
    for (Tally t : tallies.values()) {
      if (t.step == step && t.received < t.expected) {
        n += t.expected - t.received;
      }
    }
    return n;
  }

  private void closeAll() {
    closing = true;
    List<Future<Void>> all = new ArrayList<>();
    for (Conn c : conns) {
      if (c.ws != null) {
        all.add(c.ws.close());
      }
    }
    try {
      Future.join(all).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the process exits anyway
    }
  }

  // ---------------------------------------------------------------------------- the server's heap

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** [heap used after a full GC, RSS] of the server in bytes ({@code jcmd}; zeros without a pid). */
  private static long[] heap(long pid) throws IOException, InterruptedException {
    if (pid <= 0) {
      return new long[] {0, 0};
    }
    jcmd(pid, "GC.run");
    Thread.sleep(500);
    jcmd(pid, "GC.run");
    Thread.sleep(500);
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = USED.matcher(info);
    long used = m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return new long[] {used, rss};
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true)
        .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + text);
    }
    return text;
  }

  /** A task.created envelope of the app's shape, for a bare run without a captured one. */
  private static JsonObject defaultEnvelope() {
    return new JsonObject().put("specversion", "1.0").put("id", "1").put("type", "task.created")
        .put("source", "/taskbus/api").put("subject", "").put("time", "")
        .put("datacontenttype", "application/json").put("userid", "").put("seq", 1)
        .put("data", new JsonObject().put("task", new JsonObject().put("id", "")
            .put("title", "fanout bare 1").put("status", "open").put("priority", "normal")
            .put("tags", new io.vertx.core.json.JsonArray()).put("version", 1)
            .put("createdAt", Instant.now().toString()).put("updatedAt", Instant.now().toString()))
            .put("changes", new JsonObject()));
  }
}
