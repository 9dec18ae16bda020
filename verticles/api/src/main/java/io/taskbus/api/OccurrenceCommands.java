package io.taskbus.api;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The api's bus commands: the recurrence verticle asks here for the next occurrence of a series,
 * because only the api writes tasks. Answers {@code {created}}; a unique-index race between two
 * askers ends as "not created", never as a second task.
 */
final class OccurrenceCommands {

  static MessageConsumer<JsonObject> listen(Vertx vertx, Pool pool) {
    UserDb db = new UserDb(pool);
    TaskService service = new TaskService();
    return vertx
        .eventBus()
        .consumer(
            Addresses.API_COMMANDS,
            msg -> {
              JsonObject command = msg.body();
              if (!"createOccurrence".equals(command.getString("command"))) {
                msg.fail(Envelope.REFUSED, "unknown command " + command.getString("command"));
                return;
              }
              String user = command.getString("userId");
              Future<Task> created;
              try {
                String dueAt = command.getString("dueAt");
                String dueDate = command.getString("dueDate");
                UUID taskId = UUID.fromString(command.getString("taskId"));
                LocalDate date = dueDate == null ? null : LocalDate.parse(dueDate);
                java.time.Instant at =
                    dueAt == null ? null : OffsetDateTime.parse(dueAt).toInstant();
                created =
                    db.tx(
                        user,
                        conn ->
                            service.createOccurrence(
                                conn,
                                user,
                                taskId,
                                command.getString("occurrence"),
                                date,
                                at,
                                command.getJsonObject("recurrence")));
              } catch (RuntimeException e) {
                created = Future.failedFuture(e);
              }
              created
                  .onSuccess(
                      task ->
                          msg.reply(
                              new JsonObject()
                                  .put("created", task != null)
                                  .put("taskId", task == null ? null : task.id().toString())))
                  .onFailure(
                      e -> {
                        if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                          msg.reply(new JsonObject().put("created", false));
                        } else {
                          msg.fail(Failures.replyCode(e), String.valueOf(e.getMessage()));
                        }
                      });
            });
  }

  private OccurrenceCommands() {}
}
