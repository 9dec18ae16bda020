package io.taskbus.api;

/**
 * Appending an event: bump the user's sequence (its row lock also orders the user's transactions,
 * so outbox ids of one user commit in order) and insert the outbox row, in one statement.
 * Parameters: $1 user, $2 type, $3 subject, $4 time, $5 request id, $6 data (a JsonObject).
 */
final class OutboxSql {

  static final String NEXT_SEQ = """
      INSERT INTO users (id, seq) VALUES ($1, 1)
      ON CONFLICT (id) DO UPDATE SET seq = users.seq + 1
      RETURNING seq""";

  static final String APPEND = "WITH u AS (" + NEXT_SEQ + """
      )
      INSERT INTO outbox (user_id, seq, type, subject, time, request_id, data)
      SELECT $1, u.seq, $2, $3, $4, $5, $6::json FROM u
      RETURNING id, seq""";

  private OutboxSql() {}
}
