package io.taskbus.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The report of perf/run-fanout.sh: the {@code key=value} results of {@link FanoutScenario} for
 * taskbus and for the bare bridge, side by side, with the ratios the targets are about.
 *
 * <pre>java -cp taskbus-perf.jar io.taskbus.perf.FanoutReport --taskbus FILE --bare FILE --title TEXT</pre>
 */
public final class FanoutReport {

  public static void main(String[] args) throws IOException {
    Options o = Options.parseOrExit(args, Options.defaults("taskbus", "", "bare", "", "title", ""));
    Map<String, String> t = read(o.string("taskbus"));
    Map<String, String> b = read(o.string("bare"));
    StringBuilder r = new StringBuilder();
    r.append(o.string("title")).append('\n');
    r.append(String.format(Locale.ROOT, "users %s, connections per user %s; raw SockJS WebSocket"
            + " (/eventbus/websocket), each registered on user.<id>.tasks%n",
        t.getOrDefault("users", b.get("users")),
        perUser(t.getOrDefault("connections_target", b.get("connections_target")),
            t.getOrDefault("users", b.get("users")))));
    row(r, "", "taskbus", "bare bridge", "taskbus / bare");
    row(r, "connections attempted", t.get("connect_attempted"), b.get("connect_attempted"), "");
    row(r, "connections open", t.get("connected"), b.get("connected"), "");
    row(r, "connect failures", t.get("connect_failed"), b.get("connect_failed"), "");
    row(r, "seconds to connect", t.get("connect_seconds"), b.get("connect_seconds"), "");
    row(r, "heap after GC, none MB", mb(t.get("heap_before_bytes")), mb(b.get("heap_before_bytes")), "");
    row(r, "heap after GC, all MB", mb(t.get("heap_after_bytes")), mb(b.get("heap_after_bytes")), "");
    row(r, "heap bytes / connection", t.get("heap_per_connection_bytes"),
        b.get("heap_per_connection_bytes"), "");
    row(r, "connections per GB heap", t.get("connections_per_gb_heap"),
        b.get("connections_per_gb_heap"), ratio(t.get("connections_per_gb_heap"),
            b.get("connections_per_gb_heap")));
    row(r, "RSS bytes / connection", t.get("rss_per_connection_bytes"),
        b.get("rss_per_connection_bytes"), "");
    row(r, "connections w/o event", t.get("probe_connections_without_event"),
        b.get("probe_connections_without_event"), "");
    int steps = Math.max(num(t.get("steps")), num(b.get("steps")));
    for (int i = 1; i <= steps; i++) {
      String p = "step." + i + ".";
      r.append(String.format(Locale.ROOT, "step %d: %s events/s (%s deliveries/s offered)%n", i,
          t.getOrDefault(p + "rate", b.get(p + "rate")),
          t.getOrDefault(p + "offered_deliveries_per_s", b.get(p + "offered_deliveries_per_s"))));
      row(r, "  deliveries/s", t.get(p + "deliveries_per_s"), b.get(p + "deliveries_per_s"),
          ratio(t.get(p + "deliveries_per_s"), b.get(p + "deliveries_per_s")));
      row(r, "  received / expected", t.get(p + "received") + "/" + t.get(p + "expected"),
          b.get(p + "received") + "/" + b.get(p + "expected"), "");
      row(r, "  missing / duplicates", t.get(p + "missing") + "/" + t.get(p + "duplicates"),
          b.get(p + "missing") + "/" + b.get(p + "duplicates"), "");
      row(r, "  send errors", t.get(p + "errors"), b.get(p + "errors"), "");
      row(r, "  delay p50 ms", t.get(p + "delay_p50_ms"), b.get(p + "delay_p50_ms"), "");
      row(r, "  delay p99 ms", t.get(p + "delay_p99_ms"), b.get(p + "delay_p99_ms"), "");
      row(r, "  delay p99.9 ms", t.get(p + "delay_p999_ms"), b.get(p + "delay_p999_ms"), "");
      row(r, "  delay max ms", t.get(p + "delay_max_ms"), b.get(p + "delay_max_ms"), "");
      row(r, "  HTTP send p99 ms", t.get(p + "http_p99_ms"), b.get(p + "http_p99_ms"), "");
      row(r, "  kept up", t.get(p + "kept_up"), b.get(p + "kept_up"), "");
      r.append("    CPU, taskbus: ").append(t.getOrDefault(p + "cpu", "-")).append('\n');
      r.append("    CPU, bare:    ").append(b.getOrDefault(p + "cpu", "-")).append('\n');
      r.append("      taskbus ").append(t.getOrDefault(p + "cpu_per_delivery", "-")).append('\n');
      r.append("      bare    ").append(b.getOrDefault(p + "cpu_per_delivery", "-")).append('\n');
    }
    row(r, "max sustained deliv./s", t.get("max_sustained_deliveries_per_s"),
        b.get("max_sustained_deliveries_per_s"), ratio(t.get("max_sustained_deliveries_per_s"),
            b.get("max_sustained_deliveries_per_s")));
    row(r, "  its delay p99 ms", t.get("max_sustained_delay_p99_ms"),
        b.get("max_sustained_delay_p99_ms"), "");
    row(r, "bytes per delivery", t.get("bytes_per_delivery"), b.get("bytes_per_delivery"), "");
    row(r, "closed by the server", t.get("closed_by_server"), b.get("closed_by_server"), "");
    double c = parse(ratio(t.get("connections_per_gb_heap"), b.get("connections_per_gb_heap")));
    double d = parse(ratio(t.get("max_sustained_deliveries_per_s"),
        b.get("max_sustained_deliveries_per_s")));
    r.append(String.format(Locale.ROOT, "targets: connections per GB >= 0.70x bare: %s (%.2f);"
            + " deliveries/s >= 0.70x bare: %s (%.2f)%n", met(c), c, met(d), d));
    if (t.containsKey("error") || b.containsKey("error")) {
      r.append("errors: taskbus: ").append(t.getOrDefault("error", "none")).append("; bare: ")
          .append(b.getOrDefault("error", "none")).append('\n');
    }
    System.out.print(r);
  }

  private static String met(double ratio) {
    return Double.isNaN(ratio) ? "n/a" : ratio >= 0.7 ? "MET" : "NOT MET";
  }

  private static void row(StringBuilder r, String name, String a, String b, String ratio) {
    r.append(String.format(Locale.ROOT, "  %-26s %14s %14s %14s%n", name, a == null ? "-" : a,
        b == null ? "-" : b, ratio));
  }

  private static String mb(String bytes) {
    return bytes == null ? "-" : String.format(Locale.ROOT, "%.1f", Long.parseLong(bytes) / 1e6);
  }

  private static String perUser(String conns, String users) {
    try {
      return String.valueOf(Integer.parseInt(conns) / Integer.parseInt(users));
    } catch (RuntimeException e) {
      return "-";
    }
  }

  private static String ratio(String a, String b) {
    double x = parse(a);
    double y = parse(b);
    return Double.isNaN(x) || Double.isNaN(y) || y == 0 ? "-"
        : String.format(Locale.ROOT, "%.2f", x / y);
  }

  private static double parse(String s) {
    try {
      return Double.parseDouble(s);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private static int num(String s) {
    try {
      return Integer.parseInt(s);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  static Map<String, String> read(String file) throws IOException {
    Map<String, String> map = new LinkedHashMap<>();
    if (file.isEmpty() || !Files.exists(Path.of(file))) {
      return map;
    }
    for (String line : Files.readAllLines(Path.of(file))) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        map.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return map;
  }

  private FanoutReport() {}
}
