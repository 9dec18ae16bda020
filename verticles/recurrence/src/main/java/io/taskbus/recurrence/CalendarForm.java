package io.taskbus.recurrence;

import io.taskbus.recurrence.Rule.Frequency;
import io.taskbus.recurrence.Rule.Skip;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A series written for calendar software that knows RFC 5545 only (ical.js, Thunderbird, Apple
 * Reminders, Tasks.org): {@code {"start", "rule"}} with a plain RRULE where one gives the same
 * occurrences, otherwise {@code {"start", "dates"}} listing them (RDATE). {@code start} (DTSTART)
 * is the first occurrence, as local date or date-time: RFC 5545 counts DTSTART as an occurrence
 * even when the rule does not produce it, and taskbus does not.
 *
 * <p>RFC 7529's SKIP is rewritten: OMIT is RFC 5545's own behaviour; BACKWARD on day {@code d} of
 * 29-31 is the last existing day of 28..d ({@code BYMONTHDAY=28,29,30,31;BYSETPOS=-1}, per month: a
 * yearly rule in several months becomes a monthly one); a yearly FORWARD from 29 February is day
 * 60. Other FORWARD rules (monthly on the 31st gives 1 March and 31 March) and SKIP combined with
 * BYDAY, BYYEARDAY or BYSETPOS have no plain equivalent: their occurrences are listed.
 */
final class CalendarForm {

  /** A rule written out as dates ends after this many; 41 years of a monthly rule. */
  static final int MAX_DATES = 500;

  private static final int ALWAYS = 28;

  static JsonObject of(Schedule schedule) {
    Anchor anchor = schedule.anchor();
    Rule rule = schedule.recurrence().parsed();
    Instances instances = new Instances(rule, anchor);
    JsonObject out = new JsonObject().put("start", text(instances.next(), anchor));
    Optional<Rule> plain = plain(rule, anchor).flatMap(CalendarForm::portable);
    if (plain.isPresent()) {
      return out.put("rule", plain.get().text());
    }
    JsonArray dates = new JsonArray().add(out.getString("start"));
    while (dates.size() < MAX_DATES && instances.hasNext()) {
      dates.add(text(instances.next(), anchor));
    }
    return out.put("dates", dates);
  }

  /**
   * The rule without RSCALE and SKIP, giving the same occurrences from the first one, in a form
   * ical.js expands correctly, if there is one.
   */
  private static Optional<Rule> plain(Rule rule, Anchor anchor) {
    Rule spelled = spelledOut(rule, anchor.date());
    if (!spelled.bySetPos().isEmpty()
        && !(spelled.byMonthDay().isEmpty() && spelled.byYearDay().isEmpty())) {
      // RFC 5545, but ical.js (Thunderbird) ignores BYSETPOS beside BYMONTHDAY or BYYEARDAY
      return Optional.empty();
    }
    if (rule.skip() == null || rule.skip() == Skip.OMIT) {
      return Optional.of(stripped(spelled, anchor));
    }
    List<Integer> months =
        spelled.byMonth().isEmpty()
            ? IntStream.rangeClosed(1, 12).boxed().toList()
            : spelled.byMonth();
    List<Integer> days = spelled.byMonthDay();
    if (days.stream().noneMatch(d -> months.stream().anyMatch(m -> d > Month.of(m).minLength()))) {
      return Optional.of(stripped(spelled, anchor));
    }
    List<Integer> big = days.stream().filter(d -> d > ALWAYS).toList();
    List<Integer> small = days.stream().filter(d -> d < ALWAYS).toList();
    boolean simple =
        (spelled.freq() == Frequency.MONTHLY || spelled.freq() == Frequency.YEARLY)
            && spelled.byDay().isEmpty()
            && spelled.byYearDay().isEmpty()
            && big.size() == 1
            && small.size() + 1 == days.size()
            && small.stream().allMatch(d -> d > 0);
    if (!simple) {
      return Optional.empty();
    }
    int day = big.get(0);
    if (rule.skip() == Skip.BACKWARD) {
      if (months.stream().anyMatch(m -> day < Month.of(m).maxLength())) {
        // 30 in a 31-day month, the last day in February: RFC 5545 needs BYSETPOS for that
        return Optional.empty();
      }
      // no month of the rule has more days than the day asked for: it is always the last one
      List<Integer> lastDays = new ArrayList<>(small);
      lastDays.add(-1);
      return Optional.of(
          copy(spelled, anchor, spelled.freq(), spelled.byMonth(), List.of(), lastDays, List.of()));
    }
    // FORWARD: only a yearly rule on the start's date (29 February); lib-recur moves an explicit
    // BYMONTH=2;BYMONTHDAY=29 to 29 March in some years, and the month form has no plain twin
    boolean onStartDate =
        spelled.freq() == Frequency.YEARLY
            && rule.byMonth().isEmpty()
            && rule.byMonthDay().isEmpty()
            && small.isEmpty();
    if (!onStartDate) {
      return Optional.empty();
    }
    // 29 February in leap years and 1 March in the others are both day 60
    return Optional.of(
        copy(spelled, anchor, Frequency.YEARLY, List.of(), List.of(60), List.of(), List.of()));
  }

