package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTextTest {

  private static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("UTC"),
          ZoneId.of("Europe/Berlin"),
          ZoneId.of("America/New_York"),
          ZoneId.of("Asia/Kolkata"),
          ZoneId.of("Pacific/Chatham"),
          ZoneId.of("Australia/Lord_Howe"),
          ZoneId.of("Africa/Monrovia"),
          java.time.ZoneOffset.UTC);

  @Test
  void sameTextAsTheJdkForRandomInstantsZonesAndPrecisions() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      long seconds = random.nextLong(-62_167_219_200L - 1_000_000, 253_402_300_799L + 1_000_000);
      int nano =
          switch (i % 5) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            case 3 -> random.nextInt(1_000_000_000);
            default -> random.nextInt(10) * 100_000_000;
          };
      if (i % 7 == 0) {
        seconds -= seconds % 60;
      }
      Instant instant = Instant.ofEpochSecond(seconds, nano);
      assertEquals(instant.toString(), IsoText.instant(instant));
      ZoneId zone = ZONES.get(i % ZONES.size());
      String expected = rfc3339(instant.atZone(zone).toOffsetDateTime().toString());
      assertEquals(expected, IsoText.offsetDateTime(instant, zone), instant + " in " + zone);
      assertEquals(
          instant.atZone(zone).toOffsetDateTime(),
          java.time.OffsetDateTime.parse(expected),
          "the same instant and offset");
      LocalDate date = LocalDate.ofEpochDay(seconds / 86_400);
      assertEquals(date.toString(), IsoText.date(date));
    }
  }

  @Test
  void edgesOfTheFourDigitYears() {
    for (String text :
        List.of(
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "1970-01-01T00:00:00Z",
            "2026-03-29T01:00:00Z",
            "-0001-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z")) {
      Instant instant = Instant.parse(text);
      assertEquals(instant.toString(), IsoText.instant(instant));
      assertEquals(
          rfc3339(instant.atZone(ZoneId.of("Pacific/Kiritimati")).toOffsetDateTime().toString()),
          IsoText.offsetDateTime(instant, ZoneId.of("Pacific/Kiritimati")));
    }
  }

  /** The JDK's text with the seconds it leaves out when they are zero: RFC 3339 wants them. */
  private static String rfc3339(String jdk) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(.*T\\d\\d:\\d\\d)([Z+-].*)").matcher(jdk);
    return m.matches() ? m.group(1) + ":00" + m.group(2) : jdk;
  }

  @Test
  void offsetDateTimesAlwaysCarrySeconds() {
    Instant nine = Instant.parse("2030-03-10T14:00:00Z");
    assertEquals(
        "2030-03-10T10:00:00-04:00", IsoText.offsetDateTime(nine, ZoneId.of("America/New_York")));
    assertEquals("2030-03-10T14:00:00Z", IsoText.offsetDateTime(nine, java.time.ZoneOffset.UTC));
    assertEquals(
        "2030-03-10T10:00:00.500-04:00",
        IsoText.offsetDateTime(nine.plusMillis(500), ZoneId.of("America/New_York")));
  }
}
