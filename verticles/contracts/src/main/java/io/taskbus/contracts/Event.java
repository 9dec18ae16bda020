package io.taskbus.contracts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One event envelope as it entered this process: the record's JSON text, kept as it came, with the
 * attributes consumers route and store by, read in one pass. Immutable, so every consumer in the
 * process is handed the same instance ({@link EventCodec}): the bridge writes {@link #json()} to
 * the browser and the audit stores {@link #dataJson()} as they are, and a consumer that reads the
 * payload gets {@link #view()}, a read-only tree parsed on first use.
 */
public final class Event {

  private static final JsonFactory JSON = new JsonFactory();

  private final String json;
  private final String id;
  private final String type;
  private final String subject;
  private final String userId;
  private final String time;
  private final String requestId;
  private final Long seq;
  private final int dataStart;
  private final int dataEnd;

  /** Parsed on first use; a race parses twice into equal trees, never a wrong one. */
  private volatile JsonObject view;

  private Event(
      String json,
      String id,
      String type,
      String subject,
      String userId,
      String time,
      String requestId,
      Long seq,
      int dataStart,
      int dataEnd) {
    this.json = json;
    this.id = id;
    this.type = type;
    this.subject = subject;
    this.userId = userId;
    this.time = time;
    this.requestId = requestId;
    this.seq = seq;
    this.dataStart = dataStart;
    this.dataEnd = dataEnd;
  }

  /**
   * Reads an envelope. The attributes it names must have their types (text, a whole number for
   * {@code seq}, an object for {@code data}) when present; which are required is the consumer's
   * business.
   *
   * @throws IllegalArgumentException when the text is no single JSON object, or an attribute has
   *     another type
   */
  public static Event of(String json) {
    if (json == null) {
      throw new IllegalArgumentException("no JSON text");
    }
    String id = null;
    String type = null;
    String subject = null;
    String userId = null;
    String time = null;
    String requestId = null;
    Long seq = null;
    int dataStart = -1;
    int dataEnd = -1;
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case Envelope.ID -> id = text(parser, value, name);
          case Envelope.TYPE -> type = text(parser, value, name);
          case Envelope.SUBJECT -> subject = text(parser, value, name);
          case Envelope.USER_ID -> userId = text(parser, value, name);
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
              dataStart = (int) parser.currentTokenLocation().getCharOffset();
              parser.skipChildren();
              dataEnd = (int) parser.currentLocation().getCharOffset();
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
    return new Event(json, id, type, subject, userId, time, requestId, seq, dataStart, dataEnd);
  }

  /**
   * The event in a bus message's body: the same instance when it is one, else read from the JSON
   * text a sender put there (a String, a Buffer, or a JsonObject).
   *
   * @throws IllegalArgumentException when the body is none of those or no envelope
   */
  public static Event from(Object body) {
    if (body instanceof Event event) {
      return event;
    }
    if (body instanceof String text) {
      return of(text);
    }
    if (body instanceof Buffer buffer) {
      return of(buffer.toString());
    }
    if (body instanceof JsonObject object) {
      return of(object.encode());
    }
    throw new IllegalArgumentException(
        "not a JSON object: " + (body == null ? "no body" : body.getClass().getSimpleName()));
  }

  /**
   * The event of an ack subscription's message, or null once the message was failed with {@link
   * Envelope#REFUSED}: what is no envelope will not become one on a retry.
   */
  public static Event from(Message<?> message) {
    try {
      return from(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(Envelope.REFUSED, e.getMessage());
      return null;
    }
  }

  /** The envelope's JSON text as it was received. */
  public String json() {
    return json;
  }

  /** The {@code data} object's JSON text as it was received, or null when there is none. */
  public String dataJson() {
    return dataStart < 0 ? null : json.substring(dataStart, dataEnd);
  }

  public String id() {
    return id;
  }

  public String type() {
    return type;
  }

  public String subject() {
    return subject;
  }

  public String userId() {
    return userId;
  }

  public String time() {
    return time;
  }

  public String requestId() {
    return requestId;
  }

  public Long seq() {
    return seq;
  }

  /**
   * The whole envelope as a read-only tree: every object and array in it refuses changes, so the
   * consumers sharing this instance cannot see each other's. {@link JsonObject#copy()} gives a
   * changeable one, in the same order.
   */
  public JsonObject view() {
    JsonObject parsed = view;
    if (parsed == null) {
      parsed = parseView(json);
      view = parsed;
    }
    return parsed;
  }

  private static JsonObject parseView(String json) {
    try (JsonParser parser = JSON.createParser(json)) {
      parser.nextToken();
      return new JsonObject(ReadOnlyJson.object(parser));
    } catch (IOException e) {
      // of() read the same text already
      throw new IllegalStateException(e);
    }
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

  @Override
  public String toString() {
    return json;
  }

  /** Builds the read-only tree with the value types Vert.x's own parser gives a JsonObject. */
  private static final class ReadOnlyJson {

    static ReadOnlyMap object(JsonParser parser) throws IOException {
      ReadOnlyMap map = new ReadOnlyMap();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        map.fill(name, value(parser));
      }
      map.freeze();
      return map;
    }

    static List<Object> array(JsonParser parser) throws IOException {
      List<Object> list = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        list.add(value(parser));
      }
      return Collections.unmodifiableList(list);
    }

    static Object value(JsonParser parser) throws IOException {
      return switch (parser.currentToken()) {
        case START_OBJECT -> object(parser);
        case START_ARRAY -> array(parser);
        case VALUE_STRING -> parser.getText();
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        default -> null;
      };
    }

    private ReadOnlyJson() {}
  }
}
