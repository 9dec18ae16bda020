package io.taskbus.api;

import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The tasks table. Every change writes its event to the outbox in the caller's transaction. */
final class TaskRepository {

  private static final String TASK_ROW =
      """
      INSERT INTO tasks (id, user_id, title, description, priority, tags, due_date, due_at,
                         time_zone, due_sort, completed, completed_at, created_at, updated_at,
                         version, change_seq, recurrence, series_id, series_start, occurrence,
                         reminders)
      SELECT $7, $1, $8, $9, $10, $11, $12, $13, $14, $15, false, NULL, $4, $4, 1, u.seq,
             $16::jsonb, $17, $18, $19, $20::jsonb FROM u""";

  /** Creation is the hot path: sequence bump, task row and outbox row in one round trip. */
  private static final String INSERT = OutboxSql.withEvent(TASK_ROW);

  /** A series' next occurrence: the task, its task.created and task.recurring.triggered. */
  private static final String INSERT_OCCURRENCE = OutboxSql.withTwoEvents(TASK_ROW);

  private static final String LOCK =
      "SELECT " + Task.COLUMNS + " FROM tasks WHERE id = $1 AND user_id = $2 FOR UPDATE";
  private static final String FIND =
      "SELECT " + Task.COLUMNS + " FROM tasks WHERE id = $1 AND user_id = $2";

  /** The previous occurrence, and whether its series already has occurrence $3. */
  private static final String FIND_PREVIOUS =
      "SELECT "
          + Task.COLUMNS
          + ", EXISTS (SELECT 1 FROM tasks o WHERE o.series_id = t.series_id AND o.occurrence = $3)"
          + " FROM tasks t WHERE t.id = $1 AND t.user_id = $2";

  private static final String UPDATE =
      OutboxSql.withEvent(
          """
      UPDATE tasks SET title = $7, description = $8, priority = $9, tags = $10, due_date = $11,
        due_at = $12, time_zone = $13, due_sort = $14, completed = $15, completed_at = $16,
        deleted_at = $17, updated_at = $18, version = $19, change_seq = u.seq,
        recurrence = $21::jsonb, series_id = $22, series_start = $23, occurrence = $24,
        reminders = $25::jsonb, skipped = $26
      FROM u WHERE id = $20 AND user_id = $1""");
  private static final String UNSCHEDULE =
      "DELETE FROM reminders WHERE task_id = $1 AND user_id = $2 AND state = 'pending'";
  private static final String SCHEDULE =
      """
      INSERT INTO reminders (user_id, task_id, spec, fire_at)
      SELECT $1, $2, spec, fire_at FROM unnest($3::text[]::jsonb[], $4::timestamptz[]) AS r(spec, fire_at)""";

  /** A purge leaves a tombstone with its sequence number for clients that sync. */
  private static final String PURGE =
      OutboxSql.withSteps(
          """
      gone AS (DELETE FROM tasks WHERE id = $7 AND user_id = $1 RETURNING id),
      tomb AS (INSERT INTO task_tombstones (user_id, task_id, seq)
               SELECT $1, gone.id, u.seq FROM gone, u)""");

  Future<Task> insert(SqlConnection conn, String user, String requestId, Task task) {
    return conn.preparedQuery(INSERT)
        .execute(insertParams(user, requestId, task))
        .compose(v -> reschedule(conn, user, null, task))
        .map(task);
  }

  /** The next occurrence of a series with both its events, one statement. */
  Future<Task> insertOccurrence(SqlConnection conn, String user, Task next, UUID previousId) {
    JsonObject triggered =
        eventData(next, new JsonObject()).put("previousTaskId", previousId.toString());
    Tuple params =
        insertParams(user, null, next)
            .addString(EventTypes.TASK_RECURRING_TRIGGERED)
            .addValue(triggered);
    return conn.preparedQuery(INSERT_OCCURRENCE)
        .execute(params)
        .compose(v -> reschedule(conn, user, null, next))
        .map(next);
  }

  /** A task and the other occurrence of its series it was asked about. */
  record Previous(Task task, boolean nextTaken) {}

