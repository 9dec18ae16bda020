package io.taskbus.recurrence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libical's RFC 5545 / RFC 7529 vectors (test resources {@code rrule/}, see the README there).
 * Every case within what a task can use must give exactly libical's instances; the others are
 * skipped with their reason, after checking that {@link Recurrence} refuses them.
 *
 * <p>Cases run in UTC: a floating DTSTART with a UTC UNTIL (which RFC 5545 forbids, see the README
 * there) then reads the UNTIL as floating, the RFC-conformant reading.
 */
class RruleVectorsTest {

  private static final Logger LOG = LoggerFactory.getLogger(RruleVectorsTest.class);
  private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");
  private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.ofPattern("uuuuMMdd");
  private static final Pattern SUB_DAILY_FREQ = Pattern.compile("FREQ=(SECONDLY|MINUTELY|HOURLY)");
  private static final Pattern TIME_PARTS = Pattern.compile("BY(HOUR|MINUTE|SECOND)=");
  private static final Pattern NEGATIVE_MONTH_END = Pattern.compile("BYMONTHDAY=[^;]*-(29|30|31)");
  private static final Map<String, Integer> TALLY = new ConcurrentHashMap<>();

  record Case(
      String name,
      String rule,
      String start,
      String startAt,
      List<String> instances,
      boolean unimplemented) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    List<Case> all = new ArrayList<>();
    for (String file : List.of("icalrecur_test.txt", "icalrecur_test_rscale.txt")) {
      all.addAll(read(file));
    }
    if (all.size() < 100) {
      throw new IllegalStateException("only " + all.size() + " vectors read from rrule/");
    }
    return all.stream();
  }

  private static List<String> lines(String file) {
    try (InputStream in = RruleVectorsTest.class.getResourceAsStream("/rrule/" + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "libical RRULE vectors missing from the test classpath: " + "rrule/" + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Case> read(String file) {
    List<String> lines = lines(file);
    List<Case> out = new ArrayList<>();
    String comment = "";
    String rule = null;
    String start = null;
    String startAt = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.startsWith("#")) {
        comment = line.substring(1).trim();
      } else if (line.startsWith("RRULE:")) {
        rule = line.substring("RRULE:".length());
      } else if (line.startsWith("DTSTART:")) {
        start = line.substring("DTSTART:".length());
      } else if (line.startsWith("START-AT:")) {
        startAt = line.substring("START-AT:".length());
      } else if (line.startsWith("INSTANCES:")) {
        String value = line.substring("INSTANCES:".length()).trim();
        boolean unimplemented = value.startsWith("***");
        List<String> instances = unimplemented ? List.of() : List.of(value.split(","));
        String name = file + ":" + (i + 1) + " " + comment + " [" + rule + "]";
        out.add(new Case(name, rule, start, startAt, instances, unimplemented));
        comment = "";
        rule = null;
        start = null;
        startAt = null;
      }
    }
    return out;
  }

  /** Why a case lies outside what a task can use, or empty when it must pass. */
  static Optional<String> outside(Case c) {
    if (c.unimplemented()) {
      return Optional.of("*** not implemented by libical");
    }
    if (SUB_DAILY_FREQ.matcher(c.rule()).find()) {
      return Optional.of("FREQ=SECONDLY/MINUTELY/HOURLY (tasks recur at their due time)");
    }
    if (TIME_PARTS.matcher(c.rule()).find()) {
      return Optional.of("BYHOUR/BYMINUTE/BYSECOND (tasks recur at their due time)");
    }
    if (c.rule().contains("BYWEEKNO=")) {
      return Optional.of("BYWEEKNO (not in the supported rule set)");
    }
    if (c.rule().contains("RSCALE=") && !c.rule().contains("RSCALE=GREGORIAN")) {
      return Optional.of("non-GREGORIAN RSCALE");
    }
    if (c.rule().matches(".*SKIP=(BACKWARD|FORWARD).*")
        && NEGATIVE_MONTH_END.matcher(c.rule()).find()) {
      return Optional.of("SKIP with BYMONTHDAY -29..-31 (refused: lib-recur ignores SKIP there)");
    }
    return Optional.empty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesLibical(Case c) {
    Optional<String> reason = outside(c);
    if (reason.isPresent()) {
      TALLY.merge("skipped: " + reason.get(), 1, Integer::sum);
      assertThrows(
          RecurrenceException.class,
          () -> Recurrence.of(c.rule(), RecurrenceMode.SCHEDULE, OverduePolicy.CATCH_UP),
          "a rule outside the supported set must be refused");
      abort(reason.get());
    }
    Recurrence recurrence =
        Recurrence.of(c.rule(), RecurrenceMode.SCHEDULE, OverduePolicy.CATCH_UP);
    Schedule schedule = Schedule.of(recurrence, anchor(c.start()));
    boolean bounded = c.rule().contains("COUNT=") || c.rule().contains("UNTIL=");
    int n = c.instances().size();

    List<Occurrence> got = schedule.upcoming(schedule.anchor().date(), n + 1);
    List<String> texts = got.stream().map(o -> basic(o, c.start())).toList();
    if (bounded) {
      assertEquals(c.instances(), texts, "all instances of the bounded series");
    } else {
      assertEquals(c.instances(), texts.subList(0, Math.min(n, texts.size())), "first " + n);
    }

    for (int i = 0; i + 1 < got.size() && i + 1 < n; i++) {
      assertEquals(
          Optional.of(got.get(i + 1)), schedule.next(got.get(i)), "next after " + got.get(i));
    }
    if (bounded) {
      assertEquals(Optional.empty(), schedule.next(got.get(n - 1)), "the series has ended");
    }
    if (c.startAt() != null) {
      Instant from = LocalDateTime.parse(c.startAt(), BASIC).toInstant(ZoneOffset.UTC);
      List<String> expected =
          c.instances().stream()
              .filter(
                  s ->
                      !LocalDateTime.parse(s.replace("Z", ""), BASIC)
                          .toInstant(ZoneOffset.UTC)
                          .isBefore(from))
              .toList();
      List<String> fromThere =
          schedule.upcoming(from, expected.size() + 1).stream()
              .map(o -> basic(o, c.start()))
              .toList();
      assertEquals(expected, fromThere, "upcoming from START-AT " + c.startAt());
    }
    TALLY.merge("passed", 1, Integer::sum);
  }

  private static Anchor anchor(String start) {
    if (start.length() == 8) {
      return Anchor.allDay(LocalDate.parse(start, BASIC_DATE), ZoneOffset.UTC);
    }
    return Anchor.at(LocalDateTime.parse(start.replace("Z", ""), BASIC), ZoneOffset.UTC);
  }

  private static String basic(Occurrence o, String start) {
    if (o.isAllDay()) {
      return BASIC_DATE.format(o.date());
    }
    String local = BASIC.format(o.dateTime().orElseThrow());
    return start.endsWith("Z") ? local + "Z" : local;
  }

  @AfterAll
  static void tally() {
    new TreeMap<>(TALLY)
        .forEach((outcome, count) -> LOG.info("RRULE vectors {}: {}", outcome, count));
    assertTrue(TALLY.getOrDefault("passed", 0) >= 90, "most vectors are within the supported set");
  }
}
