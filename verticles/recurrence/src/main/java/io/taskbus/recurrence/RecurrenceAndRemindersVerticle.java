package io.taskbus.recurrence;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.ConfigValues;
import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.Failures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Recurring tasks and reminders: answers rule questions for the api (validation, normalisation,
 * previews), asks the api to create the next occurrence when one is completed, and fires due
 * reminders. It never writes tasks: the api does, idempotently on (series, occurrence), so a
 * completion delivered twice or seen by two recurrence verticles still creates one task.
 */
public class RecurrenceAndRemindersVerticle extends VerticleBase {

  private final io.vertx.sqlclient.Pool pool;
  private MessageConsumer<JsonObject> rules;
  private MessageConsumer<Object> events;
  private ReminderTimers timers;

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
                  }
                });
    NextOccurrences next = new NextOccurrences(vertx);
    events =
        vertx
            .eventBus()
            .<Object>consumer(
                Addresses.RECURRENCE_EVENTS,
                msg -> {
                  JsonObject event = Envelope.json(msg);
                  if (event == null) {
                    return;
                  }
                  next.handle(event)
                      .onSuccess(v -> msg.reply(null))
                      .onFailure(
                          e -> msg.fail(Failures.replyCode(e), String.valueOf(e.getMessage())));
                });
    timers =
        new ReminderTimers(
            vertx, pool, TimerSettings.from(ConfigValues.section(config(), "timers")));
    return Future.all(rules.completion(), events.completion());
  }

  @Override
  public Future<?> stop() {
    timers.stop();
    return Future.join(rules.unregister(), events.unregister());
  }
}
