package io.taskbus.app;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT run one stop, once. A signal handler rather than a shutdown hook: hooks run
 * concurrently, and the embedded PostgreSQL's own hook would stop the database while requests and
 * the relay still need it. {@code sun.misc.Signal} is the JDK's only way to handle a signal
 * (jdk.unsupported, exported in every JDK since 9); this class is its one use, and OperationsIT
 * (SIGTERM to a running jar stops it cleanly) pins its behaviour.
 */
final class Signals {

  static void onTermination(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            if (stopping.compareAndSet(false, true)) {
              // signal handlers run on a daemon thread, whose children are daemons too: once Vert.x
              // has closed, the JVM would exit under a daemon mid-stop (embedded servers still up)
              Thread thread = new Thread(stop, "taskbus-shutdown");
              thread.setDaemon(false);
              thread.start();
            }
          });
    }
  }

  private Signals() {}
}
