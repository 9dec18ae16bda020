package io.taskbus.recurrence;

import io.taskbus.recurrence.Rule.Frequency;
import java.time.LocalDateTime;
import java.util.NoSuchElementException;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * The occurrences of a rule from an anchor, in order, as local date-times (midnight for all-day
 * series). Always walks from the series start with lib-recur; callers place the results in the zone
 * themselves.
 *
 * <p>lib-recur iterates in floating time (no zone): that is what keeps 09:00 at 09:00 across DST,
 * and it leaves the zone rules (gaps, overlaps) to java.time in one place, {@link
 * Occurrence#zoned}. COUNT and UNTIL are applied here, not by lib-recur: UNTIL because a UTC UNTIL
 * has to be compared with the zoned occurrence, COUNT because of the next point.
 *
 * <p>lib-recur drops the instances of the first year that fall before the start before it applies
 * BYSETPOS to a YEARLY rule, so the positions shift ({@code BYMONTH=1,2,3;BYMONTHDAY=29;BYSETPOS=2}
 * from 29 February 2024 gave 29 March). For such rules iteration starts on 1 January of the
 * anchor's year, with the month and day that lib-recur would take from the start spelled out, and
 * the instances before the anchor are dropped (and not counted) here.
 */
final class Instances {

  /**
   * Beyond this there is nothing a task service should promise, and lib-recur's arithmetic ends.
   */
  private static final int LAST_YEAR = 9999;

  private final Rule rule;
  private final Anchor anchor;
  private final LocalDateTime start;
  private final RecurrenceRuleIterator iterator;
  private LocalDateTime pending;
  private int emitted;
  private boolean done;

  Instances(Rule rule, Anchor anchor) {
    this(
        rule,
        anchor,
        rule.freq() == Frequency.YEARLY && !rule.bySetPos().isEmpty() && rule.hasDayOrMonthParts());
  }

  /** {@code fromYearStart} is exposed for the test that checks the spelled-out defaults. */
  Instances(Rule rule, Anchor anchor, boolean fromYearStart) {
    this.rule = rule;
    this.anchor = anchor;
    this.start = anchor.local();
    Rule unbounded = rule.unbounded();
    LocalDateTime from = start;
    if (fromYearStart) {
      unbounded = unbounded.withDefaultsFrom(start.toLocalDate());
      from = start.withDayOfYear(1);
    }
    RecurrenceRuleIterator it;
    try {
      it =
          new RecurrenceRule(unbounded.text(), RecurrenceRule.RfcMode.RFC5545_STRICT)
              .iterator(dateTime(from));
    } catch (InvalidRecurrenceRuleException e) {
      throw new IllegalStateException("a parsed rule was refused: " + unbounded.text(), e);
    } catch (IllegalArgumentException e) {
      // lib-recur gives up on rules that produce nothing for many periods in a row.
      it = null;
    }
    this.iterator = it;
    this.done = it == null;
  }

  boolean hasNext() {
    if (pending == null && !done) {
      pending = fetch();
      done = pending == null;
    }
    return pending != null;
  }

  LocalDateTime next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    LocalDateTime out = pending;
    pending = null;
    return out;
  }

  /**
   * Skips to shortly before {@code target} without producing what lies between. Only when there is
   * no COUNT: with one, every instance from the start has to be counted.
   */
  void skipTowards(LocalDateTime target) {
    if (rule.count() == null && !done && pending == null && target.isAfter(start)) {
      iterator.fastForward(dateTime(target));
    }
  }

  private LocalDateTime fetch() {
    try {
      while (iterator.hasNext()) {
        DateTime next = iterator.nextDateTime();
        if (next.getYear() > LAST_YEAR) {
          return null;
        }
        LocalDateTime local =
            anchor.isAllDay()
                ? LocalDateTime.of(next.getYear(), next.getMonth() + 1, next.getDayOfMonth(), 0, 0)
                : LocalDateTime.of(
                    next.getYear(),
                    next.getMonth() + 1,
                    next.getDayOfMonth(),
                    next.getHours(),
                    next.getMinutes(),
                    next.getSeconds());
        if (local.isBefore(start)) {
          continue;
        }
        if (rule.count() != null && emitted >= rule.count()) {
          return null;
        }
        if (rule.until() != null && !rule.until().admits(local, anchor.zone(), anchor.isAllDay())) {
          return null;
        }
        emitted++;
        return local;
      }
    } catch (IllegalArgumentException e) {
      // "too many empty recurrence sets": the rule has run dry, which ends the series.
    }
    return null;
  }

  /** lib-recur's floating date-time (month 0-based) or all-day date for a local date-time. */
  private DateTime dateTime(LocalDateTime local) {
    return anchor.isAllDay()
        ? new DateTime(local.getYear(), local.getMonthValue() - 1, local.getDayOfMonth())
        : new DateTime(
            local.getYear(),
            local.getMonthValue() - 1,
            local.getDayOfMonth(),
            local.getHour(),
            local.getMinute(),
            local.getSecond());
  }
}
