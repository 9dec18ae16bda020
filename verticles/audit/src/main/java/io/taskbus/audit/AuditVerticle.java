package io.taskbus.audit;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.ConfigValues;
import io.taskbus.contracts.Failures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * Writes every task event to the audit log, one row per event id however often it is delivered, and
 * answers history queries for the api.
 */
public class AuditVerticle extends VerticleBase {

  private final Pool pool;
  private AuditWriter writer;
  private MessageConsumer<Object> events;
  private MessageConsumer<JsonObject> history;
  private MessageConsumer<JsonObject> query;

  public AuditVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    AuditSettings settings = AuditSettings.from(ConfigValues.section(config(), "audit"));
    AuditRepository repository = new AuditRepository(pool);
    writer = new AuditWriter(vertx, repository, settings.batchSize(), settings.maxQueued());
    events = vertx.eventBus().consumer(Addresses.AUDIT_EVENTS, writer::accept);
    history =
        vertx
            .eventBus()
            .consumer(
                Addresses.AUDIT_HISTORY,
                msg -> {
                  JsonObject query = msg.body();
                  repository
                      .history(query.getString("userId"), query.getString("taskId"))
                      .onSuccess(items -> msg.reply(new JsonObject().put("items", items)))
                      .onFailure(
                          e -> msg.fail(Failures.replyCode(e), "audit log: " + e.getMessage()));
                });
    query =
        vertx
            .eventBus()
            .consumer(
                Addresses.AUDIT_QUERY,
                msg ->
                    repository
                        .query(msg.body())
                        .onSuccess(msg::reply)
                        .onFailure(
                            e -> msg.fail(Failures.replyCode(e), "audit log: " + e.getMessage())));
    return Future.all(events.completion(), history.completion(), query.completion());
  }

  @Override
  public Future<?> stop() {
    return Future.join(events.unregister(), history.unregister(), query.unregister())
        .eventually(writer::flush);
  }
}
