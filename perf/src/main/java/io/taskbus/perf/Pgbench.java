package io.taskbus.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** pgbench's summary (its stdout) and its per-transaction log (-l), read after it has run. */
final class Pgbench {

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial");
  private static final Pattern PROCESSED =
      Pattern.compile("number of transactions actually processed: (\\d+)");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
  private static final Pattern CLIENTS = Pattern.compile("number of clients: (\\d+)");
  private static final Pattern DURATION = Pattern.compile("duration: (\\d+) s");

  double tps = Double.NaN;
  long processed;
  long failed;
  int clients;
  int seconds;
  final Latency latency = new Latency();
  long logFailed;
  String schema = "";

  /**
   * Rounds of the same run as one: counts, seconds and latencies added up, tps the mean of the
   * rounds' (they are equally long); not present when one is missing.
   */
  static Pgbench sum(java.util.List<Pgbench> rounds) {
    Pgbench all = new Pgbench();
    double tps = 0;
    for (Pgbench p : rounds) {
      if (!p.present()) {
        return rounds.get(0);
      }
      tps += p.tps;
      all.processed += p.processed;
      all.failed += p.failed;
      all.logFailed += p.logFailed;
      all.clients = p.clients;
      all.seconds += p.seconds;
      all.latency.histogram.add(p.latency.histogram);
    }
    all.tps = rounds.isEmpty() ? Double.NaN : tps / rounds.size();
    return all;
  }

  /** A per-round file name: "%d" in {@code pattern} is the round (1, 2, ...). */
  static String roundFile(String pattern, int round) {
    return pattern.replace("%d", String.valueOf(round));
  }

  boolean present() {
    return !Double.isNaN(tps);
  }

  static Pgbench read(String outFile, String logPrefix) throws IOException {
    Pgbench p = new Pgbench();
    if (outFile == null || outFile.isEmpty()) {
      return p;
    }
    String text = Files.readString(Path.of(outFile));
    p.tps = group(TPS, text).map(Double::parseDouble).orElse(Double.NaN);
    p.processed = group(PROCESSED, text).map(Long::parseLong).orElse(0L);
    p.failed = group(FAILED, text).map(Long::parseLong).orElse(0L);
    p.clients = group(CLIENTS, text).map(Integer::parseInt).orElse(0);
    p.seconds = group(DURATION, text).map(Integer::parseInt).orElse(0);
    if (logPrefix != null && !logPrefix.isEmpty()) {
      Path prefix = Path.of(logPrefix);
      String name = prefix.getFileName().toString();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix.getParent(), name + ".*")) {
        for (Path file : files) {
          p.readLog(file);
        }
      }
    }
    return p;
  }

  /** Lines: client_id transaction_no time(µs, or "failed") script_no time_epoch time_us ... */
  private void readLog(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file)) {
      for (String line; (line = in.readLine()) != null; ) {
        String[] f = line.split(" ");
        if (f.length < 3) {
          continue;
        }
        try {
          latency.recordMicros(Long.parseLong(f[2]));
        } catch (NumberFormatException e) {
          logFailed++;
        }
      }
    }
  }

  private static java.util.Optional<String> group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  /**
   * pgbench's CPU line: from {@code --pgbench-cpu-file} when pgbench ran while this generator
   * held (the file exists by the time of the report), else {@code --pgbench-cpu}.
   */
  static String cpuLine(Options o) {
    return cpuLine(o, 1);
  }

  /** Round {@code round}'s CPU line ("%d" in --pgbench-cpu-file is the round). */
  static String cpuLine(Options o, int round) {
    return cpuText(o, round).lines().findFirst().orElse("-");
  }

  /**
   * What pgbench's PostgreSQL and its client used (the "jiffies postgres=P client=C" line that
   * perf_timed_pgbench writes under the CPU line); empty when there is none.
   */
  static CpuCost cpuCost(Options o, int round) {
    CpuCost cost = new CpuCost();
    cpuText(o, round).lines().filter(l -> l.startsWith("jiffies ")).findFirst().ifPresent(l -> {
      for (String kv : l.substring(8).trim().split(" ")) {
        String[] f = kv.split("=");
        cost.add("postgres".equals(f[0]) ? "postgres" : "pgbench " + f[0], Long.parseLong(f[1]));
      }
    });
    return cost;
  }

  private static String cpuText(Options o, int round) {
    String file = roundFile(o.string("pgbench-cpu-file"), round);
    if (!file.isEmpty()) {
      try {
        return java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip();
      } catch (java.io.IOException e) {
        return "-";
      }
    }
    return o.string("pgbench-cpu");
  }
}
