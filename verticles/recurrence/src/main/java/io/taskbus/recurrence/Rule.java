package io.taskbus.recurrence;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.StringJoiner;

/**
 * A validated RRULE, taken apart. Built by {@link RuleParser}; rendered back as the normalised text
 * that {@link Recurrence#rule()} shows and that lib-recur is fed.
 */
record Rule(
    Frequency freq,
    int interval,
    Integer count,
    Until until,
    List<Integer> byMonth,
    List<Integer> byYearDay,
    List<Integer> byMonthDay,
    List<ByDay> byDay,
    List<Integer> bySetPos,
    DayOfWeek weekStart,
    Skip skip,
    boolean gregorian) {

  enum Frequency {
    DAILY,
    WEEKLY,
    MONTHLY,
    YEARLY
  }

  enum Skip {
    OMIT,
    BACKWARD,
    FORWARD
  }

  /** One BYDAY entry: a weekday, with an ordinal ({@code 3MO}, {@code -1FR}) or 0 for none. */
  record ByDay(int ordinal, DayOfWeek day) {
    String text() {
      return (ordinal == 0 ? "" : Integer.toString(ordinal)) + code(day);
    }
  }

  static String code(DayOfWeek day) {
    return day.name().substring(0, 2);
  }

  /**
   * RFC 5545 order with RSCALE first, as RFC 7529 writes it. RSCALE=GREGORIAN goes with every SKIP:
   * RFC 7529 only defines SKIP under RSCALE, and other calendar software expects the pair.
   */
  String text() {
    StringJoiner out = new StringJoiner(";");
    if (gregorian || skip != null) {
      out.add("RSCALE=GREGORIAN");
    }
    out.add("FREQ=" + freq);
    if (interval != 1) {
      out.add("INTERVAL=" + interval);
    }
    list(out, "BYMONTH", byMonth);
    list(out, "BYYEARDAY", byYearDay);
    list(out, "BYMONTHDAY", byMonthDay);
    if (!byDay.isEmpty()) {
      StringJoiner days = new StringJoiner(",");
      byDay.forEach(d -> days.add(d.text()));
      out.add("BYDAY=" + days);
    }
    list(out, "BYSETPOS", bySetPos);
    if (weekStart != null) {
      out.add("WKST=" + code(weekStart));
    }
    if (skip != null) {
      out.add("SKIP=" + skip);
    }
    if (count != null) {
      out.add("COUNT=" + count);
    }
    if (until != null) {
      out.add("UNTIL=" + until.text());
    }
    return out.toString();
  }

  private static void list(StringJoiner out, String name, List<Integer> values) {
    if (!values.isEmpty()) {
      StringJoiner joined = new StringJoiner(",");
      values.forEach(v -> joined.add(Integer.toString(v)));
      out.add(name + "=" + joined);
    }
  }

  /** The rule without COUNT, for a series restarted at each completion. */
  Rule withoutCount() {
    return new Rule(
        freq,
        interval,
        null,
        until,
        byMonth,
        byYearDay,
        byMonthDay,
        byDay,
        bySetPos,
        weekStart,
        skip,
        gregorian);
  }

  /** The rule without COUNT and UNTIL, which {@link Instances} applies itself. */
  Rule unbounded() {
    return new Rule(
        freq,
        interval,
        null,
        null,
        byMonth,
        byYearDay,
        byMonthDay,
        byDay,
        bySetPos,
        weekStart,
        skip,
        gregorian);
  }

  /**
   * Spells out the month and day that lib-recur would otherwise take from the start of the
   * iteration, so that iteration can start on 1 January without changing the rule's meaning.
   * Mirrors lib-recur's own defaults for YEARLY rules: a BYMONTHDAY without BYMONTH (or BYYEARDAY,
   * which it then filters) keeps the start's month, and a BYMONTH with no day part keeps the
   * start's day of month. InstancesTest holds the two to each other.
   */
  Rule withDefaultsFrom(LocalDate start) {
    List<Integer> months = byMonth;
    List<Integer> monthDays = byMonthDay;
    if (months.isEmpty() && !monthDays.isEmpty() && byYearDay.isEmpty()) {
      months = List.of(start.getMonthValue());
    }
    if (!months.isEmpty() && monthDays.isEmpty() && byDay.isEmpty() && byYearDay.isEmpty()) {
      monthDays = List.of(start.getDayOfMonth());
    }
    return new Rule(
        freq, interval, count, until, months, byYearDay, monthDays, byDay, bySetPos, weekStart,
        skip, gregorian);
  }

  /** Whether any BY part narrows or expands the period (BYSETPOS counts positions among them). */
  boolean hasDayOrMonthParts() {
    return !(byMonth.isEmpty() && byYearDay.isEmpty() && byMonthDay.isEmpty() && byDay.isEmpty());
  }
}
