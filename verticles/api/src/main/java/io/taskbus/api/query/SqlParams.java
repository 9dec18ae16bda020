package io.taskbus.api.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The positional parameters of one statement for the Vert.x PG client, collected while its SQL text
 * is built. Every value a user typed goes through here, never into the SQL text, so a query built
 * from these pieces cannot be injected into.
 *
 * <p>Only types with one obvious PostgreSQL encoding are taken; the server infers each parameter's
 * type from where its placeholder stands, and an unexpected Java type would otherwise fail only at
 * execution time, far from the code that added it.
 */
public final class SqlParams {

  private final int first;
  private final List<Object> values = new ArrayList<>();

  /** Placeholders start at {@code $1}. */
  public SqlParams() {
    this(1);
  }

  /**
   * Placeholders start at {@code $first}, for statements whose earlier parameters (the user id,
   * say) were numbered by hand.
   */
  public SqlParams(int first) {
    if (first < 1) {
      throw new IllegalArgumentException("placeholders start at $1, not $" + first);
    }
    this.first = first;
  }

  /**
   * Records {@code value} and returns its placeholder, such as {@code "$3"}. Takes {@link
   * LocalDate} (date), {@link OffsetDateTime} and {@link Instant} (timestamptz; sent as an
   * OffsetDateTime in UTC, since the PG client does not encode Instant), {@link String} (text),
   * {@code String[]} (text[]), {@link Boolean}, {@link Integer}, {@link Long} and {@link UUID}.
   */
  public String add(Object value) {
    if (value instanceof Instant instant) {
      value = OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    } else if (value instanceof OffsetDateTime time) {
      value = time.withOffsetSameInstant(ZoneOffset.UTC);
    } else if (!(value instanceof LocalDate
        || value instanceof String
        || value instanceof String[]
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof UUID)) {
      throw new IllegalArgumentException(
          "no SQL parameter type for " + (value == null ? "null" : value.getClass().getName()));
    }
    values.add(value);
    return "$" + (first + values.size() - 1);
  }

  /** The values in placeholder order, for {@code Tuple.from(values())}. */
  public List<Object> values() {
    return Collections.unmodifiableList(values);
  }

  int size() {
    return values.size();
  }

  /**
   * Forgets the values added after {@code size} of them, so a failed compilation leaves no trace.
   */
  void truncate(int size) {
    values.subList(size, values.size()).clear();
  }
}
