package io.taskbus.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A user's live tasks as one iCalendar document ({@link CalendarExport}), and how it is answered:
 * the same for {@code GET /tasks.ics} (bearer token) and a calendar feed (secret URL).
 */
final class CalendarDocument {

  /** The most recently changed first, so a cut (there is one) drops the oldest history. */
  private static final String CALENDAR =
      "SELECT "
          + Task.COLUMNS
          + " FROM tasks"
          + " WHERE user_id = $1 AND deleted_at IS NULL ORDER BY updated_at DESC, id LIMIT "
          + CalendarExport.MAX_TASKS;

  private CalendarDocument() {}

  /**
   * Read under the user's row-level security; each series' calendar form asked of the rules engine,
   * and rendered off the event loop ({@link CalendarExport#export}).
   */
  static Future<String> of(UserDb db, Vertx vertx, SeriesRules rules, String user) {
    return db.read(user, CALENDAR, Tuple.of(user))
        .compose(
            rows -> {
              List<Task> tasks = new ArrayList<>();
              rows.forEach(row -> tasks.add(Task.fromRow(row)));
              return CalendarExport.export(vertx, rules, tasks);
            });
  }

  /**
   * 200 with the document and a strong ETag (a digest of its bytes: the document is a pure function
   * of the tasks), or 304 when the client's {@code If-None-Match} names it: calendar apps poll.
   */
  static void send(RoutingContext ctx, String document) {
    byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
    String etag = etag(bytes);
    if (ETags.notModified(ctx, etag)) {
      return;
    }
    ctx.response()
        .putHeader("Content-Type", "text/calendar; charset=utf-8")
        .putHeader("Content-Disposition", "inline; filename=\"taskbus.ics\"")
        .putHeader("ETag", etag)
        .end(io.vertx.core.buffer.Buffer.buffer(bytes));
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
