package io.taskbus.api;

/**
 * Writing a change with its event in one statement: bump the user's sequence (its row lock also
 * orders the user's transactions, so their outbox ids commit in order), apply the change tagged
 * with that sequence number, and insert the outbox row. Parameters $1–$6 are always: user, event
 * type, subject, time, request id, event data (a JsonObject); the change's own start at $7.
 */
final class OutboxSql {

  private static final String NEXT_SEQ =
      """
      INSERT INTO users (id, seq) VALUES ($1, 1)
      ON CONFLICT (id) DO UPDATE SET seq = users.seq + 1
      RETURNING seq""";

  /** Two sequence numbers at once, for a change that writes two events. */
  private static final String NEXT_TWO_SEQ =
      """
      INSERT INTO users (id, seq) VALUES ($1, 2)
      ON CONFLICT (id) DO UPDATE SET seq = users.seq + 2
      RETURNING seq""";

  private static final String EVENT =
      """
      INSERT INTO outbox (user_id, seq, type, subject, time, request_id, data)
      SELECT $1, u.seq, $2, $3, $4, $5, $6::json FROM u""";

  /** {@code change} is a data-modifying statement that may read {@code u.seq} (FROM u). */
  static String withEvent(String change) {
    return withSteps("c AS (" + change + ")");
  }

  /**
   * Several named steps ({@code name AS (...)}, comma-separated; data-modifying WITH must be
   * top-level).
   */
  static String withSteps(String steps) {
    return "WITH u AS (" + NEXT_SEQ + "), " + steps + " " + EVENT + " RETURNING seq";
  }

  /**
   * {@code change} with two events in order: $1–$6 as always (sequence {@code u.seq - 1}), then a
   * second one about the same subject with its type at $21 and data at $22 ({@code u.seq}).
   */
  static String withTwoEvents(String change) {
    return "WITH u AS ("
        + NEXT_TWO_SEQ
        + "), c AS ("
        + change
        + ") "
        + "INSERT INTO outbox (user_id, seq, type, subject, time, request_id, data)"
        + " SELECT $1, u.seq - 1, $2, $3, $4, $5, $6::json FROM u"
        + " UNION ALL SELECT $1, u.seq, $21::text, $3, $4, $5, $22::json FROM u RETURNING seq";
  }

  private OutboxSql() {}
}