  /** The task (or null), and whether its series already has {@code occurrence}. */
  Future<Previous> findPrevious(SqlConnection conn, String user, UUID id, String occurrence) {
    return conn.preparedQuery(FIND_PREVIOUS)
        .execute(Tuple.of(id, user, occurrence))
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                return null;
              }
              Row row = it.next();
              return new Previous(Task.fromRow(row), row.getBoolean(Task.COLUMN_COUNT));
            });
  }

  private static Tuple insertParams(String user, String requestId, Task task) {
    Tuple params =
        event(
                user,
                EventTypes.TASK_CREATED,
                task.createdAt(),
                requestId,
                task,
                Task.changes(null, task))
            .addUUID(task.id())
            .addString(task.title())
            .addString(task.description())
            .addString(task.priority())
            .addArrayOfString(task.tags().toArray(new String[0]))
            .addLocalDate(task.dueDate())
            .addOffsetDateTime(Task.utc(task.dueAt()))
            .addString(task.timeZone())
            .addOffsetDateTime(task.dueSort());
    addSeries(params, task.series());
    return params.addValue(task.reminders());
  }

  /** The task whether live or in the trash, locked for the rest of the transaction; or null. */
  Future<Task> lock(SqlConnection conn, String user, UUID id) {
    return conn.preparedQuery(LOCK).execute(Tuple.of(id, user)).map(TaskRepository::first);
  }

  Future<Task> find(SqlConnection conn, String user, UUID id) {
    return conn.preparedQuery(FIND).execute(Tuple.of(id, user)).map(TaskRepository::first);
  }

  /** Stores {@code after} (already touched) and writes its event. */
  Future<Task> save(
      SqlConnection conn, String user, String requestId, String type, Task before, Task after) {
    Tuple params =
        event(user, type, after.updatedAt(), requestId, after, Task.changes(before, after))
            .addString(after.title())
            .addString(after.description())
            .addString(after.priority())
            .addArrayOfString(after.tags().toArray(new String[0]))
            .addLocalDate(after.dueDate())
            .addOffsetDateTime(Task.utc(after.dueAt()))
            .addString(after.timeZone())
            .addOffsetDateTime(after.dueSort())
            .addBoolean(after.completed())
            .addOffsetDateTime(Task.utc(after.completedAt()))
            .addOffsetDateTime(Task.utc(after.deletedAt()))
            .addOffsetDateTime(Task.utc(after.updatedAt()))
            .addInteger(after.version())
            .addUUID(after.id());
    addSeries(params, after.series());
    params.addValue(after.reminders()).addBoolean(after.skipped());
    return conn.preparedQuery(UPDATE)
        .execute(params)
        .compose(v -> reschedule(conn, user, before, after))
        .map(after);
  }

  /**
   * Keeps the task's pending reminders in step with it, in the same transaction: recomputed when
   * its due or reminders change, gone while it is completed or in the trash. Only future ones are
   * scheduled: a reminder set for a moment already past does not fire.
   */
  private Future<Void> reschedule(SqlConnection conn, String user, Task before, Task after) {
    boolean had = before != null && !before.reminders().isEmpty();
    if (!had && after.reminders().isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> specs = new ArrayList<>();
    List<OffsetDateTime> times = new ArrayList<>();
    if (!after.completed() && after.deletedAt() == null) {
      Instant now = Instant.now();
      for (Object o : after.reminders()) {
        JsonObject spec = (JsonObject) o;
        Instant fireAt =
            spec.containsKey("at")
                ? Instant.parse(spec.getString("at"))
                : after.dueInstant() == null
                    ? null
                    : after.dueInstant().minus(java.time.Duration.parse(spec.getString("before")));
        if (fireAt != null && fireAt.isAfter(now)) {
          specs.add(spec.encode());
          times.add(Task.utc(fireAt));
        }
      }
    }
    Future<?> cleared =
        had
            ? conn.preparedQuery(UNSCHEDULE).execute(Tuple.of(after.id(), user))
            : Future.succeededFuture();
    return cleared
        .compose(
            v ->
                specs.isEmpty()
                    ? Future.succeededFuture()
                    : conn.preparedQuery(SCHEDULE)
                        .execute(
                            Tuple.of(
                                user,
                                after.id(),
                                specs.toArray(new String[0]),
                                times.toArray(new OffsetDateTime[0]))))
        .mapEmpty();
  }

  private static void addSeries(Tuple params, Task.Series series) {
    params
        .addValue(series == null ? null : series.recurrence())
        .addUUID(series == null ? null : series.id())
        .addString(series == null ? null : series.start())
        .addString(series == null ? null : series.occurrence());
  }

  /** Removes a trashed task for good, leaving a tombstone, with its event. */
  Future<Task> delete(SqlConnection conn, String user, String type, Task task, Instant now) {
    Tuple params = event(user, type, now, null, task, new JsonObject()).addUUID(task.id());
    return conn.preparedQuery(PURGE).execute(params).map(task);
  }

  Future<RowSet<Row>> query(SqlConnection conn, String sql, Tuple params) {
    return conn.preparedQuery(sql).execute(params);
  }

  /** Parameters $1–$6 of every change: who, what, when, why, and the event's data. */
  private static Tuple event(
      String user, String type, Instant time, String requestId, Task task, JsonObject changes) {
    return Tuple.of(
        user, type, task.id().toString(), Task.utc(time), requestId, eventData(task, changes));
  }

  private static JsonObject eventData(Task task, JsonObject changes) {
    return new JsonObject()
        .put(Envelope.DATA_TASK, task.toJson())
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
