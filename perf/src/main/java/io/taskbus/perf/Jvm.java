package io.taskbus.perf;

import java.util.Locale;
import sun.jvmstat.monitor.Monitor;
import sun.jvmstat.monitor.MonitoredHost;
import sun.jvmstat.monitor.MonitoredVm;
import sun.jvmstat.monitor.VmIdentifier;

/**
 * The app JVM's own counters (hsperfdata, what jstat reads): time its JIT compiler threads spent
 * and time in GC pauses. A phase during which the JIT still compiles a lot measures a JVM that is
 * not warm yet: on a small machine the compiler threads take CPU from everything else.
 */
final class Jvm {

  record Counters(double compileSeconds, double gcSeconds, long compiles) {}

  private final MonitoredVm vm;
  private final double frequency;

  private Jvm(MonitoredVm vm, double frequency) {
    this.vm = vm;
    this.frequency = frequency;
  }

  /** Null when the JVM cannot be attached to (other user, -XX:-UsePerfData, not Linux...). */
  static Jvm attach(long pid) {
    if (pid <= 0) {
      return null;
    }
    try {
      MonitoredHost host = MonitoredHost.getMonitoredHost((String) null);
      MonitoredVm vm = host.getMonitoredVm(new VmIdentifier(String.valueOf(pid)));
      Monitor hz = vm.findByName("sun.os.hrt.frequency");
      return new Jvm(vm, ((Number) hz.getValue()).doubleValue());
    } catch (Exception | Error e) {
      CreateScenario.log("cannot read the app JVM's counters (%s); JIT and GC figures left out", e);
      return null;
    }
  }

  Counters read() {
    try {
      return new Counters(ticks("java.ci.totalTime") / frequency,
          (ticks("sun.gc.collector.0.time") + ticks("sun.gc.collector.1.time")) / frequency,
          (long) ticks("sun.ci.totalCompiles"));
    } catch (Exception e) {
      return null;
    }
  }

  private double ticks(String name) throws Exception {
    Monitor m = vm.findByName(name);
    return m == null ? 0 : ((Number) m.getValue()).doubleValue();
  }

  static String describe(Counters a, Counters b, double seconds) {
    if (a == null || b == null || seconds <= 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "JIT compilations %.1f s (summed wall time, %.2f per second; %d methods), GC pauses %.0f ms",
        b.compileSeconds - a.compileSeconds, (b.compileSeconds - a.compileSeconds) / seconds,
        b.compiles - a.compiles, 1000 * (b.gcSeconds - a.gcSeconds));
  }
}
