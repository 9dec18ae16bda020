package io.taskbus.api;

import io.taskbus.contracts.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;

/** Reads and changes one task inside a user's transaction; the rules of the task life cycle. */
final class TaskService {

  /** Where a task must be for an operation: among live tasks, or in the trash. */
  enum Place {
    LIVE,
    TRASH
  }

  /** What an operation does to a task: the task after it, and the event type; null = nothing. */
  record Change(Task after, String type) {}

  private final TaskRepository repository = new TaskRepository();

  Future<Task> create(SqlConnection conn, String user, String requestId, Task task) {
    return repository.insert(conn, user, requestId, task);
  }

  Future<Task> get(SqlConnection conn, String user, UUID id) {
    return repository.find(conn, user, id).map(task -> require(task, Place.LIVE));
  }

  /**
   * Locks the task, checks {@code If-Match}, applies the change and stores it with its event. An
   * operation that changes nothing (completing a completed task) writes nothing.
   */
  Future<Task> change(
      SqlConnection conn,
      String user,
      UUID id,
      String ifMatch,
      String requestId,
      Place place,
      Function<Task, Change> operation) {
    return repository
        .lock(conn, user, id)
        .compose(
            found -> {
              Task before = require(found, place);
              ETags.checkIfMatch(ifMatch, before);
              Change change = operation.apply(before);
              if (change == null || Task.changes(before, change.after()).isEmpty()) {
                return Future.succeededFuture(before);
              }
              Task after = change.after().touched(now());
              return repository.save(conn, user, requestId, change.type(), before, after);
            });
  }

  /**
   * The next occurrence of a series, once: nothing happens when the series already has it (a
   * completion delivered twice, two recurrence verticles racing).
   */
  Future<Task> createOccurrence(
      SqlConnection conn,
      String user,
      UUID completedId,
      String occurrence,
      java.time.LocalDate dueDate,
      Instant dueAt,
      JsonObject recurrence) {
    return repository
        .findPrevious(conn, user, completedId, occurrence)
        .compose(
            found -> {
              Task previous = found == null ? null : found.task();
              if (previous == null
                  || previous.series() == null
                  || previous.deletedAt() != null
                  || found.nextTaken()) {
                return Future.succeededFuture();
              }
              Task.Series series = previous.series();
              Instant now = now();
              Task next =
                  new Task(
                      Uuids.v7(now.toEpochMilli()),
                      previous.title(),
                      previous.description(),
                      previous.priority(),
                      previous.tags(),
                      dueDate,
                      dueAt,
                      previous.timeZone(),
                      false,
                      null,
                      now,
                      now,
                      null,
                      1,
                      new Task.Series(
                          recurrence == null ? series.recurrence() : recurrence,
                          series.id(),
                          series.start(),
                          occurrence),
                      previous.reminders(),
                      false);
              return repository.insertOccurrence(conn, user, next, previous.id());
            });
  }

  static Change complete(Task t) {
    return t.completed() ? null : new Change(t.withState(true, now()), EventTypes.TASK_COMPLETED);
  }

  /**
   * Skips the open occurrence of a recurring task: closed like a completion (so the next occurrence
   * follows by the same path, once) but marked skipped.
   */
  static Change skip(Task t) {
    if (t.series() == null) {
      throw new ApiException(
          409,
          "not-recurring",
          "Conflict",
          "This task does not recur; only an occurrence of a series can be skipped");
    }
    if (t.completed()) {
      if (t.skipped()) {
        return null;
      }
      throw new ApiException(
          409,
          "already-completed",
          "Conflict",
          "This occurrence is already completed; reopen it first to skip it instead");
    }
    return new Change(t.skippedAt(now()), EventTypes.TASK_COMPLETED);
  }

  static Change reopen(Task t) {
    return t.completed() ? new Change(t.withState(false, null), EventTypes.TASK_REOPENED) : null;
  }

  static Change trash(Task t) {
    return new Change(t.withDeletedAt(now()), EventTypes.TASK_DELETED);
  }

  static Change restore(Task t) {
    return new Change(t.withDeletedAt(null), EventTypes.TASK_RESTORED);
  }

  static Change update(Task after) {
    return new Change(after, EventTypes.TASK_UPDATED);
  }

  /** Purges a trashed task for good. */
  Future<Task> purge(SqlConnection conn, String user, UUID id) {
    return repository
        .lock(conn, user, id)
        .compose(
            task ->
                task == null || task.deletedAt() == null
                    ? Future.succeededFuture()
                    : repository.delete(conn, user, EventTypes.TASK_PURGED, task, now()));
  }

  private static Task require(Task task, Place place) {
    if (task == null || (task.deletedAt() == null) != (place == Place.LIVE)) {
      throw ApiException.notFound(place == Place.LIVE ? "task" : "task in the trash");
    }
    return task;
  }

  /** PostgreSQL keeps microseconds; truncating here keeps the event and the row identical. */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
