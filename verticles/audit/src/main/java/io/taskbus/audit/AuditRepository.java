package io.taskbus.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** The {@code audit_log} table. */
final class AuditRepository {

  /** Arrays in, one statement out; a redelivered event id changes nothing. */
  private static final String INSERT = """
      INSERT INTO audit_log (event_id, user_id, subject, type, time, seq, request_id, data)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[],
                           $5::text[]::timestamptz[], $6::bigint[], $7::text[], $8::text[]::jsonb[])
      ON CONFLICT (event_id) DO NOTHING""";

  private static final String HISTORY = """
      SELECT event_id, type, time, user_id, request_id, data -> 'changes' AS changes
      FROM audit_log WHERE user_id = $1 AND subject = $2 ORDER BY event_id""";

  private final Pool pool;

  AuditRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Void> insert(List<AuditRow> rows) {
    int n = rows.size();
    Long[] ids = new Long[n];
    String[] users = new String[n];
    String[] subjects = new String[n];
    String[] types = new String[n];
    String[] times = new String[n];
    Long[] seqs = new Long[n];
    String[] requests = new String[n];
    String[] data = new String[n];
    for (int i = 0; i < n; i++) {
      AuditRow row = rows.get(i);
      ids[i] = row.eventId();
      users[i] = row.userId();
      subjects[i] = row.subject();
      types[i] = row.type();
      times[i] = row.time();
      seqs[i] = row.seq();
      requests[i] = row.requestId();
      data[i] = row.data();
    }
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(ids, users, subjects, types, times, seqs, requests, data))
        .mapEmpty();
  }

  Future<JsonArray> history(String userId, String taskId) {
    return pool.preparedQuery(HISTORY).execute(Tuple.of(userId, taskId)).map(rows -> {
      JsonArray items = new JsonArray();
      for (Row row : rows) {
        Object changes = row.getValue("changes");
        items.add(new JsonObject()
            .put("eventId", Long.toString(row.getLong("event_id")))
            .put("type", row.getString("type"))
            .put("time", row.getOffsetDateTime("time").toInstant().toString())
            .put("actor", row.getString("user_id"))
            .put("requestId", row.getString("request_id"))
            .put("changes", changes instanceof JsonObject c ? c : new JsonObject()));
      }
      return items;
    });
  }
}
