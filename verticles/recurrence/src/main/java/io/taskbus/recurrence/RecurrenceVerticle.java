package io.taskbus.recurrence;

import io.taskbus.contracts.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Recurring tasks: answers rule questions for the api (validation, normalisation, previews) and,
 * when an occurrence is completed, asks the api to create the next one. It never writes tasks:
 * the api does, idempotently on (series, occurrence), so a completion delivered twice or seen by
 * two recurrence verticles still creates one task.
 */
public class RecurrenceVerticle extends VerticleBase {

  private MessageConsumer<JsonObject> rules;
  private MessageConsumer<JsonObject> events;

  @Override
  public Future<?> start() {
    rules = vertx.eventBus().consumer(Addresses.RECURRENCE_RULES, msg -> {
      try {
        msg.reply(RuleQuestions.answer(msg.body()));
      } catch (RecurrenceException e) {
        msg.fail(400, e.getMessage());
      }
    });
    NextOccurrences next = new NextOccurrences(vertx);
    events = vertx.eventBus().consumer(Addresses.RECURRENCE_EVENTS, msg -> next.handle(msg.body())
        .onSuccess(v -> msg.reply(null))
        .onFailure(e -> msg.fail(503, String.valueOf(e.getMessage()))));
    return Future.all(rules.completion(), events.completion());
  }

  @Override
  public Future<?> stop() {
    return Future.join(rules.unregister(), events.unregister());
  }
}
