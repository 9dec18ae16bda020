package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

/**
 * When a closed loop's warm-up ends. A fixed warm-up guesses how long the app's JIT needs; on two
 * shared cores it needed about two minutes of full load (the jar holds Vert.x, Kafka's broker and
 * clients, Hazelcast and PostgreSQL's client), and a window measured while the compiler threads
 * still took half a core measured the JIT, not the app. So: at least {@code minMs}, then until
 * every watched app JVM spent less than {@value #SETTLED} of a core compiling over the last
 * {@value #WINDOW_S} s, and never longer than {@code maxMs}.
 */
final class Warmup {

  static final double SETTLED = 0.05;
  static final int WINDOW_S = 10;

  private record Point(long nanos, double compileSeconds) {}

  /**
   * A fixed warm-up when {@code maxMs <= minMs} or no JVM's threads can be read (the compiler
   * threads' CPU comes from /proc: the JVM's own compile-time counter is wall time, which a
   * compiler thread waiting for a core inflates).
   */
  static Future<Void> until(Vertx vertx, List<Long> pids, long minMs, long maxMs) {
    List<Long> watched = pids.stream().filter(pid -> pid > 0 && Cpu.jitTicks(pid) >= 0).toList();
    if (maxMs <= minMs || watched.isEmpty()) {
      return minMs <= 0 ? Future.succeededFuture() : vertx.timer(minMs).mapEmpty();
    }
    long start = System.nanoTime();
    ArrayDeque<Point> points = new ArrayDeque<>();
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(1000, id -> {
      long now = System.nanoTime();
      double compiling = compileSeconds(watched);
      points.addLast(new Point(now, compiling));
      while (points.size() > 1 && now - points.peekFirst().nanos > WINDOW_S * 1_000_000_000L) {
        points.removeFirst();
      }
      double elapsed = (now - start) / 1e9;
      Point oldest = points.peekFirst();
      double span = (now - oldest.nanos) / 1e9;
      double rate = span <= 0 ? Double.NaN : (compiling - oldest.compileSeconds) / span;
      boolean full = span >= WINDOW_S - 0.5;
      if (elapsed * 1000 >= minMs && full && rate < SETTLED) {
        CreateScenario.log("warm-up over after %.0f s: the app's JIT settled (%.3f of a core compiling over the last %d s)",
            elapsed, rate, WINDOW_S);
      } else if (elapsed * 1000 >= maxMs) {
        CreateScenario.log("warm-up cut at its maximum, %.0f s: the app's JIT still compiles (%.3f of a core over the last %d s)",
            elapsed, rate, WINDOW_S);
      } else {
        return;
      }
      vertx.cancelTimer(id);
      done.complete();
    });
    return done.future();
  }

  /**
   * The measurement by wrk, in {@code --rounds} rounds: the Java loop {@code warmup} warms up as
   * above; then, per round, the hold for pgbench (round 1 waits for FILE, round r for FILE-r),
   * {@code --rewarm} seconds of wrk (not measured), and wrk's window, with {@code windowStarts} and
   * {@code windowEnds} around it. Rounds alternate pgbench and taskbus, so a slower or faster
   * stretch of this shared machine is not all on one side of the ratio.
   */
  static Future<List<Phase>> rounds(Vertx vertx, Options o, long appPid, ClosedLoop warmup,
      WrkWindow wrk, Runnable windowStarts, Runnable windowEnds) {
    int connections = o.integer("connections");
    long durationMs = o.integer("max-duration") * 1000L;
    String hold = o.string("hold");
    Future<?> ready = warmup.run(connections, settled(vertx, o, appPid), 0);
    List<Phase> rounds = new java.util.ArrayList<>();
    for (int round = 1; round <= o.integer("rounds"); round++) {
      Path go = Path.of(round == 1 ? hold : hold + "-" + round);
      if (!hold.isEmpty()) {
        // the re-warm by wrk itself: warmed by the Java loop only, the first window still
        // compiled (300 methods, 0.1-0.2 of a core) and came out lowest of the rounds
        ready = ready.compose(x -> hold(vertx, go))
            .compose(v -> wrk.run(vertx, connections, o.integer("rewarm") * 1000L));
      }
      ready = ready.compose(x -> {
        windowStarts.run();
        return wrk.run(vertx, connections, durationMs);
      }).onSuccess(phase -> {
        windowEnds.run();
        rounds.add(phase);
      });
    }
    return ready.map(x -> rounds);
  }

