package io.taskbus.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.taskbus.contracts.Envelope;
import java.io.IOException;
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

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The row of an envelope as the bus carries it: the record's JSON text (or, from elsewhere, a
   * JsonObject or Buffer). One pass over the tokens; {@code data} is kept as the text it is,
   * without building and printing maps (the audit consumer sees every event).
   *
   * @throws IllegalArgumentException when it is no envelope
   */
  static AuditRow of(Object body) {
    return parse(Envelope.text(body));
  }

  private static AuditRow parse(String json) {
    String id = null;
    String userId = null;
    String subject = null;
    String type = null;
    String time = null;
    Long seq = null;
    String requestId = null;
    String data = null;
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case Envelope.ID -> id = text(parser, value, name);
          case Envelope.USER_ID -> userId = text(parser, value, name);
          case Envelope.SUBJECT -> subject = text(parser, value, name);
          case Envelope.TYPE -> type = text(parser, value, name);
          case Envelope.TIME -> time = text(parser, value, name);
          case Envelope.REQUEST_ID -> requestId = text(parser, value, name);
          case Envelope.SEQ -> {
            if (value == JsonToken.VALUE_NUMBER_INT) {
              seq = parser.getLongValue();
            } else if (value != JsonToken.VALUE_NULL) {
              throw new IllegalArgumentException(name + " is not a whole number");
            }
          }
          case Envelope.DATA -> {
            if (value == JsonToken.START_OBJECT) {
              int start = (int) parser.currentTokenLocation().getCharOffset();
              parser.skipChildren();
              data = json.substring(start, (int) parser.currentLocation().getCharOffset());
            } else if (value != JsonToken.VALUE_NULL) {
              throw new IllegalArgumentException(name + " is not an object");
            }
          }
          default -> parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new IllegalArgumentException("not a single JSON object");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
    }
    long eventId = Long.parseLong(require(id, Envelope.ID));
    try {
      Instant.parse(require(time, Envelope.TIME));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("time is not an instant: " + time, e);
    }
    return new AuditRow(
        eventId,
        require(userId, Envelope.USER_ID),
        require(subject, Envelope.SUBJECT),
        require(type, Envelope.TYPE),
        time,
        seq,
        requestId,
        data);
  }

  private static String text(JsonParser parser, JsonToken value, String name) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new IllegalArgumentException(name + " is not a string");
  }

  private static String require(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("event has no " + field);
    }
    return value;
  }
}
