package io.taskbus.api.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * SQL conditions on when a task is due, for a user in one zone.
 *
 * <p>A task is due either all day on a date ({@code due_date}) or at an instant ({@code due_at}),
 * never both. One rule makes the two comparable: <b>an all-day task is due at the start of its date
 * in the user's zone</b>. From it:
 *
 * <ul>
 *   <li>against a DATE bound D, an all-day task compares its date with D, and a timed task compares
 *       its instant with the day D: {@code < D} is before D starts, {@code <= D} before D+1 starts,
 *       {@code > D} from D+1's start on, {@code >= D} from D's start on, {@code = D} within D;
 *   <li>against an INSTANT bound t, a timed task compares its instant with t, and an all-day task
 *       compares the start of its date with t. So {@code due < 7d} includes an all-day task due in
 *       seven days once that day has begun, and {@code = t} matches an all-day task only when t is
 *       exactly the start of its day.
 * </ul>
 *
 * <p>Overdue is the exception users expect: an all-day task is overdue only once its whole day has
 * passed ({@code due_date < today}), a timed one once its instant has passed; completed tasks never
 * are. Starts of days come from the zone's rules (see {@link Days}), so days of 23 and 25 hours at
 * DST changes are exactly as long as they are. All-day instants are turned into dates here in Java
 * rather than in SQL, so the conditions stay plain comparisons on the columns, which indexes serve.
 *
 * <p>A task without a due date makes every comparison NULL (not true); {@link FilterLanguage}
 * negates with {@code IS NOT TRUE}, so such a task is "not due before Friday".
 */
public final class DueConditions {

  private final SqlParams params;
  private final ZoneId zone;

  public DueConditions(SqlParams params, ZoneId zone) {
    this.params = params;
    this.zone = zone;
  }

  /** {@code due < bound}. */
  public String before(DueBound bound) {
    return compare(Comparison.BEFORE, bound);
  }

  /** {@code due <= bound}. */
  public String atOrBefore(DueBound bound) {
    return compare(Comparison.AT_OR_BEFORE, bound);
  }

  /** {@code due > bound}. */
  public String after(DueBound bound) {
    return compare(Comparison.AFTER, bound);
  }

  /** {@code due >= bound}. */
  public String atOrAfter(DueBound bound) {
    return compare(Comparison.AT_OR_AFTER, bound);
  }

  /** {@code due = bound}: on that day, or at that instant. */
  public String on(DueBound bound) {
    return compare(Comparison.ON, bound);
  }

  public String compare(Comparison op, DueBound bound) {
    return "("
        + allDay(op, bound)
        + " OR "
        + Timestamps.compare("due_at", op, bound, zone, params)
        + ")";
  }

  public String hasDue(boolean has) {
    return has
        ? "(due_date IS NOT NULL OR due_at IS NOT NULL)"
        : "(due_date IS NULL AND due_at IS NULL)";
  }

  /** Open tasks whose all-day date was before today, or whose due instant is before now. */
  public String overdue(Instant now) {
    return "(NOT completed AND (due_date < "
        + params.add(Days.of(now, zone))
        + " OR due_at < "
        + params.add(now)
        + "))";
  }

  /** Tasks due today in the user's zone, done or not. */
  public String dueToday(Instant now) {
    return on(DueBound.ofDate(Days.of(now, zone)));
  }

  private String allDay(Comparison op, DueBound bound) {
    if (bound.kind() == DueBound.Kind.DATE) {
      return "due_date " + op.symbol() + " " + params.add(bound.date());
    }
    // The all-day task on day d is due at start(d). With L the day holding t:
    // start(d) < t  <=> d < L, or d = L when t is after L's start; start(d) <= t <=> d <= L.
    Instant t = bound.instant();
    LocalDate day = Days.of(t, zone);
    boolean atStart = Days.start(day, zone).equals(t);
    LocalDate firstNotBefore = atStart ? day : day.plusDays(1);
    switch (op) {
      case BEFORE:
        return "due_date < " + params.add(firstNotBefore);
      case AT_OR_BEFORE:
        return "due_date <= " + params.add(day);
      case AFTER:
        return "due_date > " + params.add(day);
      case AT_OR_AFTER:
        return "due_date >= " + params.add(firstNotBefore);
      case ON:
        return atStart ? "due_date = " + params.add(day) : "FALSE";
      default:
        throw new IllegalArgumentException(op.name());
    }
  }
}
