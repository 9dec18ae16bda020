package io.taskbus.api;

import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Tasks of one user at a time; every change writes its event to the outbox in the same transaction. */
final class TaskRepository {

  /** Creation is the hot path: task row, sequence bump and outbox row in one round trip. */
  private static final String CREATE = "WITH u AS (" + OutboxSql.NEXT_SEQ + """
      ),
      t AS (
        INSERT INTO tasks (id, user_id, title, description, priority, created_at, updated_at)
        VALUES ($7, $1, $8, $9, $10, $4, $4))
      INSERT INTO outbox (user_id, seq, type, subject, time, request_id, data)
      SELECT $1, u.seq, $2, $3, $4, $5, $6::json FROM u
      RETURNING id""";

  private static final String FIND = "SELECT " + TaskJson.COLUMNS
      + " FROM tasks WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL";
  private static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";
  private static final String EXISTS_EVEN_DELETED =
      "SELECT 1 FROM tasks WHERE id = $1 AND user_id = $2";
  private static final String LIST_FIRST = "SELECT " + TaskJson.COLUMNS
      + " FROM tasks WHERE user_id = $1 AND deleted_at IS NULL"
      + " ORDER BY created_at DESC, id DESC LIMIT $2";
  private static final String LIST_AFTER = "SELECT " + TaskJson.COLUMNS
      + " FROM tasks WHERE user_id = $1 AND deleted_at IS NULL AND (created_at, id) < ($3, $4)"
      + " ORDER BY created_at DESC, id DESC LIMIT $2";
  private static final String COMPLETE = "UPDATE tasks SET completed = true, completed_at = $3,"
      + " updated_at = $3, version = version + 1 WHERE id = $1 AND user_id = $2 RETURNING "
      + TaskJson.COLUMNS;
  private static final String SOFT_DELETE = "UPDATE tasks SET deleted_at = $3, updated_at = $3,"
      + " version = version + 1 WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL RETURNING "
      + TaskJson.COLUMNS;

  private final Pool pool;

  TaskRepository(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> create(String userId, String requestId, TaskInput input) {
    OffsetDateTime now = now();
    UUID id = Uuids.v7(now.toInstant().toEpochMilli());
    JsonObject task = new JsonObject()
        .put("id", id.toString())
        .put("title", input.title)
        .put("description", input.description)
        .put("priority", input.priority)
        .put("completed", false)
        .put("completedAt", null)
        .put("createdAt", TaskJson.instant(now))
        .put("updatedAt", TaskJson.instant(now))
        .put("version", 1);
    JsonObject data = eventData(task,
        TaskJson.changes(null, task, "title", "description", "priority"));
    Tuple params = Tuple.of(userId, EventTypes.TASK_CREATED, id.toString(), now, requestId,
        data, id, input.title, input.description, input.priority);
    return pool.preparedQuery(CREATE).execute(params).map(task);
  }

  Future<JsonObject> find(String userId, UUID id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id, userId)).map(TaskRepository::first);
  }

  Future<Boolean> existsEvenDeleted(String userId, UUID id) {
    return pool.preparedQuery(EXISTS_EVEN_DELETED).execute(Tuple.of(id, userId))
        .map(rows -> rows.size() > 0);
  }

  /** A page, newest first, plus the keyset of its last row when more may follow. */
  Future<Page> list(String userId, int limit, Cursor after) {
    Future<RowSet<Row>> rows = after == null
        ? pool.preparedQuery(LIST_FIRST).execute(Tuple.of(userId, limit + 1))
        : pool.preparedQuery(LIST_AFTER).execute(
            Tuple.of(userId, limit + 1, after.createdAt(), after.id()));
    return rows.map(set -> {
      JsonArray items = new JsonArray();
      Cursor next = null;
      for (Row row : set) {
        if (items.size() == limit) {
          JsonObject last = items.getJsonObject(limit - 1);
          next = new Cursor(OffsetDateTime.parse(last.getString("createdAt")),
              UUID.fromString(last.getString("id")));
          break;
        }
        items.add(TaskJson.fromRow(row));
      }
      return new Page(items, next);
    });
  }

  /** Completes an open task; an already completed one is returned unchanged, with no event. */
  Future<JsonObject> complete(String userId, UUID id, String requestId) {
    return pool.withTransaction(conn -> lockTask(conn, userId, id).compose(before -> {
      if (before == null || before.getBoolean("completed")) {
        return Future.succeededFuture(before);
      }
      return conn.preparedQuery(COMPLETE).execute(Tuple.of(id, userId, now()))
          .map(TaskRepository::first)
          .compose(after -> append(conn, userId, requestId, EventTypes.TASK_COMPLETED, after,
              TaskJson.changes(before, after, "completed", "completedAt")));
    }));
  }

  /** Moves a task to the trash; null when there is no such live task. */
  Future<JsonObject> delete(String userId, UUID id, String requestId) {
    return pool.withTransaction(conn -> conn.preparedQuery(SOFT_DELETE)
        .execute(Tuple.of(id, userId, now()))
        .map(TaskRepository::first)
        .compose(after -> after == null ? Future.succeededFuture()
            : append(conn, userId, requestId, EventTypes.TASK_DELETED, after,
                new JsonObject().put("deleted", new JsonObject().put("old", false).put("new", true)))));
  }

  private static Future<JsonObject> lockTask(SqlConnection conn, String userId, UUID id) {
    return conn.preparedQuery(FIND_FOR_UPDATE).execute(Tuple.of(id, userId))
        .map(TaskRepository::first);
  }

  private static Future<JsonObject> append(SqlConnection conn, String userId, String requestId,
      String type, JsonObject task, JsonObject changes) {
    Tuple params = Tuple.of(userId, type, task.getString("id"), now(), requestId,
        eventData(task, changes));
    return conn.preparedQuery(OutboxSql.APPEND).execute(params).map(task);
  }

  private static JsonObject eventData(JsonObject task, JsonObject changes) {
    return new JsonObject().put(Envelope.DATA_TASK, task).put(Envelope.DATA_CHANGES, changes);
  }

  private static JsonObject first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? TaskJson.fromRow(it.next()) : null;
  }

  /** PostgreSQL keeps microseconds; truncating here keeps the event and the row identical. */
  private static OffsetDateTime now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  record Page(JsonArray items, Cursor next) {}
}
