package io.taskbus.app;

import io.taskbus.kafka.AuditReplay;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar taskbus.jar replay --to <topic> [--since <time>] [--user <id>]}: the audit log's
 * events to a topic again ({@link AuditReplay}), with the configuration a taskbus process would
 * read. Exit codes: 0 sent, 1 failed, 2 bad arguments.
 */
final class ReplayCommand {

  static final String NAME = "replay";

  static final String USAGE =
      """
      usage: java -jar taskbus.jar replay --to <topic> [--since <time>] [--user <id>]
        re-publishes the events of the audit log to <topic> as CloudEvents, each user's in order,
        exactly as the relay wrote them to task-events (created like task-events when missing)
        --since <time>  only events at or after this RFC 3339 time, e.g. 2026-12-07T03:17:00Z
        --user <id>     only the events of this user
      PostgreSQL and Kafka as configured for taskbus (conf/, TASKBUS_* variables, -Dtaskbus.*).""";

  private ReplayCommand() {}

  /**
   * Runs the command with the arguments after {@code replay}; the count goes to {@code out}, what
   * went wrong to {@code err}. Returns the exit code.
   */
  static int run(
      String[] args, Map<String, String> env, Properties props, PrintStream out, PrintStream err) {
    AuditReplay.Selection selection;
    try {
      selection = parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return 2;
    }
    JsonObject config = ConfigLoader.load(env, props);
    if (config.getJsonObject("pg").getString("url") == null
        || config.getJsonObject("kafka").getString("bootstrapServers") == null) {
      err.println(
          "replay reads the audit log of a configured PostgreSQL and writes to a configured Kafka:"
              + " set pg.url and kafka.bootstrapServers (TASKBUS_PG_URL,"
              + " TASKBUS_KAFKA_BOOTSTRAPSERVERS)");
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    try {
      long sent =
          AuditReplay.run(
                  vertx,
                  config,
                  PostgresConnection.of(config.getJsonObject("pg")).options,
                  selection)
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      out.println("replayed " + sent + " events from the audit log to " + selection.topic());
      return 0;
    } catch (ExecutionException e) {
      err.println("replay failed: " + e.getCause().getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("replay interrupted");
      return 1;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // exiting anyway: what was sent was acknowledged before the count was printed
      }
    }
  }

  static AuditReplay.Selection parse(String[] args) {
    String topic = null;
    Instant since = null;
    String user = null;
    for (int i = 0; i < args.length; i += 2) {
      String option = args[i];
      if (i + 1 >= args.length || args[i + 1].isBlank()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[i + 1];
      switch (option) {
        case "--to" -> topic = value;
        case "--user" -> user = value;
        case "--since" -> since = time(value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (topic == null) {
      throw new IllegalArgumentException("--to <topic> is required");
    }
    return new AuditReplay.Selection(topic, since, user);
  }

  private static Instant time(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--since " + value + " is no RFC 3339 time such as 2026-12-07T03:17:00Z", e);
    }
  }
}
