package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstThenTheRate() {
    RateLimiter limiter = new RateLimiter(2, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limiter.take("alice", 0), "the burst");
    }
    assertEquals(0.5, limiter.take("alice", 0), 1e-9, "then one token per half second");
    assertEquals(0, limiter.take("bob", 0), "another user has their own bucket");
    assertEquals(0, limiter.take("alice", SECOND / 2));
    assertTrue(limiter.take("alice", SECOND / 2) > 0);
  }

  @Test
  void aClockReadBeforeTheLastOneTakesNoExtraTokens() {
    // event loops read the clock before taking the lock: the later reader may get there first
    RateLimiter limiter = new RateLimiter(100_000, 100);
    assertEquals(0, limiter.take("alice", 10 * SECOND));
    for (int i = 0; i < 50; i++) {
      assertEquals(0, limiter.take("alice", 10 * SECOND - 1_000_000), "1 ms earlier, request " + i);
    }
  }
}
