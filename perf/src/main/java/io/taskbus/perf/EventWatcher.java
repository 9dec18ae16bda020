package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One raw SockJS WebSocket per user, registered on {@code user.<id>.tasks}, timing each task's
 * event from the moment its HTTP 201 arrived (the closest a client gets to the commit) to the
 * moment the event frame arrived. Everything runs on one event loop, so no locking.
 *
 * <p>An event not received {@code timeout} after its response counts as missing, and is recorded
 * in the histogram as the timeout itself, so that losses cannot make the percentiles look better.
 */
final class EventWatcher {

  /** The event-side figures of one phase. */
  static final class Stats {
    final String name;
    final Latency delay = new Latency();
    long expected;
    long received;
    long missing;
    long late;
    long beforeResponse;
    long duplicates;

    Stats(String name) {
      this.name = name;
    }
  }

  private record Pending(long respondedAt, Stats stats) {}

  private final Vertx vertx;
  private final Api api;
  private final long timeoutNanos;
  private final long pingMs;
  private final WebSocketClient client;
  private final List<WebSocket> sockets = new ArrayList<>();
  private final Map<String, Pending> pending = new HashMap<>();
  /** Events that came before their HTTP response: id -> arrival time. */
  private final Map<String, Long> early = new HashMap<>();
  /** Ids already settled (received or given up), to tell late and duplicate events apart. */
  private final Map<String, Stats> settled = new HashMap<>();
  private final Map<String, Boolean> gaveUp = new HashMap<>();
  /** Each user's last seq pushed: one at or below it breaks the user's order. */
  private final Map<String, Long> lastSeq = new HashMap<>();
  private long outOfOrder;
  private long unmatched;
  private long frames;
  private int closes;
  private long sweeper = -1;
  private long pinger = -1;
  private boolean closing;

