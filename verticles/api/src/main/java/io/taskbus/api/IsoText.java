package io.taskbus.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * RFC 3339 date-times (seconds always, a fraction in groups of three digits as the JDK writes it)
 * and ISO-8601 dates, written by hand as ASCII bytes: every task carries three or four timestamps,
 * and the JDK's path (a LocalDateTime or ZonedDateTime per value, a DateTimeFormatter walk, a
 * StringBuilder) was a fifth of encoding a page of tasks. {@link JsonBytes} writes the bytes
 * straight into a response; the String variants are for the maps of {@code Task.toJson()}. Years
 * outside 0000–9999 take the JDK's path, which adds a sign.
 */
final class IsoText {

  private static final long SECONDS_0000_TO_1970 = 62_167_219_200L;
  private static final long SECONDS_9999_END = 253_402_300_799L;
  private static final int SECONDS_PER_DAY = 86_400;

  /** The longest text: a date, a time with nine fraction digits and an offset of "+hh:mm:ss". */
  static final int MAX_LENGTH = 38;

  /** Exactly {@code instant.toString()}. */
  static String instant(Instant instant) {
    byte[] text = new byte[MAX_LENGTH];
    int end = instant(text, 0, instant);
    return end < 0 ? instant.toString() : new String(text, 0, end, StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code instant.atZone(zone).toOffsetDateTime().toString()}, with {@code :00} seconds where the
   * JDK leaves zero seconds out (RFC 3339 requires them).
   */
  static String offsetDateTime(Instant instant, ZoneId zone) {
    byte[] text = new byte[MAX_LENGTH];
    int end = offsetDateTime(text, 0, instant, zone);
    return end < 0
        ? withSeconds(instant.atZone(zone).toOffsetDateTime().toString())
        : new String(text, 0, end, StandardCharsets.ISO_8859_1);
  }

  /** The JDK's ISO-8601 text with {@code :00} seconds where it leaves zero seconds out. */
  static String withSeconds(String jdkText) {
    int minutes = jdkText.indexOf('T') + 6;
    boolean noSeconds = minutes >= jdkText.length() || jdkText.charAt(minutes) != ':';
    return noSeconds ? jdkText.substring(0, minutes) + ":00" + jdkText.substring(minutes) : jdkText;
  }

  /** Exactly {@code date.toString()}. */
  static String date(LocalDate date) {
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return date.toString();
    }
    byte[] text = new byte[10];
    date(text, 0, date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code instant.toString()} into {@code out} from {@code at} (room for {@link #MAX_LENGTH}
   * bytes); the end, or -1 when the year is outside 0000–9999 and nothing was written.
   */
  static int instant(byte[] out, int at, Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < -SECONDS_0000_TO_1970 || seconds > SECONDS_9999_END) {
      return -1;
    }
    int end = dateTime(out, at, seconds, instant.getNano());
    out[end++] = 'Z';
    return end;
  }

  /** As {@link #instant(byte[], int, Instant)}, for the offset date-time in {@code zone}. */
  static int offsetDateTime(byte[] out, int at, Instant instant, ZoneId zone) {
    ZoneOffset offset = zone.getRules().getOffset(instant);
    long local = instant.getEpochSecond() + offset.getTotalSeconds();
    if (local < -SECONDS_0000_TO_1970 || local > SECONDS_9999_END) {
      return -1;
    }
    int end = dateTime(out, at, local, instant.getNano());
    String id = offset.getId();
    for (int i = 0; i < id.length(); i++) {
      out[end++] = (byte) id.charAt(i);
    }
    return end;
  }

  /** {@code date.toString()} into {@code out}, or -1 as above. */
  static int date(byte[] out, int at, LocalDate date) {
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return -1;
    }
    return date(out, at, date.getYear(), date.getMonthValue(), date.getDayOfMonth());
  }

  /**
   * Date and time of local epoch seconds, up to the offset: seconds always, a fraction in groups of
   * three digits when there is one.
   */
  private static int dateTime(byte[] out, int at, long seconds, int nano) {
    long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
    int secondOfDay = (int) (seconds - day * SECONDS_PER_DAY);
    int end = civilDate(out, at, day);
    out[end++] = 'T';
    digits2(out, end, secondOfDay / 3600);
    out[end + 2] = ':';
    digits2(out, end + 3, secondOfDay / 60 % 60);
    end += 5;
    int second = secondOfDay % 60;
    out[end++] = ':';
    digits2(out, end, second);
    end += 2;
    if (nano > 0) {
      out[end++] = '.';
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
        out[i] = (byte) ('0' + value % 10);
        value /= 10;
      }
      end += digits;
    }
    return end;
  }

  /**
   * The proleptic Gregorian date of an epoch day (H. Hinnant's days-to-civil, the arithmetic of
   * {@code LocalDate.ofEpochDay} without the object and its checks).
   */
  private static int civilDate(byte[] out, int at, long epochDay) {
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long shiftedMonth = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    return date(out, at, year, month, day);
  }

  private static int date(byte[] out, int at, int year, int month, int day) {
    digits2(out, at, year / 100);
    digits2(out, at + 2, year % 100);
    out[at + 4] = '-';
    digits2(out, at + 5, month);
    out[at + 7] = '-';
    digits2(out, at + 8, day);
    return at + 10;
  }

  private static void digits2(byte[] out, int at, int value) {
    out[at] = (byte) ('0' + value / 10);
    out[at + 1] = (byte) ('0' + value % 10);
  }

  private IsoText() {}
}
