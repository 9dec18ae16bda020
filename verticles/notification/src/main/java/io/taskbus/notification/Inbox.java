package io.taskbus.notification;

import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The notification inbox in PostgreSQL: rows made from reminder events (one per event id, however
 * often it is delivered), and what a user does with them. Every statement names the user, so one
 * user never reads or changes another's rows. A snoozed row is out of sight until it comes back.
 */
final class Inbox {

  /** The events that become notifications; the rest are acknowledged and dropped. */
  static final Set<String> TYPES = Set.of(EventTypes.REMINDER_DUE, EventTypes.REMINDER_MISSED);

  private static final String VISIBLE = "(snoozed_until IS NULL OR snoozed_until <= now())";
  private static final String SETTINGS = "SELECT * FROM notification_settings WHERE user_id = $1";
  private static final String STORE =
      """
      INSERT INTO notifications (user_id, event_id, type, task_id, title, body, fire_at, deliver_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, now())
      ON CONFLICT (event_id) DO NOTHING RETURNING id""";
  private static final String LIST =
      "SELECT "
          + Notification.COLUMNS
          + ", sort_key"
          + " FROM notifications WHERE user_id = $1 AND "
          + VISIBLE
          + " AND ($2::bigint IS NULL OR sort_key < $2) AND (NOT $3 OR read_at IS NULL)"
          + " ORDER BY sort_key DESC LIMIT $4";
  private static final String UNREAD =
      "SELECT count(*) FROM notifications"
          + " WHERE user_id = $1 AND read_at IS NULL AND "
          + VISIBLE;
  /* Read before it was delivered (during quiet hours, say): nothing is left to deliver. */
  private static final String READ =
      "UPDATE notifications"
          + " SET read_at = coalesce(read_at, now()), deliver_at = NULL"
          + " WHERE id = $1 AND user_id = $2 RETURNING "
          + Notification.COLUMNS;
  private static final String READ_ALL =
      "UPDATE notifications SET read_at = now(), deliver_at = NULL"
          + " WHERE user_id = $1 AND read_at IS NULL AND "
          + VISIBLE
          + " RETURNING id";
  /* A new round: delivered again when it comes back, and on top of the list then. */
  private static final String SNOOZE =
      """
      UPDATE notifications SET snoozed_until = now() + make_interval(secs => $3),
        deliver_at = now() + make_interval(secs => $3), read_at = NULL, round = round + 1,
        attempts = 0, lease_until = NULL, sort_key = nextval('notifications_order')
      WHERE id = $1 AND user_id = $2 RETURNING\s"""
          + Notification.COLUMNS;
  private static final String SAVE_SETTINGS =
      """
      INSERT INTO notification_settings AS s
        (user_id, email, email_enabled, push_enabled, time_zone, quiet_start, quiet_end)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (user_id) DO UPDATE SET email = excluded.email,
        email_enabled = excluded.email_enabled, push_enabled = excluded.push_enabled,
        time_zone = excluded.time_zone, quiet_start = excluded.quiet_start,
        quiet_end = excluded.quiet_end, updated_at = now()
      RETURNING *""";

  private final Pool pool;

  Inbox(Pool pool) {
    this.pool = pool;
  }

  /** The new row's id, or null when the event was not one for the inbox or was stored before. */
  Future<UUID> store(JsonObject event) {
    String type = event.getString(Envelope.TYPE);
    if (type == null || !TYPES.contains(type)) {
      return Future.succeededFuture();
    }
    String user = event.getString(Envelope.USER_ID);
    JsonObject data = event.getJsonObject(Envelope.DATA, new JsonObject());
    JsonObject task = data.getJsonObject(Envelope.DATA_TASK);
    JsonObject reminder = data.getJsonObject("reminder", new JsonObject());
    String fireAt = reminder.getString("fireAt");
    return settings(user)
        .compose(
            settings ->
                pool.preparedQuery(STORE)
                    .execute(
                        Tuple.of(
                            user,
                            event.getString(Envelope.ID),
                            type,
                            uuid(
                                task == null
                                    ? event.getString(Envelope.SUBJECT)
                                    : task.getString("id", event.getString(Envelope.SUBJECT))),
                            Wording.title(task),
                            Wording.body(type, task, fireAt, settings.zone()),
                            fireAt == null ? null : OffsetDateTime.parse(fireAt))))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
  }

  /** {@code {items, nextCursor, unread}}, newest first. */
  Future<JsonObject> list(String user, int limit, Long before, boolean unreadOnly) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(user, before, unreadOnly, limit + 1))
        .compose(
            rows ->
                unread(user)
                    .map(
                        unread -> {
                          JsonArray items = new JsonArray();
                          Long last = null;
                          for (Row row : rows) {
                            if (items.size() == limit) {
                              break;
                            }
                            items.add(Notification.from(row).toJson());
                            last = row.getLong("sort_key");
                          }
                          return new JsonObject()
                              .put("items", items)
                              .put("nextCursor", rows.size() > limit ? String.valueOf(last) : null)
                              .put("unread", unread);
                        }));
  }

  Future<Integer> unread(String user) {
    return pool.preparedQuery(UNREAD)
        .execute(Tuple.of(user))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /** The notification after the change, or null when the user has no such notification. */
  Future<Notification> read(String user, UUID id) {
    return one(pool.preparedQuery(READ).execute(Tuple.of(id, user)));
  }

  /** The ids marked read. */
  Future<List<String>> readAll(String user) {
    return pool.preparedQuery(READ_ALL)
        .execute(Tuple.of(user))
        .map(
            rows -> {
              List<String> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(row.getUUID("id").toString()));
              return ids;
            });
  }

  Future<Notification> snooze(String user, UUID id, long seconds) {
    return one(pool.preparedQuery(SNOOZE).execute(Tuple.of(id, user, seconds)));
  }

  Future<Settings> settings(String user) {
    return pool.preparedQuery(SETTINGS)
        .execute(Tuple.of(user))
        .map(rows -> rows.size() == 0 ? Settings.DEFAULTS : Settings.from(rows.iterator().next()));
  }

  Future<Settings> saveSettings(String user, Settings s) {
    QuietHours quiet = s.quietHours();
    return pool.preparedQuery(SAVE_SETTINGS)
        .execute(
            Tuple.tuple()
                .addString(user)
                .addString(s.email())
                .addBoolean(s.emailEnabled())
                .addBoolean(s.pushEnabled())
                .addString(s.zone().getId())
                .addLocalTime(quiet == null ? null : quiet.start())
                .addLocalTime(quiet == null ? null : quiet.end()))
        .map(rows -> Settings.from(rows.iterator().next()));
  }

  private static Future<Notification> one(Future<RowSet<Row>> rows) {
    return rows.map(set -> set.size() == 0 ? null : Notification.from(set.iterator().next()));
  }

  private static UUID uuid(String text) {
    try {
      return text == null ? null : UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
