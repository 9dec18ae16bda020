package io.taskbus.app;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import sun.misc.Signal;
import org.slf4j.LoggerFactory;

/** {@code java -jar taskbus.jar}: configuration from conf/, the environment and -D properties. */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  public static void main(String[] args) {
    Taskbus taskbus;
    try {
      JsonObject config = ConfigLoader.load(System.getenv(), System.getProperties());
      taskbus = Taskbus.start(config);
      taskbus.watchConfiguration(System.getenv(), System.getProperties());
    } catch (Throwable e) {
      log.error("taskbus failed to start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    // A signal handler rather than a shutdown hook: hooks run concurrently, and the embedded
    // PostgreSQL's own hook would stop the database while requests and the relay still need it.
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop = () -> {
      log.info("stopping: finishing requests, publishing what is committed, closing consumers");
      taskbus.stop();
      log.info("stopped");
      System.exit(0);
    };
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
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

  private Main() {}
}
