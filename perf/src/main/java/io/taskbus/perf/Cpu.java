package io.taskbus.perf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the CPU went during a phase, from /proc (Linux only; elsewhere it reports nothing): the
 * whole machine, the app's JVM (api, relay, in-process Kafka, bridge, audit), the PostgreSQL
 * processes alive at both ends of the phase, and this generator (with wrk when it ran the phase).
 */
final class Cpu {

  private static final double TICKS_PER_SECOND = 100.0;

  /**
   * With TASKBUS_PERF_PG_PID set to the postmaster's pid, only that PostgreSQL (the postmaster and
   * its children) counts as "postgres"; other PostgreSQL servers on the machine (other builds'
   * tests) then count as "everything else". Unset: every process named postgres.
   */
  private static final long PG_PID =
      Long.parseLong(System.getenv().getOrDefault("TASKBUS_PERF_PG_PID", "0").trim());

  record Snapshot(long busy, long total, long app, long postgres, long self, long nanos) {}

  private Cpu() {}

  static Snapshot take(long appPid) {
    long[] machine = machine();
    long postgres = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          if ("postgres".equals(Files.readString(proc.resolve("comm")).trim())
              && (PG_PID <= 0 || ours(proc))) {
            postgres += ticks(proc, true);
          }
        } catch (IOException | RuntimeException ignored) {
          // the process ended meanwhile
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // no /proc
    }
    return new Snapshot(machine[0], machine[1],
        appPid > 0 ? ticks(Path.of("/proc/" + appPid), false) : 0, postgres,
        // with the children it waited for: wrk, when it runs a search scenario's window
        ticks(Path.of("/proc/self"), true), System.nanoTime());
  }

  /** The postmaster {@link #PG_PID} itself, or one of its children (field 4 of stat: ppid). */
  private static boolean ours(Path proc) throws IOException {
    if (proc.getFileName().toString().equals(String.valueOf(PG_PID))) {
      return true;
    }
    String stat = Files.readString(proc.resolve("stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[1]) == PG_PID;
  }

  /** [busy, total] jiffies of all CPUs from the first line of /proc/stat. */
  static long[] machine() {
    try {
      return parseStat(Files.readAllLines(Path.of("/proc/stat")).get(0));
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** "cpu user nice system idle iowait irq softirq steal ..." to [busy, total]. */
  static long[] parseStat(String line) {
    String[] f = line.trim().split("\\s+");
    long busy = 0;
    long total = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      long v = Long.parseLong(f[i]);
      total += v;
      if (i != 4 && i != 5) {
        busy += v;
      }
    }
    return new long[] {busy, total};
  }

  /**
   * utime + stime of a process (fields 14, 15 of /proc/PID/stat); with {@code reaped}, plus
   * cutime + cstime: the postmaster's share of backends that ended meanwhile.
   */
  private static long ticks(Path proc, boolean reaped) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return reaped ? own + Long.parseLong(f[13]) + Long.parseLong(f[14]) : own;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * utime + stime of a JVM's JIT compiler threads ("C1/C2 CompilerThreadN"), -1 when its threads
   * cannot be read.
   */
  static long jitTicks(long pid) {
    long sum = 0;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path thread : threads) {
        try {
          String stat = Files.readString(thread.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException | RuntimeException ignored) {
          // the thread ended meanwhile
        }
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime of one process so far (not its children), 0 when it cannot be read. */
  static long processTicks(long pid) {
    return ticks(Path.of("/proc/" + pid), false);
  }

  static double seconds(long ticks) {
    return ticks / TICKS_PER_SECOND;
  }

  static String busy(long[] before, long[] after) {
    long total = after[1] - before[1];
    if (total <= 0) {
      return "-";
    }
    int cores = Runtime.getRuntime().availableProcessors();
    return String.format(Locale.ROOT, "%.0f%% of %d cores busy", 100.0 * (after[0] - before[0]) / total,
        cores);
  }

  static String describe(Snapshot a, Snapshot b) {
    double seconds = (b.nanos - a.nanos) / 1e9;
    if (b.total == 0 || seconds <= 0) {
      return "-";
    }
    double app = cores(a.app, b.app, seconds);
    double postgres = cores(a.postgres, b.postgres, seconds);
    double self = cores(a.self, b.self, seconds);
    double all = cores(a.busy, b.busy, seconds);
    return busy(new long[] {a.busy, a.total}, new long[] {b.busy, b.total})
        + String.format(Locale.ROOT, "; cores used: app JVM %.2f, postgres %.2f, generator %.2f,"
            + " everything else %.2f", app, postgres, self, Math.max(0, all - app - postgres - self));
  }

  /** What the app JVM (named {@code app}) and this run's PostgreSQL used between a and b. */
  static CpuCost cost(Snapshot a, Snapshot b, String app) {
    CpuCost cost = new CpuCost();
    return b.total == 0 ? cost
        : cost.add(app, b.app - a.app).add("postgres", b.postgres - a.postgres);
  }

  private static double cores(long before, long after, double seconds) {
    return Math.max(0, after - before) / TICKS_PER_SECOND / seconds;
  }
}
