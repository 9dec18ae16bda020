package io.taskbus.api.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlParamsTest {

  @Test
  void numbersContinueFromTheFirstPlaceholder() {
    SqlParams p = new SqlParams(3);
    assertEquals("$3", p.add("a"));
    assertEquals("$4", p.add(new String[] {"x"}));
    assertEquals("$5", p.add(true));
    assertEquals("$1", new SqlParams().add("a"));
    assertThrows(IllegalArgumentException.class, () -> new SqlParams(0));
  }

  @Test
  void timesAreSentInUtc() {
    SqlParams p = new SqlParams();
    p.add(OffsetDateTime.parse("2026-03-08T00:05-05:00"));
    p.add(Instant.parse("2026-03-08T05:05:00Z"));
    OffsetDateTime utc = OffsetDateTime.parse("2026-03-08T05:05Z");
    assertEquals(List.of(utc, utc), p.values());
  }

  @Test
  void rejectsTypesWithoutAnObviousEncoding() {
    SqlParams p = new SqlParams();
    assertThrows(IllegalArgumentException.class, () -> p.add(null));
    assertThrows(IllegalArgumentException.class, () -> p.add(1.5));
    assertThrows(UnsupportedOperationException.class, () -> p.values().add("x"));
  }
}