  EventWatcher(Vertx vertx, Api api, long timeoutMs, long pingMs) {
    this.vertx = vertx;
    this.api = api;
    this.timeoutNanos = timeoutMs * 1_000_000L;
    this.pingMs = pingMs;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22));
  }

  /** Connects and registers every user's socket. */
  Future<Void> connect() {
    List<Future<WebSocket>> all = new ArrayList<>();
    for (int i = 0; i < api.users.size(); i++) {
      String user = api.users.get(i);
      String uri = "/eventbus/websocket?token="
          + URLEncoder.encode(api.tokens.get(i), StandardCharsets.UTF_8);
      // like a page the app served: the bridge refuses a missing or foreign Origin
      all.add(client.connect(new WebSocketConnectOptions().setHost(api.host).setPort(api.port)
          .setURI(uri).addHeader("Origin", "http://" + api.host + ":" + api.port)).map(ws -> {
            // the raw endpoint sends bus frames as binary messages, SockJS proper as text
            ws.textMessageHandler(text -> onFrame(user, text));
            ws.binaryMessageHandler(buffer -> onFrame(user, buffer.toString(StandardCharsets.UTF_8)));
            ws.closeHandler(v -> {
              if (!closing) {
                closes++;
              }
            });
            ws.exceptionHandler(e -> { });
            ws.writeTextMessage(new JsonObject().put("type", "register")
                .put("address", "user." + user + ".tasks").encode());
            sockets.add(ws);
            return ws;
          }));
    }
    sweeper = vertx.setPeriodic(200, id -> sweep(System.nanoTime()));
    pinger = vertx.setPeriodic(pingMs, id -> {
      for (WebSocket ws : sockets) {
        if (!ws.isClosed()) {
          ws.writeTextMessage("{\"type\":\"ping\"}");
        }
      }
    });
    return Future.all(all).mapEmpty();
  }

  /** A task was created (its 201 is in hand at {@code now}); its event is now expected. */
  void responded(String taskId, long now, Stats stats) {
    stats.expected++;
    Long eventAt = early.remove(taskId);
    if (eventAt != null) {
      stats.received++;
      stats.beforeResponse++;
      stats.delay.recordNanos(0);
      settled.put(taskId, stats);
      return;
    }
    pending.put(taskId, new Pending(now, stats));
  }

  private void onFrame(String user, String text) {
    long now = System.nanoTime();
    frames++;
    String id = subject(text);
    if (id == null) {
      return;
    }
    long seq = seq(text);
    Long last = seq < 0 ? null : lastSeq.put(user, seq);
    if (last != null && seq <= last) {
      outOfOrder++;
    }
    Pending p = pending.remove(id);
    if (p != null) {
      p.stats.received++;
      p.stats.delay.recordNanos(now - p.respondedAt);
      settled.put(id, p.stats);
      return;
    }
    Stats done = settled.get(id);
    if (done != null) {
      if (gaveUp.remove(id) != null) {
        done.late++;
      } else {
        done.duplicates++;
      }
      return;
    }
    early.put(id, now);
  }

  private static final String SUBJECT = "\"subject\":\"";

  /**
   * The task id of a "rec" frame, or null for other frames. The envelope's attributes precede its
   * data, so the first "subject" is the envelope's: a scan, much cheaper than parsing the frame
   * (the generator shares the machine with what it measures). Odd frames get a full parse.
   */
  private String subject(String text) {
    int at = text.indexOf(SUBJECT);
    if (text.startsWith("{\"type\":\"rec\"") && at > 0) {
      int end = text.indexOf('"', at + SUBJECT.length());
      if (end > 0) {
        return text.substring(at + SUBJECT.length(), end);
      }
    }
    try {
      JsonObject frame = new JsonObject(text);
      if (!"rec".equals(frame.getString("type"))) {
        return null;
      }
      JsonObject body = frame.getJsonObject("body");
      String id = body == null ? null : body.getString("subject");
      if (id == null) {
        unmatched++;
      }
      return id;
    } catch (RuntimeException e) {
      unmatched++;
      return null;
    }
  }

  private static final String SEQ = "\"seq\":";

  /** The envelope's seq (it precedes the data, like the subject), or -1 without one. */
  private static long seq(String text) {
    int at = text.indexOf(SEQ);
    if (at < 0) {
      return -1;
    }
    int from = at + SEQ.length();
    int to = from;
    while (to < text.length() && Character.isDigit(text.charAt(to))) {
      to++;
    }
    return to > from ? Long.parseLong(text, from, to, 10) : -1;
  }

  /** Gives up on events older than the timeout; they count as missing, at the timeout. */
  private void sweep(long now) {
    for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Pending> e = it.next();
      if (now - e.getValue().respondedAt >= timeoutNanos) {
        Stats s = e.getValue().stats;
        s.missing++;
        s.delay.recordNanos(timeoutNanos);
        settled.put(e.getKey(), s);
        gaveUp.put(e.getKey(), Boolean.TRUE);
        it.remove();
      }
    }
    // events nobody waits for (other clients' tasks, or a response that never came)
    early.values().removeIf(at -> now - at > 4 * timeoutNanos);
  }

  long outstanding(Stats stats) {
    return pending.values().stream().filter(p -> p.stats == stats).count();
  }

  /** Completes when every event of {@code stats} has arrived or been given up on. */
  Future<Void> settle(Stats stats) {
    Promise<Void> done = Promise.promise();
    if (outstanding(stats) == 0) {
      done.complete();
      return done.future();
    }
    vertx.setPeriodic(50, id -> {
      if (outstanding(stats) == 0) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }

  int closes() {
    return closes;
  }

  long frames() {
    return frames;
  }

  long unmatched() {
    return unmatched;
  }

  /** Pushes whose seq was not above the last one the same user's socket received. */
  long outOfOrder() {
    return outOfOrder;
  }

  Future<Void> close() {
    closing = true;
    vertx.cancelTimer(sweeper);
    vertx.cancelTimer(pinger);
    List<Future<Void>> all = new ArrayList<>();
    for (WebSocket ws : sockets) {
      all.add(ws.close());
    }
    return Future.join(all).transform(ar -> client.close());
  }
}
