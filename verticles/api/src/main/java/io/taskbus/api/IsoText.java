package io.taskbus.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The ISO-8601 texts of {@link Instant#toString()} and {@code OffsetDateTime#toString()}, written
 * by hand: every task carries three or four timestamps, and the JDK's formatter (a
 * DateTimeFormatter walk and a StringBuilder per value) was a fifth of encoding a page of tasks.
 * Years outside 0000–9999 take the JDK's path, which adds a sign.
 */
final class IsoText {

  private static final long SECONDS_0000_TO_1970 = 62_167_219_200L;
  private static final long SECONDS_9999_END = 253_402_300_799L;

  /** Exactly {@code instant.toString()}. */
  static String instant(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < -SECONDS_0000_TO_1970 || seconds > SECONDS_9999_END) {
      return instant.toString();
    }
    LocalDateTime utc = LocalDateTime.ofEpochSecond(seconds, instant.getNano(), ZoneOffset.UTC);
    char[] text = new char[30];
    int end = dateTime(text, utc, true);
    text[end++] = 'Z';
    return new String(text, 0, end);
  }

  /** Exactly {@code instant.atZone(zone).toOffsetDateTime().toString()}. */
  static String offsetDateTime(Instant instant, ZoneId zone) {
    ZonedDateTime local = instant.atZone(zone);
    int year = local.getYear();
    ZoneOffset offset = local.getOffset();
    if (year < 0 || year > 9999 || offset.getTotalSeconds() % 60 != 0) {
      return local.toOffsetDateTime().toString();
    }
    char[] text = new char[36];
    int end = dateTime(text, local.toLocalDateTime(), false);
    String id = offset.getId();
    id.getChars(0, id.length(), text, end);
    return new String(text, 0, end + id.length());
  }

  /** Exactly {@code date.toString()} for years 0000–9999. */
  static String date(LocalDate date) {
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return date.toString();
    }
    char[] text = new char[10];
    date(text, date);
    return new String(text);
  }

  private static void date(char[] text, LocalDate date) {
    digits4(text, 0, date.getYear());
    text[4] = '-';
    digits2(text, 5, date.getMonthValue());
    text[7] = '-';
    digits2(text, 8, date.getDayOfMonth());
  }

  /**
   * Date and time up to the offset. {@code Instant} always shows seconds; {@code LocalTime}
   * leaves out zero seconds with no fraction. Both show a fraction in groups of three digits.
   */
  private static int dateTime(char[] text, LocalDateTime time, boolean alwaysSeconds) {
    date(text, time.toLocalDate());
    text[10] = 'T';
    digits2(text, 11, time.getHour());
    text[13] = ':';
    digits2(text, 14, time.getMinute());
    int end = 16;
    int nano = time.getNano();
    if (!alwaysSeconds && time.getSecond() == 0 && nano == 0) {
      return end;
    }
    text[end++] = ':';
    digits2(text, end, time.getSecond());
    end += 2;
    if (nano > 0) {
      text[end++] = '.';
      int digits;
      int value;
      if (nano % 1_000_000 == 0) {
        digits = 3;
        value = nano / 1_000_000;
      } else if (nano % 1000 == 0) {
        digits = 6;
        value = nano / 1000;
      } else {
        digits = 9;
        value = nano;
      }
      for (int i = end + digits - 1; i >= end; i--) {
        text[i] = (char) ('0' + value % 10);
        value /= 10;
      }
      end += digits;
    }
    return end;
  }

  private static void digits4(char[] text, int at, int value) {
    digits2(text, at, value / 100);
    digits2(text, at + 2, value % 100);
  }

  private static void digits2(char[] text, int at, int value) {
    text[at] = (char) ('0' + value / 10);
    text[at + 1] = (char) ('0' + value % 10);
  }

  private IsoText() {}
}
