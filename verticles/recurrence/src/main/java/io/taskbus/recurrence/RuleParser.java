package io.taskbus.recurrence;

import io.taskbus.recurrence.Rule.ByDay;
import io.taskbus.recurrence.Rule.Frequency;
import io.taskbus.recurrence.Rule.Skip;
import java.time.DayOfWeek;
import java.time.Month;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;

/**
 * Reads RRULE text into a {@link Rule}, refusing what a task cannot use with a message that says
 * what to write instead. lib-recur parses too, but its messages are for programmers and it accepts
 * parts (BYHOUR, FREQ=SECONDLY, ...) that make no sense for a task due once at its due time; so we
 * check first and let lib-recur have the last word only as a safety net.
 */
final class RuleParser {

  static final int MAX_LENGTH = 500;
  static final int MAX_INTERVAL = 1000;

  /** Enough for a daily task for 270 years; bounds the work of counting a series from its start. */
  static final int MAX_COUNT = 100_000;

  private static final Set<String> PARTS =
      Set.of(
          "FREQ",
          "INTERVAL",
          "COUNT",
          "UNTIL",
          "BYMONTH",
          "BYYEARDAY",
          "BYMONTHDAY",
          "BYDAY",
          "BYSETPOS",
          "WKST",
          "RSCALE",
          "SKIP");
  private static final Set<String> SUB_DAILY_PARTS = Set.of("BYHOUR", "BYMINUTE", "BYSECOND");
  private static final Set<String> SUB_DAILY_FREQS = Set.of("SECONDLY", "MINUTELY", "HOURLY");
  private static final String FREQS = "use DAILY, WEEKLY, MONTHLY or YEARLY";
  private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+");
  private static final Pattern WEEKDAY = Pattern.compile("([+-]?\\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)");

  static Rule parse(String text) {
    if (text == null || text.isBlank()) {
      throw error("must not be empty; write an RRULE such as FREQ=WEEKLY;BYDAY=MO");
    }
    if (text.length() > MAX_LENGTH) {
      throw error("is longer than " + MAX_LENGTH + " characters");
    }
    Map<String, String> parts = split(text);
    Frequency freq = frequency(parts.get("FREQ"));

    String rscale = parts.get("RSCALE");
    if (rscale != null && !rscale.equals("GREGORIAN")) {
      throw error("RSCALE=" + rscale + " is not supported; only GREGORIAN is");
    }
    int interval =
        parts.containsKey("INTERVAL")
            ? number("INTERVAL", parts.get("INTERVAL"), 1, MAX_INTERVAL, "use 1 to " + MAX_INTERVAL)
            : 1;
    Integer count =
        parts.containsKey("COUNT")
            ? number("COUNT", parts.get("COUNT"), 1, MAX_COUNT, "use 1 to " + MAX_COUNT)
            : null;
    Until until = parts.containsKey("UNTIL") ? Until.parse(parts.get("UNTIL")) : null;
    if (count != null && until != null) {
      throw error("COUNT and UNTIL cannot both be set");
    }

    List<Integer> byMonth = numbers(parts, "BYMONTH", 12, false, "use 1 to 12");
    List<Integer> byYearDay = numbers(parts, "BYYEARDAY", 366, true, "use 1 to 366 or -1 to -366");
    List<Integer> byMonthDay = numbers(parts, "BYMONTHDAY", 31, true, "use 1 to 31 or -1 to -31");
    List<ByDay> byDay = weekdays(parts.get("BYDAY"), freq, !byMonth.isEmpty());
    List<Integer> bySetPos = numbers(parts, "BYSETPOS", 366, true, "use 1 to 366 or -1 to -366");
    DayOfWeek weekStart = parts.containsKey("WKST") ? weekStart(parts.get("WKST")) : null;
    Skip skip = parts.containsKey("SKIP") ? skip(parts.get("SKIP")) : null;

    if (!byMonthDay.isEmpty() && freq == Frequency.WEEKLY) {
      throw error("BYMONTHDAY cannot be used with FREQ=WEEKLY; use FREQ=MONTHLY");
    }
    if (!byYearDay.isEmpty() && freq != Frequency.YEARLY) {
      throw error("BYYEARDAY needs FREQ=YEARLY");
    }
    Rule rule =
        new Rule(
            freq,
            interval,
            count,
            until,
            byMonth,
            byYearDay,
            byMonthDay,
            byDay,
            bySetPos,
            weekStart,
            skip,
            rscale != null);
    if (!bySetPos.isEmpty() && !rule.hasDayOrMonthParts()) {
      throw error("BYSETPOS needs another BY part such as BYDAY or BYMONTHDAY to pick from");
    }
    checkSkip(rule);
    checkMonthDaysExist(rule);
    checkWithLibRecur(rule);
    return rule;
  }

