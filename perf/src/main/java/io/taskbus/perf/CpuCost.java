package io.taskbus.perf;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU milliseconds per operation: what each process spent on one create (search, delivery, row)
 * during a phase, from the same jiffies as the phase's "cores used". Beside the baseline's, it
 * names where a throughput gap comes from (the issue: "so the remaining gap has a name").
 */
final class CpuCost {

  private static final double TICKS_PER_SECOND = 100.0;

  /**
   * The line for the scripts that count jiffies themselves (run-split.sh, run-reminders.sh):
   * {@code java -cp taskbus-perf.jar io.taskbus.perf.CpuCost create 30000 "app JVM=1234"
   * postgres=2345}.
   */
  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: CpuCost OPERATION COUNT PROCESS=JIFFIES...");
      System.exit(2);
    }
    CpuCost cost = new CpuCost();
    for (int i = 2; i < args.length; i++) {
      int eq = args[i].lastIndexOf('=');
      cost.add(args[i].substring(0, eq), Long.parseLong(args[i].substring(eq + 1)));
    }
    System.out.println(cost.line(args[0], Long.parseLong(args[1])));
  }

  /** The processes in report order, each with the jiffies it used during the phase. */
  private final Map<String, Long> ticks = new LinkedHashMap<>();

  CpuCost add(String process, long usedTicks) {
    ticks.merge(process, Math.max(0, usedTicks), Long::sum);
    return this;
  }

  /** Both phases' CPU together (rounds of one measurement). */
  CpuCost plus(CpuCost other) {
    CpuCost sum = new CpuCost();
    ticks.forEach(sum::add);
    other.ticks.forEach(sum::add);
    return sum;
  }

  /** Milliseconds of CPU per operation, NaN without operations. */
  static double ms(long usedTicks, long operations) {
    return operations <= 0 ? Double.NaN : usedTicks * 1000.0 / TICKS_PER_SECOND / operations;
  }

  double ms(String process, long operations) {
    return ms(ticks.getOrDefault(process, 0L), operations);
  }

  double totalMs(long operations) {
    return ms(ticks.values().stream().mapToLong(Long::longValue).sum(), operations);
  }

  /**
   * "ms CPU per create: app JVM 0.42, postgres 0.74 (1.16 in all, 30 000 creates)"; "-" without
   * operations or without /proc.
   */
  String line(String operation, long operations) {
    if (operations <= 0 || ticks.isEmpty()) {
      return "ms CPU per " + operation + ": -";
    }
    StringBuilder s = new StringBuilder("ms CPU per ").append(operation).append(": ");
    ticks.forEach((process, t) -> s.append(process).append(' ').append(fmt(ms(t, operations)))
        .append(", "));
    s.setLength(s.length() - 2);
    return s.append(String.format(Locale.ROOT, " (%s in all, %d %s)", fmt(totalMs(operations)),
        operations, plural(operation))).toString();
  }

  /** "creates", "searches", "deliveries": the few nouns the reports count. */
  static String plural(String noun) {
    if (noun.endsWith("y")) {
      return noun.substring(0, noun.length() - 1) + "ies";
    }
    return noun.endsWith("h") || noun.endsWith("s") ? noun + "es" : noun + "s";
  }

  static String fmt(double ms) {
    return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, ms < 0.1 ? "%.3f" : "%.2f", ms);
  }
}
