package io.taskbus.api;

import io.taskbus.contracts.Envelope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.UUID;

/** The tasks table. Every change writes its event to the outbox in the caller's transaction. */
final class TaskRepository {

  /** Creation is the hot path: sequence bump, task row and outbox row in one round trip. */
  private static final String INSERT = "WITH u AS (" + OutboxSql.NEXT_SEQ + """
      ),
      t AS (
        INSERT INTO tasks (id, user_id, title, description, priority, tags, due_date, due_at,
                           time_zone, due_sort, completed, completed_at, created_at, updated_at,
                           version)
        VALUES ($7, $1, $8, $9, $10, $11, $12, $13, $14, $15, false, NULL, $4, $4, 1))
      INSERT INTO outbox (user_id, seq, type, subject, time, request_id, data)
      SELECT $1, u.seq, $2, $3, $4, $5, $6::json FROM u
      RETURNING id""";

  private static final String LOCK = "SELECT " + Task.COLUMNS
      + " FROM tasks WHERE id = $1 AND user_id = $2 FOR UPDATE";
  private static final String FIND = "SELECT " + Task.COLUMNS
      + " FROM tasks WHERE id = $1 AND user_id = $2";
  private static final String UPDATE = """
      UPDATE tasks SET title = $3, description = $4, priority = $5, tags = $6, due_date = $7,
        due_at = $8, time_zone = $9, due_sort = $10, completed = $11, completed_at = $12,
        deleted_at = $13, updated_at = $14, version = $15
      WHERE id = $1 AND user_id = $2""";
  private static final String DELETE = "DELETE FROM tasks WHERE id = $1 AND user_id = $2";

  Future<Task> insert(SqlConnection conn, String user, String requestId, Task task) {
    Tuple params = Tuple.of(user, io.taskbus.contracts.EventTypes.TASK_CREATED,
            task.id().toString(), Task.utc(task.createdAt()), requestId,
            eventData(task, Task.changes(null, task)), task.id(), task.title(), task.description(),
            task.priority())
        .addArrayOfString(task.tags().toArray(new String[0]))
        .addLocalDate(task.dueDate())
        .addOffsetDateTime(Task.utc(task.dueAt()))
        .addString(task.timeZone())
        .addOffsetDateTime(task.dueSort());
    return conn.preparedQuery(INSERT).execute(params).map(task);
  }

  /** The task whether live or in the trash, locked for the rest of the transaction; or null. */
  Future<Task> lock(SqlConnection conn, String user, UUID id) {
    return conn.preparedQuery(LOCK).execute(Tuple.of(id, user)).map(TaskRepository::first);
  }

  Future<Task> find(SqlConnection conn, String user, UUID id) {
    return conn.preparedQuery(FIND).execute(Tuple.of(id, user)).map(TaskRepository::first);
  }

  /** Stores {@code after} (already touched) and writes its event. */
  Future<Task> save(SqlConnection conn, String user, String requestId, String type, Task before,
      Task after) {
    Tuple params = Tuple.of(after.id(), user, after.title(), after.description(), after.priority())
        .addArrayOfString(after.tags().toArray(new String[0]))
        .addLocalDate(after.dueDate())
        .addOffsetDateTime(Task.utc(after.dueAt()))
        .addString(after.timeZone())
        .addOffsetDateTime(after.dueSort())
        .addBoolean(after.completed())
        .addOffsetDateTime(Task.utc(after.completedAt()))
        .addOffsetDateTime(Task.utc(after.deletedAt()))
        .addOffsetDateTime(Task.utc(after.updatedAt()))
        .addInteger(after.version());
    return conn.preparedQuery(UPDATE).execute(params)
        .compose(v -> append(conn, user, requestId, type, after.updatedAt(), after,
            Task.changes(before, after)));
  }

  /** Removes a task for good (purge from the trash), with its event. */
  Future<Task> delete(SqlConnection conn, String user, String requestId, String type, Task task,
      Instant now) {
    return conn.preparedQuery(DELETE).execute(Tuple.of(task.id(), user))
        .compose(v -> append(conn, user, requestId, type, now, task, new JsonObject()));
  }

  Future<RowSet<Row>> query(SqlConnection conn, String sql, Tuple params) {
    return conn.preparedQuery(sql).execute(params);
  }

  private static Future<Task> append(SqlConnection conn, String user, String requestId,
      String type, Instant time, Task task, JsonObject changes) {
    Tuple params = Tuple.of(user, type, task.id().toString(), Task.utc(time), requestId,
        eventData(task, changes));
    return conn.preparedQuery(OutboxSql.APPEND).execute(params).map(task);
  }

  private static JsonObject eventData(Task task, JsonObject changes) {
    return new JsonObject().put(Envelope.DATA_TASK, task.toJson())
        .put(Envelope.DATA_CHANGES, changes);
  }

  static Task first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Task.fromRow(it.next()) : null;
  }

  static JsonArray json(Iterable<Task> tasks) {
    JsonArray items = new JsonArray();
    tasks.forEach(t -> items.add(t.toJson()));
    return items;
  }
}
