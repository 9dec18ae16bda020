package io.taskbus.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code /filters}: the caller's saved filters. Every statement names the user, and row-level
 * security hides everyone else's rows underneath: another user's filter is a 404 like an unknown
 * one. Changes write no task event (a saved filter is no task); a POST honours {@code
 * Idempotency-Key}, PATCH and DELETE {@code If-Match}, as for tasks.
 */
final class SavedFilterHandlers {

  static final int MAX_PER_USER = 100;

  private static final String LIST =
      "SELECT "
          + SavedFilter.COLUMNS
          + " FROM saved_filters WHERE user_id = $1 ORDER BY position, name, id";

  /**
   * A user's creates wait for each other, so two at once cannot both pass the limit. The count is a
   * statement of its own: a statement sees what was committed when it began, and only a statement
   * after the lock sees the create that held it.
   */
  private static final String LOCK_USER =
      "SELECT pg_advisory_xact_lock(hashtextextended('saved_filters ' || $1, 0))";

  private static final String COUNT =
      "SELECT count(*), coalesce(max(position) + 1, 0) FROM saved_filters WHERE user_id = $1";

  private static final String INSERT =
      "INSERT INTO saved_filters (id, user_id, name, filter, position, created_at, updated_at)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING "
          + SavedFilter.COLUMNS;

  private static final String LOCK =
      "SELECT "
          + SavedFilter.COLUMNS
          + " FROM saved_filters WHERE user_id = $1 AND id = $2 FOR UPDATE";

  private static final String UPDATE =
      "UPDATE saved_filters SET name = $3, filter = $4, position = $5, version = version + 1,"
          + " updated_at = $6 WHERE user_id = $1 AND id = $2 RETURNING "
          + SavedFilter.COLUMNS;

  private static final String DELETE = "DELETE FROM saved_filters WHERE user_id = $1 AND id = $2";

  private final UserDb db;
  private final TaskHandlers tasks;

  SavedFilterHandlers(UserDb db, TaskHandlers tasks) {
    this.db = db;
    this.tasks = tasks;
  }

  void list(RoutingContext ctx) {
    String user = TaskHandlers.user(ctx);
    db.read(user, LIST, Tuple.of(user))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(Databases.translate(ar.cause()));
                return;
              }
              JsonArray items = new JsonArray();
              for (Row row : ar.result()) {
                items.add(SavedFilter.fromRow(row).toJson());
              }
              Responses.json(ctx, new JsonObject().put("items", items));
            });
  }

  void create(RoutingContext ctx) {
    Instant now = TaskService.now();
    SavedFilterChanges.Draft draft = SavedFilterChanges.create(Bodies.object(ctx), now);
    String user = TaskHandlers.user(ctx);
    tasks.writeReply(
        ctx,
        conn ->
            conn.preparedQuery(LOCK_USER)
                .execute(Tuple.of(user))
                .compose(locked -> conn.preparedQuery(COUNT).execute(Tuple.of(user)))
                .compose(
                    counted -> {
                      Row counts = counted.iterator().next();
                      if (counts.getLong(0) >= MAX_PER_USER) {
                        throw new ApiException(
                            422,
                            "too-many-filters",
                            "Unprocessable Content",
                            "A user keeps at most "
                                + MAX_PER_USER
                                + " saved filters; delete one first");
                      }
                      int position =
                          draft.position() != null
                              ? draft.position()
                              : Math.min(counts.getInteger(1), SavedFilterChanges.POSITION_MAX);
                      return written(
                          conn,
                          INSERT,
                          Tuple.of(
                              Uuids.v7(now.toEpochMilli()),
                              user,
                              draft.name(),
                              draft.filter(),
                              position,
                              Task.utc(now)));
                    })
                .map(
                    saved ->
                        new Reply(
                            201,
                            saved.toJson(),
                            ctx.request().path() + "/" + saved.id(),
                            saved.etag())));
  }

  void patch(RoutingContext ctx) {
    JsonObject patch = Bodies.object(ctx);
    UUID id = filterId(ctx);
    String user = TaskHandlers.user(ctx);
    String ifMatch = ctx.request().getHeader("If-Match");
    Instant now = TaskService.now();
    tasks.writeReply(
        ctx,
        conn ->
            lock(conn, user, id, ifMatch)
                .compose(
                    before -> {
                      SavedFilter after = SavedFilterChanges.patch(before, patch, now);
                      if (after.equals(before)) {
                        return Future.succeededFuture(before);
                      }
                      return written(
                          conn,
                          UPDATE,
                          Tuple.of(
                              user,
                              id,
                              after.name(),
                              after.filter(),
                              after.position(),
                              Task.utc(now)));
                    })
                .map(saved -> new Reply(200, saved.toJson(), null, saved.etag())));
  }

  void delete(RoutingContext ctx) {
    UUID id = filterId(ctx);
    String user = TaskHandlers.user(ctx);
    String ifMatch = ctx.request().getHeader("If-Match");
    db.tx(
            user,
            conn ->
                lock(conn, user, id, ifMatch)
                    .compose(found -> conn.preparedQuery(DELETE).execute(Tuple.of(user, id))))
        .onComplete(Responses.noContent(ctx));
  }

  /** The caller's filter, locked for the change, after the {@code If-Match} check. */
  private static Future<SavedFilter> lock(
      SqlConnection conn, String user, UUID id, String ifMatch) {
    return conn.preparedQuery(LOCK)
        .execute(Tuple.of(user, id))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw ApiException.notFound("saved filter");
              }
              SavedFilter found = SavedFilter.fromRow(rows.iterator().next());
              ETags.checkIfMatch(ifMatch, found.etag(), "saved filter");
              return found;
            });
  }

  /** An insert or update; a name another of the user's filters has is a 409 naming the field. */
  private static Future<SavedFilter> written(SqlConnection conn, String sql, Tuple values) {
    return conn.preparedQuery(sql)
        .execute(values)
        .<SavedFilter>map(rows -> SavedFilter.fromRow(rows.iterator().next()))
        .recover(
            e -> {
              if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return Future.failedFuture(
                    new ApiException(
                        409,
                        "name-taken",
                        "Conflict",
                        "name is already the name of another of your saved filters",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("field", "name")
                                    .put(
                                        "message",
                                        "is already the name of another of your saved filters"
                                            + " (names are compared ignoring case)"))));
              }
              return Future.failedFuture(e);
            });
  }

  /** A malformed id cannot name a filter, so it is a 404 like any unknown id. */
  private static UUID filterId(RoutingContext ctx) {
    UUID id = Uuids.parse(ctx.pathParam("id"));
    if (id == null) {
      throw ApiException.notFound("saved filter");
    }
    return id;
  }
}