  /**
   * The closed loop's measurement: {@code measured} runs {@code --max-duration} seconds;
   * {@code windowStarts} and {@code windowEnds} run when its window starts and ends (by the clock:
   * the loop ends only when its last answers are in). Before the window: without {@code --hold},
   * {@code --warmup} seconds of the same loop, or up to {@code --warmup-max} until the app's JIT
   * settled. With {@code --hold FILE}: that warm-up runs as {@code warmup}, a loop of its own; then
   * this generator writes FILE.ready and waits, idle with its connections and sockets open, until
   * FILE exists (the script runs pgbench meanwhile, on cores no JIT is using, neither the app's
   * nor this generator's); then {@code measured} runs {@code --rewarm} seconds before its window.
   */
  static Future<Phase> measure(Vertx vertx, Options o, long appPid, ClosedLoop measured,
      ClosedLoop warmup, Runnable windowStarts, Runnable windowEnds) {
    int connections = o.integer("connections");
    long durationMs = o.integer("max-duration") * 1000L;
    Runnable starts = () -> {
      windowStarts.run();
      vertx.setTimer(durationMs, t -> windowEnds.run());
    };
    Future<Void> warm = settled(vertx, o, appPid);
    String hold = o.string("hold");
    if (hold.isEmpty()) {
      return measured.run(connections, warm.onSuccess(v -> starts.run()), durationMs);
    }
    return warmup.run(connections, warm, 0)
        .compose(phase -> hold(vertx, Path.of(hold)))
        .compose(v -> measured.run(connections, vertx.timer(o.integer("rewarm") * 1000L)
            .<Void>mapEmpty().onSuccess(w -> starts.run()), durationMs));
  }

  /** {@link #until} for the app alone, with the options' {@code --warmup} and {@code --warmup-max}. */
  static Future<Void> settled(Vertx vertx, Options o, long appPid) {
    return until(vertx, List.of(appPid), o.integer("warmup") * 1000L,
        o.integer("warmup-max") * 1000L);
  }

  private static Future<Void> hold(Vertx vertx, Path go) {
    try {
      Files.writeString(go.resolveSibling(go.getFileName() + ".ready"), "warm\n");
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    CreateScenario.log("warm; holding until %s exists", go);
    Promise<Void> released = Promise.promise();
    vertx.setPeriodic(200, id -> {
      if (Files.exists(go)) {
        vertx.cancelTimer(id);
        CreateScenario.log("released");
        released.complete();
      }
    });
    return released.future();
  }

  /** The warm-up as the options asked for it, for a report. */
  static String describe(Options o) {
    String warm = o.integer("warmup-max") > o.integer("warmup")
        ? String.format(java.util.Locale.ROOT, "a warm-up of %d s and on until the app's JIT settled (at most %d s)",
            o.integer("warmup"), o.integer("warmup-max"))
        : o.integer("warmup") + " s of warm-up";
    return o.string("hold").isEmpty() ? warm
        : warm + ", the hold for pgbench and " + o.integer("rewarm") + " s of closed loop";
  }

  private static double compileSeconds(List<Long> pids) {
    long sum = 0;
    for (long pid : pids) {
      sum += Math.max(0, Cpu.jitTicks(pid));
    }
    return Cpu.seconds(sum);
  }

  private Warmup() {}
}
