package io.taskbus.perf;

/** CPU and JVM counters at one moment (the start or end of a phase). */
record Sample(Cpu.Snapshot cpu, Jvm.Counters jvm) {

  static Sample take(long appPid, Jvm jvm) {
    return new Sample(Cpu.take(appPid), jvm == null ? null : jvm.read());
  }

  /** What the app JVM and PostgreSQL used from this sample to {@code end}. */
  CpuCost cost(Sample end) {
    return Cpu.cost(cpu, end.cpu, "app JVM");
  }

  /** Two lines: where the CPU went, and what the app JVM's JIT and GC did meanwhile. */
  String describe(Sample end) {
    return Cpu.describe(cpu, end.cpu) + "\n   app JVM: "
        + Jvm.describe(jvm, end.jvm, (end.cpu.nanos() - cpu.nanos()) / 1e9);
  }
}
