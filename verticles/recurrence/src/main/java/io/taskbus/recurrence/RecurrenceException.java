package io.taskbus.recurrence;

/**
 * A recurrence that cannot be accepted: bad rule, preset, mode, date or zone. Carries the field at
 * fault and a reason written for the person who sent it, so the API can turn it into a 400
 * problem+json field error without rewording.
 */
public final class RecurrenceException extends IllegalArgumentException {

  private final String field;
  private final String reason;

  public RecurrenceException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  /** The JSON field at fault, e.g. {@code rule}, {@code mode}, {@code timeZone}. */
  public String field() {
    return field;
  }

  /** The human reason, without the field name. */
  public String reason() {
    return reason;
  }
}
