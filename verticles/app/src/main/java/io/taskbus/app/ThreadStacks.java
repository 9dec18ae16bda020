package io.taskbus.app;

import java.util.Map;

/** The stacks of some threads as text: what a part that does not stop is waiting for. */
final class ThreadStacks {

  private ThreadStacks() {}

  /** Every live thread whose name contains one of {@code names}, one stack after the other. */
  static String of(String... names) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
      String name = entry.getKey().getName();
      for (String wanted : names) {
        if (name.contains(wanted)) {
          out.append("\n\"").append(name).append("\" ").append(entry.getKey().getState());
          for (StackTraceElement frame : entry.getValue()) {
            out.append("\n    at ").append(frame);
          }
          break;
        }
      }
    }
    return out.toString();
  }
}
