package io.taskbus.perf;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The end of a generator whose report is {@code key=value} lines for its script: a failure is one
 * more line ({@code error=...}), the lines are printed however the run ends, its Vert.x is closed
 * (within a bound: the process exits anyway) and the exit status says whether it failed.
 */
final class KeyValueRun {

  interface Body {
    void run() throws Exception;
  }

  static void runAndExit(String name, Map<String, String> out, Vertx vertx, long closeSeconds,
      Body body, Runnable beforeClose) {
    int rc = 0;
    try {
      body.run();
    } catch (Exception e) {
      System.err.println("[" + name + "] failed: " + e);
      out.put("error", String.valueOf(e.getMessage()).replace('\n', ' '));
      rc = 1;
    } finally {
      out.forEach((k, v) -> System.out.println(k + "=" + v));
      System.out.flush();
      beforeClose.run();
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(closeSeconds, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
    }
    System.exit(rc);
  }

  private KeyValueRun() {}
}
