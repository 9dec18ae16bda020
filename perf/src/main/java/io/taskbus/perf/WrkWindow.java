package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The measured window of a closed loop run by wrk instead of this generator's Java loop: pgbench,
 * the baseline, is a C client, and on two shared cores the client's own CPU is taken from the
 * system it measures (this generator: ~40 us per search, wrk about half of it). The Java loop still
 * warms the app up and holds for pgbench; wrk runs as this process's child, so its CPU shows as the
 * generator's (reaped children count, see {@link Cpu}). Its figures come from
 * perf/search/wrk-window.lua.
 */
final class WrkWindow {

  private final String wrk;
  private final String script;
  private final String url;
  private final String token;

  WrkWindow(String wrk, String script, String url, String token) {
    this.wrk = wrk;
    this.script = script;
    this.url = url;
    this.token = token;
  }

  Future<Phase> run(Vertx vertx, int connections, long durationMs) {
    List<String> command = List.of(wrk, "-t", "2", "-c", String.valueOf(connections),
        "-d", Math.max(1, durationMs / 1000) + "s", "--timeout", "10s", "-s", script,
        "-H", "Authorization: Bearer " + token, url);
    CreateScenario.log("closed loop by wrk: %s", String.join(" ", command).replace(token, "<token>"));
    return vertx.executeBlocking(() -> {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0 || !out.contains("wrk-result requests")) {
        throw new IllegalStateException("wrk failed (exit " + exit + "):\n" + out);
      }
      return parse(out);
    }, false);
  }

  /** The "wrk-result" lines of the Lua script as a phase. */
  static Phase parse(String out) {
    Phase phase = new Phase("max");
    long requests = 0;
    long[] errors = new long[5];
    List<long[]> latencies = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split(" ");
      if (!f[0].equals("wrk-result")) {
        continue;
      }
      switch (f[1]) {
        case "requests" -> requests = Long.parseLong(f[2]);
        case "duration_us" -> phase.seconds = Long.parseLong(f[2]) / 1e6;
        case "errors" -> {
          for (int i = 0; i < errors.length; i++) {
            errors[i] = Long.parseLong(f[2 + i]);
          }
        }
        case "latency" -> latencies.add(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
        default -> { }
      }
    }
    for (long[] valueCount : latencies) {
      phase.latency.histogram.recordValueWithCount(
          Math.min(valueCount[0], phase.latency.histogram.getHighestTrackableValue()), valueCount[1]);
    }
    String[] names = {"wrk: connect errors", "wrk: read errors", "wrk: write errors",
        "HTTP status other than 2xx/3xx", "wrk: timeouts"};
    long socketErrors = errors[0] + errors[1] + errors[2] + errors[4];
    for (int i = 0; i < errors.length; i++) {
      if (errors[i] > 0) {
        phase.errors.put(names[i], errors[i]);
      }
    }
    // wrk counts a response with a bad status among its requests, a socket error not
    phase.created = requests - errors[3];
    phase.failed = errors[3] + socketErrors;
    phase.sent = requests + socketErrors;
    return phase;
  }
}
