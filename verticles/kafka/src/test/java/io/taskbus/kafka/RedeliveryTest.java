package io.taskbus.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskbus.contracts.Envelope;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ack subscription's rules for a record its consumer did not acknowledge. */
class RedeliveryTest {

  private final Redelivery redelivery = new Redelivery(5, 200);

  private static ReplyException refused() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Envelope.REFUSED, "bad rule");
  }

  @Test
  void aRefusedRecordIsTriedFiveTimesWithDoublingPausesThenDeadLettered() {
    List<Redelivery.Next> path = new ArrayList<>();
    int attempt = 1;
    while (true) {
      Redelivery.Next next = redelivery.afterFailure(refused(), attempt, 0);
      path.add(next);
      if (!(next instanceof Redelivery.Retry retry)) {
        break;
      }
      attempt = retry.attempt();
    }
    assertEquals(
        List.of(
            new Redelivery.Retry(200, 2),
            new Redelivery.Retry(400, 3),
            new Redelivery.Retry(800, 4),
            new Redelivery.Retry(1600, 5),
            new Redelivery.DeadLetter(5)),
        path);
  }

  @Test
  void aConsumerThatIsAwayMakesTheRecordWaitForeverWithoutUsingAnAttempt() {
    Throwable[] away = {
      new ReplyException(ReplyFailure.NO_HANDLERS, "nobody listens"),
      new ReplyException(ReplyFailure.TIMEOUT, "no answer"),
      new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Envelope.UNAVAILABLE, "database away")
    };
    for (Throwable failure : away) {
      List<Long> pauses = new ArrayList<>();
      int waits = 0;
      for (int i = 0; i < 12; i++) {
        Redelivery.Next next = redelivery.afterFailure(failure, 5, waits);
        Redelivery.Wait wait = (Redelivery.Wait) next;
        pauses.add(wait.pauseMs());
        waits = wait.waits();
      }
      assertEquals(
          List.of(
              200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L, 10_000L, 10_000L, 10_000L,
              10_000L),
          pauses,
          failure.getMessage() + ": even at the last attempt, a wait is never a dead letter");
    }
  }

  @Test
  void pausesNeverExceedTenSeconds() {
    Redelivery slow = new Redelivery(50, 1000);
    Redelivery.Retry late = (Redelivery.Retry) slow.afterFailure(refused(), 30, 0);
    assertEquals(Redelivery.MAX_PAUSE_MS, late.pauseMs());
  }
}
