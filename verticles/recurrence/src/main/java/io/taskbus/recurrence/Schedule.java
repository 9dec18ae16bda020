package io.taskbus.recurrence;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The occurrences of one recurring task: a {@link Recurrence} from an {@link Anchor}.
 *
 * <p>Every answer is computed from the series start, never by stepping from the previous
 * occurrence: stepping drifts (31 January + 1 month + 1 month is 28 March, not 31 March) and
 * forgets the local time of day after a DST change. The arithmetic is lib-recur's, in local time;
 * the zone is attached afterwards (see {@link Occurrence#zoned}).
 *
 * <p>Timed occurrences are compared by instant, all-day ones by date. An all-day occurrence is
 * overdue once its day has ended in the anchor's zone; a timed one once its time has passed.
 */
public final class Schedule {

  /**
   * Instants outside years 1 to 9999 are clamped: no series reaches them, and java.time's local
   * date-times end not far beyond.
   */
  private static final Instant EARLIEST = Instant.parse("0001-01-02T00:00:00Z");

  private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

  private final Recurrence recurrence;
  private final Anchor anchor;

  private Schedule(Recurrence recurrence, Anchor anchor) {
    this.recurrence = recurrence;
    this.anchor = anchor;
  }

  /**
   * The series of {@code recurrence} from {@code anchor}.
   *
   * @throws RecurrenceException (field {@code rule}) when the rule yields no occurrence at all from
   *     this start: it ends before the start, or its days never occur (e.g. a YEARLY rule on
   *     BYMONTH=2 from a due date on the 30th)
   */
  public static Schedule of(Recurrence recurrence, Anchor anchor) {
    Schedule schedule =
        new Schedule(
            Objects.requireNonNull(recurrence, "recurrence"),
            Objects.requireNonNull(anchor, "anchor"));
    if (schedule.first().isEmpty()) {
      Until until = recurrence.parsed().until();
      if (until != null && !until.admits(anchor.local(), anchor.zone(), anchor.isAllDay())) {
        throw new RecurrenceException(
            "rule",
            "UNTIL=" + until.text() + " is before the series start " + anchor.occurrence().start());
      }
      throw new RecurrenceException(
          "rule",
          "produces no occurrence from the series start "
              + anchor.occurrence().start()
              + "; check that its days exist");
    }
    return schedule;
  }

  public Recurrence recurrence() {
    return recurrence;
  }

  public Anchor anchor() {
    return anchor;
  }

  /**
   * The first occurrence: the anchor itself when it matches the rule. When it does not (a due date
   * on a Tuesday with BYDAY=FR), the first Friday after it; the anchor is then not an occurrence
   * and does not count towards COUNT, as libical and lib-recur do (RFC 5545 leaves this case
   * undefined).
   */
  public Optional<Occurrence> first() {
    return find(series(anchor), null, o -> true);
  }

  /**
   * Up to {@code limit} occurrences at or after {@code from}: for timed series those starting at or
   * after that instant, for all-day series those on or after its date in the anchor's zone.
   */
  public List<Occurrence> upcoming(Instant from, int limit) {
    Objects.requireNonNull(from, "from");
    if (from.isAfter(LATEST)) {
      checkLimit(limit);
      return List.of();
    }
    if (anchor.isAllDay()) {
      return upcoming(LocalDate.ofInstant(bounded(from), anchor.zone()), limit);
    }
    LocalDateTime local = LocalDateTime.ofInstant(bounded(from), anchor.zone());
    // A day's margin: the series runs in local time, and offsets differ by less than that.
    return collect(local.minusDays(1), o -> !o.instant().isBefore(from), limit);
  }

  /** Up to {@code limit} occurrences on or after the local day {@code from}. */
  public List<Occurrence> upcoming(LocalDate from, int limit) {
    Objects.requireNonNull(from, "from");
    return collect(from.atStartOfDay(), o -> !o.date().isBefore(from), limit);
  }

  /**
   * The first occurrence strictly after {@code after}, or empty when the series has ended (COUNT or
   * UNTIL). {@code after} need not be an occurrence itself (the task may have been moved); the
   * answer is still an occurrence of the series.
   */
  public Optional<Occurrence> next(Occurrence after) {
    Objects.requireNonNull(after, "after");
    requireSameKind(after);
    if (anchor.isAllDay()) {
      return find(series(anchor), after.date().atStartOfDay(), o -> o.date().isAfter(after.date()));
    }
    Instant instant = after.instant();
    return find(
        series(anchor),
        after.dateTime().orElseThrow().toLocalDateTime().minusDays(1),
        o -> o.instant().isAfter(instant));
  }

  /**
   * In schedule mode, the occurrence that follows {@code last} when it is done (or dropped) at
   * {@code now}, by the overdue policy: CATCH_UP gives the next one after {@code last} even if it
   * is overdue; SKIP_TO_FUTURE gives the first one after {@code last} that is not yet overdue at
   * {@code now}.
   */
  public Optional<Occurrence> nextDue(Occurrence last, Instant now) {
    Objects.requireNonNull(now, "now");
    Optional<Occurrence> next = next(last);
    now = bounded(now);
    if (recurrence.overdue() == OverduePolicy.CATCH_UP
        || next.isEmpty()
        || !isOverdue(next.get(), now)) {
      return next;
    }
    List<Occurrence> future = upcoming(now, 1);
    return future.isEmpty() ? Optional.empty() : Optional.of(future.get(0));
  }

  /**
   * In completion mode, the occurrence after a completion at {@code completedAt}: the rule starts
   * afresh as a new series anchored on the completion's local date in the anchor's zone, at the
   * original time of day (all-day series: on that date), and the answer is that series' first
   * occurrence strictly after its new start. So a weekly task completed on a Thursday is next due
   * the Thursday after, at its usual time; a BYDAY rule picks its next listed weekday. UNTIL still
   * ends the series; COUNT is not allowed in this mode.
   */
  public Optional<Occurrence> nextFromCompletion(Instant completedAt) {
    Objects.requireNonNull(completedAt, "completedAt");
    completedAt = bounded(completedAt);
    Anchor restart = anchor.onDay(LocalDate.ofInstant(completedAt, anchor.zone()));
    LocalDateTime from = restart.local();
    Instances series = new Instances(recurrence.parsed().withoutCount(), restart);
    while (series.hasNext()) {
      LocalDateTime local = series.next();
      if (local.isAfter(from)) {
        return Optional.of(restart.occurrenceAt(local));
      }
    }
    return Optional.empty();
  }

  /**
   * The occurrence to create when {@code completed} is done at {@code completedAt}, by the
   * recurrence's mode: {@link #nextDue} in schedule mode, {@link #nextFromCompletion} in completion
   * mode.
   */
  public Optional<Occurrence> nextOnCompletion(Occurrence completed, Instant completedAt) {
    return recurrence.mode() == RecurrenceMode.COMPLETION
        ? nextFromCompletion(completedAt)
        : nextDue(completed, completedAt);
  }

  /** Whether {@code occurrence} is overdue at {@code now} (all-day: its day has ended). */
  public boolean isOverdue(Occurrence occurrence, Instant now) {
    requireSameKind(occurrence);
    return anchor.isAllDay()
        ? occurrence.date().isBefore(LocalDate.ofInstant(bounded(now), anchor.zone()))
        : occurrence.instant().isBefore(now);
  }

  private static Instant bounded(Instant instant) {
    return instant.isBefore(EARLIEST) ? EARLIEST : instant.isAfter(LATEST) ? LATEST : instant;
  }

  private Instances series(Anchor from) {
    return new Instances(recurrence.parsed(), from);
  }

  private static void checkLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
  }

  private List<Occurrence> collect(LocalDateTime skipTo, Predicate<Occurrence> wanted, int limit) {
    checkLimit(limit);
    List<Occurrence> out = new ArrayList<>();
    if (limit == 0 || skipTo.getYear() > 9999) {
      return out;
    }
    Instances series = series(anchor);
    series.skipTowards(skipTo);
    while (out.size() < limit && series.hasNext()) {
      Occurrence o = anchor.occurrenceAt(series.next());
      // Occurrences come in order, so once one is wanted all later ones are too.
      if (!out.isEmpty() || wanted.test(o)) {
        out.add(o);
      }
    }
    return out;
  }

  private Optional<Occurrence> find(
      Instances series, LocalDateTime skipTo, Predicate<Occurrence> wanted) {
    if (skipTo != null) {
      if (skipTo.getYear() > 9999) {
        return Optional.empty();
      }
      series.skipTowards(skipTo);
    }
    while (series.hasNext()) {
      Occurrence o = anchor.occurrenceAt(series.next());
      if (wanted.test(o)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  private void requireSameKind(Occurrence o) {
    if (o.isAllDay() != anchor.isAllDay()) {
      throw new IllegalArgumentException(
          "an "
              + (o.isAllDay() ? "all-day" : "timed")
              + " occurrence given to a "
              + (anchor.isAllDay() ? "all-day" : "timed")
              + " series");
    }
  }

  @Override
  public String toString() {
    return recurrence.rule() + " from " + anchor;
  }
}
