package io.taskbus.api.query;

import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A timestamptz column against a bound. A DATE bound stands for the half-open range from the start
 * of that day to the start of the next in the user's zone, so {@code <= D} is "before D+1 starts"
 * and {@code = D} is "within D". Starts of days come from {@link Days}, never from adding 24 hours.
 */
final class Timestamps {

  /** {@code column} is one of our own column names, never text from a request. */
  static String compare(
      String column, Comparison op, DueBound bound, ZoneId zone, SqlParams params) {
    if (bound.kind() == DueBound.Kind.INSTANT) {
      return column + " " + op.symbol() + " " + params.add(bound.instant());
    }
    LocalDate day = bound.date();
    switch (op) {
      case BEFORE:
        return column + " < " + params.add(Days.start(day, zone));
      case AT_OR_BEFORE:
        return column + " < " + params.add(Days.end(day, zone));
      case AFTER:
        return column + " >= " + params.add(Days.end(day, zone));
      case AT_OR_AFTER:
        return column + " >= " + params.add(Days.start(day, zone));
      case ON:
        return "("
            + column
            + " >= "
            + params.add(Days.start(day, zone))
            + " AND "
            + column
            + " < "
            + params.add(Days.end(day, zone))
            + ")";
      default:
        throw new IllegalArgumentException(op.name());
    }
  }

  private Timestamps() {}
}
