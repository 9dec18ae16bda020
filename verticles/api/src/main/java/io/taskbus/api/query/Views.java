package io.taskbus.api.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The task page's fixed views as SQL conditions over a user's live tasks, in the user's zone at one
 * instant, with the due semantics of {@link DueConditions} (an all-day task is overdue once its
 * whole day has passed):
 *
 * <ul>
 *   <li><b>overdue</b>: open and past its due;
 *   <li><b>today</b>: open and due today, or overdue (as in Todoist's Today);
 *   <li><b>upcoming</b>: open and due from now through the end of the {@value #UPCOMING_DAYS}th day
 *       after today (an all-day task due today is included: its day has not passed);
 *   <li><b>inbox</b>: open without a due date.
 * </ul>
 */
public final class Views {

  public static final int UPCOMING_DAYS = 14;

  private final SqlParams params;
  private final DueConditions due;
  private final ZoneId zone;
  private final Instant now;
  private final LocalDate today;

  public Views(SqlParams params, ZoneId zone, Instant now) {
    this.params = params;
    this.due = new DueConditions(params, zone);
    this.zone = zone;
    this.now = now;
    this.today = Days.of(now, zone);
  }

  public String overdue() {
    return due.overdue(now);
  }

  public String today() {
    return "(NOT completed AND " + due.atOrBefore(DueBound.ofDate(today)) + ")";
  }

  public String upcoming() {
    LocalDate last = today.plusDays(UPCOMING_DAYS);
    return "(NOT completed AND (due_date BETWEEN "
        + params.add(today)
        + " AND "
        + params.add(last)
        + " OR due_at >= "
        + params.add(now)
        + " AND due_at < "
        + params.add(Days.end(last, zone))
        + "))";
  }

  public String inbox() {
    return "(NOT completed AND " + due.hasDue(false) + ")";
  }
}