  /**
   * The rule in a form ical.js expands right. It puts a negative BYMONTHDAY of a yearly rule in
   * several months into the wrong month (the last of February on 2 March): such a rule is written
   * as the monthly rule it is when it recurs every year. And it ends a monthly rule with BYMONTH
   * one occurrence short of its COUNT when the series starts in a later month than the first
   * listed: such a rule is not written at all.
   */
  private static Optional<Rule> portable(Rule rule) {
    boolean troubled =
        rule.freq() == Frequency.YEARLY
            && rule.byMonth().size() > 1
            && rule.byMonthDay().stream().anyMatch(d -> d < 0);
    if (!troubled) {
      return counted(rule);
    }
    if (rule.interval() != 1 || !rule.byDay().isEmpty() || !rule.byYearDay().isEmpty()) {
      return Optional.empty();
    }
    return counted(
        new Rule(
            Frequency.MONTHLY,
            1,
            rule.count(),
            rule.until(),
            rule.byMonth(),
            rule.byYearDay(),
            rule.byMonthDay(),
            rule.byDay(),
            rule.bySetPos(),
            rule.weekStart(),
            null,
            false));
  }

  private static Optional<Rule> counted(Rule rule) {
    boolean miscounted =
        rule.freq() == Frequency.MONTHLY && !rule.byMonth().isEmpty() && rule.count() != null;
    return miscounted ? Optional.empty() : Optional.of(rule);
  }

  /** The month (YEARLY) and day (MONTHLY, YEARLY) the rule takes from its start, written out. */
  private static Rule spelledOut(Rule rule, LocalDate start) {
    boolean noDays =
        rule.byMonthDay().isEmpty() && rule.byDay().isEmpty() && rule.byYearDay().isEmpty();
    if (rule.freq() == Frequency.MONTHLY && noDays) {
      return copyDays(rule, rule.byMonth(), List.of(start.getDayOfMonth()));
    }
    if (rule.freq() == Frequency.YEARLY && noDays && rule.byMonth().isEmpty()) {
      return copyDays(rule, List.of(start.getMonthValue()), List.of(start.getDayOfMonth()));
    }
    return rule.freq() == Frequency.YEARLY ? rule.withDefaultsFrom(start) : rule;
  }

  private static Rule stripped(Rule r, Anchor anchor) {
    return copy(r, anchor, r.freq(), r.byMonth(), r.byYearDay(), r.byMonthDay(), r.bySetPos());
  }

  private static Rule copyDays(Rule r, List<Integer> months, List<Integer> days) {
    return new Rule(
        r.freq(),
        r.interval(),
        r.count(),
        r.until(),
        months,
        r.byYearDay(),
        days,
        r.byDay(),
        r.bySetPos(),
        r.weekStart(),
        r.skip(),
        r.gregorian());
  }

  /** A plain RFC 5545 rule: no RSCALE or SKIP, UNTIL in the form RFC 5545 wants beside DTSTART. */
  private static Rule copy(
      Rule r,
      Anchor anchor,
      Frequency freq,
      List<Integer> months,
      List<Integer> yearDays,
      List<Integer> monthDays,
      List<Integer> positions) {
    return new Rule(
        freq,
        r.interval(),
        r.count(),
        r.until() == null ? null : r.until().forCalendar(anchor),
        months,
        yearDays,
        monthDays,
        r.byDay(),
        positions,
        r.weekStart(),
        null,
        false);
  }

  private static String text(LocalDateTime local, Anchor anchor) {
    return anchor.isAllDay() ? local.toLocalDate().toString() : local.toString();
  }

  private CalendarForm() {}
}
