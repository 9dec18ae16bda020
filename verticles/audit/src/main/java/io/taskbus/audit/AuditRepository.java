package io.taskbus.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The {@code audit_log} table. */
final class AuditRepository {

  /** Arrays in, one statement out; a redelivered event id changes nothing. */
  private static final String INSERT =
      """
      INSERT INTO audit_log (event_id, user_id, subject, type, time, seq, request_id, data)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[],
                           $5::text[]::timestamptz[], $6::bigint[], $7::text[], $8::text[]::jsonb[])
      ON CONFLICT (event_id) DO NOTHING""";

  private static final String ENTRY_COLUMNS =
      "event_id, type, time, user_id, subject, request_id, data -> 'changes' AS changes";
  private static final String HISTORY =
      "SELECT "
          + ENTRY_COLUMNS
          + " FROM audit_log WHERE user_id = $1 AND subject = $2 ORDER BY event_id";

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
    return pool.preparedQuery(HISTORY)
        .execute(Tuple.of(userId, taskId))
        .map(
            rows -> {
              JsonArray items = new JsonArray();
              rows.forEach(row -> items.add(entry(row)));
              return items;
            });
  }

  /** The user's events newest first, filtered; {@code nextCursor} is the last event id. */
  Future<JsonObject> query(JsonObject q) {
    List<Object> params = new ArrayList<>();
    params.add(q.getString("userId"));
    StringBuilder sql =
        new StringBuilder("SELECT " + ENTRY_COLUMNS + " FROM audit_log WHERE user_id = $1");
    if (q.getString("taskId") != null) {
      params.add(q.getString("taskId"));
      sql.append(" AND subject = $").append(params.size());
    }
    if (q.getJsonArray("types") != null) {
      params.add(q.getJsonArray("types").stream().map(String::valueOf).toArray(String[]::new));
      sql.append(" AND type = ANY($").append(params.size()).append("::text[])");
    }
    if (q.getString("since") != null) {
      params.add(q.getString("since"));
      sql.append(" AND time >= $").append(params.size()).append("::text::timestamptz");
    }
    if (q.getString("until") != null) {
      params.add(q.getString("until"));
      sql.append(" AND time < $").append(params.size()).append("::text::timestamptz");
    }
    if (q.getString("before") != null) {
      params.add(Long.parseLong(q.getString("before")));
      sql.append(" AND event_id < $").append(params.size());
    }
    int limit = q.getInteger("limit", 50);
    params.add(limit + 1);
    sql.append(" ORDER BY event_id DESC LIMIT $").append(params.size());
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .map(
            rows -> {
              JsonArray items = new JsonArray();
              String next = null;
              for (Row row : rows) {
                if (items.size() == limit) {
                  next = items.getJsonObject(limit - 1).getString("eventId");
                  break;
                }
                items.add(entry(row));
              }
              return new JsonObject().put("items", items).put("nextCursor", next);
            });
  }

  private static JsonObject entry(Row row) {
    Object changes = row.getValue("changes");
    return new JsonObject()
        .put("eventId", Long.toString(row.getLong("event_id")))
        .put("type", row.getString("type"))
        .put("time", row.getOffsetDateTime("time").toInstant().toString())
        .put("taskId", row.getString("subject"))
        .put("actor", row.getString("user_id"))
        .put("requestId", row.getString("request_id"))
        .put("changes", changes instanceof JsonObject c ? c : new JsonObject());
  }
}
