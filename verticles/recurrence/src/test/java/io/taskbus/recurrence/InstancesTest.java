package io.taskbus.recurrence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Instances} starts YEARLY rules with BYSETPOS on 1 January (to work around lib-recur
 * shifting the positions of the first year), spelling out the month and day lib-recur would take
 * from the start. Here rules without BYSETPOS, where lib-recur needs no help, must come out the
 * same both ways from many starts: that proves the spelled-out defaults match lib-recur's own.
 */
class InstancesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "FREQ=YEARLY;BYMONTH=3",
        "FREQ=YEARLY;BYMONTH=1,6,11",
        "FREQ=YEARLY;BYMONTHDAY=13",
        "FREQ=YEARLY;BYMONTHDAY=1,-1",
        "FREQ=YEARLY;BYMONTHDAY=13;BYDAY=FR",
        "FREQ=YEARLY;BYMONTHDAY=13;BYYEARDAY=100,257",
        "FREQ=YEARLY;BYDAY=1MO,-1FR",
        "FREQ=YEARLY;BYDAY=TU;BYMONTH=2,8",
        "FREQ=YEARLY;BYYEARDAY=1,100,-1",
        "FREQ=YEARLY;INTERVAL=2;BYMONTH=2;SKIP=BACKWARD",
        // Not SKIP=FORWARD: when the start is a day moved forward (1 May for 31 April), lib-recur
        // drops it since 31 April lies before the start, while starting on 1 January keeps it.
        "FREQ=YEARLY;BYMONTH=1,4;BYMONTHDAY=31;SKIP=BACKWARD",
      })
  void spelledOutDefaultsMatchLibRecurs(String text) {
    Rule rule = RuleParser.parse(text);
    for (LocalDate day = LocalDate.parse("2024-01-01");
        day.getYear() < 2026;
        day = day.plusDays(11)) {
      for (Anchor anchor :
          List.of(
              Anchor.allDay(day),
              Anchor.at(
                  LocalDateTime.of(day, java.time.LocalTime.of(9, 30)),
                  ZoneId.of("Europe/Berlin")))) {
        assertEquals(
            take(new Instances(rule, anchor, false)),
            take(new Instances(rule, anchor, true)),
            text + " from " + anchor);
      }
    }
  }

  private static List<LocalDateTime> take(Instances instances) {
    List<LocalDateTime> out = new ArrayList<>();
    while (out.size() < 12 && instances.hasNext()) {
      out.add(instances.next());
    }
    return out;
  }
}
