package io.taskbus.contracts;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The bus handler of an ack subscription's consumer: reads the event (the subscription's {@link
 * Event}, or JSON text from another sender), does the work on its read-only view, and answers every
 * message. An answer that never comes reads as "the consumer is away" to the subscription, which
 * then holds the record, and with it its partition's commits, for as long as the process lives: an
 * event without a type once did so through a NullPointerException.
 */
public final class EventHandler {

  /** Answers with success when the work succeeds, else with {@link Failures#replyCode}. */
  public static Handler<Message<Object>> of(Function<JsonObject, Future<?>> work) {
    return msg -> {
      Event event = Event.from(msg);
      if (event == null) {
        return;
      }
      Future<?> done;
      try {
        done = work.apply(event.view());
      } catch (RuntimeException e) {
        // what the event holds broke the code reading it: the same again on every retry
        msg.fail(Envelope.REFUSED, "unreadable event: " + e);
        return;
      }
      done.onComplete(
          ar -> {
            if (ar.succeeded()) {
              msg.reply(null);
            } else {
              msg.fail(Failures.replyCode(ar.cause()), String.valueOf(ar.cause().getMessage()));
            }
          });
    };
  }

  private EventHandler() {}
}
