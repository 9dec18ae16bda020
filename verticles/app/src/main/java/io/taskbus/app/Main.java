package io.taskbus.app;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
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
    Signals.onTermination(
        () -> {
          log.info("stopping: finishing requests, publishing what is committed, closing consumers");
          taskbus.stop();
          log.info("stopped");
          System.exit(0);
        });
  }

  private Main() {}
}
