package io.taskbus.recurrence;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.ConfigValues;
import io.taskbus.contracts.EventHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recurring tasks and reminders: answers rule questions for the api (validation, normalisation,
 * previews), asks the api to create the next occurrence when one is completed, and fires due
 * reminders. It never writes tasks: the api does, idempotently on (series, occurrence), so a
 * completion delivered twice or seen by two recurrence verticles still creates one task.
 */
public class RecurrenceAndRemindersVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(RecurrenceAndRemindersVerticle.class);

  private final io.vertx.sqlclient.Pool pool;
  private MessageConsumer<JsonObject> rules;
  private MessageConsumer<Object> events;
  private ReminderTimers timers;
  private MessageConsumer<Object> health;

  public RecurrenceAndRemindersVerticle(io.vertx.sqlclient.Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    rules =
        vertx
            .eventBus()
            .consumer(
                Addresses.RECURRENCE_RULES,
                msg -> {
                  try {
                    msg.reply(RuleQuestions.answer(msg.body()));
                  } catch (RecurrenceException e) {
                    msg.fail(400, e.getMessage());
                  } catch (RuntimeException e) {
                    // a fault of the engine's, not the rule's: answered at once (the API's 500),
                    // not left to the asker's timeout
                    log.error("a rule question failed: {}", msg.body(), e);
                    msg.fail(500, String.valueOf(e));
                  }
                });
    NextOccurrences next = new NextOccurrences(vertx);
    events =
        vertx
            .eventBus()
            .<Object>consumer(Addresses.RECURRENCE_EVENTS, EventHandler.of(next::handle));
    timers =
        new ReminderTimers(
            vertx, pool, TimerSettings.from(ConfigValues.section(config(), "timers")));
    health =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.health("recurrence"),
                msg -> msg.reply(new JsonObject().put("ok", true).put("timers", timers.detail())));
    return Future.all(rules.completion(), events.completion());
  }

  @Override
  public Future<?> stop() {
    timers.stop();
    return Future.join(rules.unregister(), events.unregister(), health.unregister());
  }
}