  private static Map<String, String> split(String text) {
    String body = text.trim().toUpperCase(Locale.ROOT);
    if (body.startsWith("RRULE:")) {
      body = body.substring("RRULE:".length());
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String raw : body.split(";")) {
      String part = raw.trim();
      if (part.isEmpty()) {
        continue; // a trailing or doubled ';' is harmless
      }
      int eq = part.indexOf('=');
      String name = (eq < 0 ? part : part.substring(0, eq)).trim();
      if (SUB_DAILY_PARTS.contains(name)) {
        throw error(name + " is not supported; a task recurs at its due time");
      }
      if (name.equals("BYWEEKNO")) {
        throw error("BYWEEKNO is not supported; use BYMONTH with BYDAY or BYMONTHDAY");
      }
      if (!PARTS.contains(name)) {
        throw error(name + " is not a recurrence rule part");
      }
      String value =
          eq < 0
              ? ""
              : List.of(part.substring(eq + 1).split(",", -1)).stream()
                  .map(String::trim)
                  .collect(Collectors.joining(","));
      if (value.isEmpty()) {
        throw error(name + " has no value");
      }
      if (parts.put(name, value) != null) {
        throw error(name + " is given twice");
      }
    }
    return parts;
  }

  private static Frequency frequency(String value) {
    if (value == null) {
      throw error("FREQ is missing; " + FREQS);
    }
    if (SUB_DAILY_FREQS.contains(value)) {
      throw error("FREQ=" + value + " is not supported; " + FREQS);
    }
    try {
      return Frequency.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw error("FREQ=" + value + " is not a frequency; " + FREQS);
    }
  }

  private static int number(String name, String value, int min, int max, String hint) {
    if (!NUMBER.matcher(value).matches()) {
      throw error(name + "=" + value + " is not a whole number");
    }
    String digits = value.replaceFirst("^[+-]", "").replaceFirst("^0+(?=\\d)", "");
    long n = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(value);
    if (n < min || n > max) {
      throw error(name + "=" + value + " is out of range; " + hint);
    }
    return (int) n;
  }

  /** A comma list of numbers within ±max (or 1..max when unsigned), duplicates dropped. */
  private static List<Integer> numbers(
      Map<String, String> parts, String name, int max, boolean signed, String hint) {
    String value = parts.get(name);
    if (value == null) {
      return List.of();
    }
    Set<Integer> out = new LinkedHashSet<>();
    for (String item : value.split(",")) {
      int n = number(name, item, signed ? -max : 1, max, hint);
      if (n == 0) {
        throw error(name + "=0 is out of range; " + hint);
      }
      out.add(n);
    }
    return List.copyOf(out);
  }

