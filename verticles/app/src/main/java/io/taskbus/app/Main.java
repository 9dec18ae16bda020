package io.taskbus.app;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar taskbus.jar}: configuration from conf/, the environment and -D properties. With
 * {@code replay …} it runs that command instead ({@link ReplayCommand}) and exits.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  public static void main(String[] args) {
    if (args.length > 0 && ReplayCommand.NAME.equals(args[0])) {
      System.exit(
          ReplayCommand.run(
              java.util.Arrays.copyOfRange(args, 1, args.length),
              System.getenv(),
              System.getProperties(),
              System.out,
              System.err));
      return;
    }
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
          int status = 1;
          try {
            taskbus.stop();
            log.info("stopped");
            status = 0;
          } catch (Throwable e) {
            // a stop that fails still ends the process: a half-stopped one would hold its port,
            // its data directory and the relay's lock until someone kills it
            log.error("stopping failed: {}", e.getMessage(), e);
          } finally {
            System.exit(status);
          }
        });
  }

  private Main() {}
}
