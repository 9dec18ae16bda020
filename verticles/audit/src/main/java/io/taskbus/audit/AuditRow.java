package io.taskbus.audit;

import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.Event;
import java.time.DateTimeException;
import java.time.Instant;

/** One audit row, read from an event envelope; a malformed envelope fails here, alone. */
record AuditRow(
    long eventId,
    String userId,
    String subject,
    String type,
    String time,
    Long seq,
    String requestId,
    String data) {

  /**
   * The row of an event as the bus carries it (the subscription's {@link Event}, or JSON text from
   * another sender). {@code data} is the text the event came with: stored as it is, never parsed
   * into maps and printed again (the audit consumer sees every event).
   *
   * @throws IllegalArgumentException when it is no envelope
   */
  static AuditRow of(Object body) {
    Event event = Event.from(body);
    long eventId;
    try {
      eventId = Long.parseLong(require(event.id(), Envelope.ID));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("id is not a number: " + event.id(), e);
    }
    String time = require(event.time(), Envelope.TIME);
    try {
      Instant.parse(time);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("time is not an instant: " + time, e);
    }
    return new AuditRow(
        eventId,
        require(event.userId(), Envelope.USER_ID),
        require(event.subject(), Envelope.SUBJECT),
        require(event.type(), Envelope.TYPE),
        time,
        event.seq(),
        event.requestId(),
        event.dataJson());
  }

  private static String require(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("event has no " + field);
    }
    return value;
  }
}