  private static List<ByDay> weekdays(String value, Frequency freq, boolean inMonths) {
    if (value == null) {
      return List.of();
    }
    Set<ByDay> out = new LinkedHashSet<>();
    for (String item : value.split(",")) {
      Matcher m = WEEKDAY.matcher(item);
      if (!m.matches()) {
        throw error("BYDAY=" + item + " is not a weekday like MO, 3MO or -1FR");
      }
      int ordinal = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
      if (m.group(1) != null) {
        if (freq == Frequency.DAILY || freq == Frequency.WEEKLY) {
          throw error("BYDAY=" + item + ": an ordinal like 3MO needs FREQ=MONTHLY or FREQ=YEARLY");
        }
        // Within a month (MONTHLY, or YEARLY narrowed by BYMONTH) a weekday occurs at most 5 times.
        int max = freq == Frequency.MONTHLY || inMonths ? 5 : 53;
        if (ordinal == 0 || Math.abs(ordinal) > max) {
          throw error(
              "BYDAY="
                  + item
                  + " is out of range; use 1 to "
                  + max
                  + " or -1 to -"
                  + max
                  + (max == 5 ? " within a month" : " within a year"));
        }
      }
      out.add(new ByDay(ordinal, day(m.group(2))));
    }
    return List.copyOf(out);
  }

  private static DayOfWeek weekStart(String value) {
    if (!value.matches("MO|TU|WE|TH|FR|SA|SU")) {
      throw error("WKST=" + value + " is not a weekday like MO or SU");
    }
    return day(value);
  }

  private static DayOfWeek day(String code) {
    for (DayOfWeek day : DayOfWeek.values()) {
      if (Rule.code(day).equals(code)) {
        return day;
      }
    }
    throw new IllegalStateException(code);
  }

  private static Skip skip(String value) {
    try {
      return Skip.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw error("SKIP=" + value + " is not one of OMIT, BACKWARD, FORWARD");
    }
  }

  /**
   * lib-recur ignores SKIP for negative month days; libical moves "day -31 of February" to 31
   * January or 1 February. Rather than return dates that disagree with other calendar software,
   * refuse the only values SKIP can affect (-29 to -31: -28 to -1 exist in every month).
   */
  private static void checkSkip(Rule rule) {
    if (rule.skip() == null || rule.skip() == Skip.OMIT) {
      return;
    }
    for (int day : rule.byMonthDay()) {
      if (day <= -29) {
        throw error(
            "SKIP="
                + rule.skip()
                + " with BYMONTHDAY="
                + day
                + " is not supported; use BYMONTHDAY=-1 for the last day of the month");
      }
    }
  }

  /** Catches FEB 30 and the like up front: such a rule would never produce an occurrence. */
  private static void checkMonthDaysExist(Rule rule) {
    if (rule.byMonth().isEmpty()
        || rule.byMonthDay().isEmpty()
        || (rule.skip() != null && rule.skip() != Skip.OMIT)) {
      return;
    }
    for (int month : rule.byMonth()) {
      for (int day : rule.byMonthDay()) {
        if (Math.abs(day) <= Month.of(month).maxLength()) {
          return;
        }
      }
    }
    throw error(
        "BYMONTHDAY="
            + join(rule.byMonthDay())
            + " never falls in BYMONTH="
            + join(rule.byMonth())
            + "; add SKIP=BACKWARD or SKIP=FORWARD to move it to a day that exists");
  }

  private static void checkWithLibRecur(Rule rule) {
    RecurrenceRule parsed;
    try {
      parsed = new RecurrenceRule(rule.text(), RecurrenceRule.RfcMode.RFC5545_STRICT);
    } catch (InvalidRecurrenceRuleException | IllegalArgumentException e) {
      throw error("is not a valid RRULE: " + e.getMessage());
    }
    try {
      // some rules the parser takes cannot be iterated (lib-recur 0.17: BYMONTHDAY with BYDAY and
      // SKIP fails with a ClassCastException): refuse them here, not on every later question.
      // Iterated as Instances does: unbounded, from a floating start
      new RecurrenceRule(rule.unbounded().text(), RecurrenceRule.RfcMode.RFC5545_STRICT)
          .iterator(new DateTime(2026, 0, 1, 9, 0, 0));
    } catch (ClassCastException | InvalidRecurrenceRuleException e) {
      throw error("cannot be expanded: this combination of its parts is not supported");
    }
  }

  private static String join(List<Integer> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(Integer.toString(v)));
    return String.join(",", out);
  }

  private static RecurrenceException error(String reason) {
    return new RecurrenceException("rule", reason);
  }

  private RuleParser() {}
}
