package io.taskbus.notification;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * A user's notification settings. Without a row: push on, e-mail on but without an address (so none
 * is sent), UTC, no quiet hours. The api checks every field before they get here.
 */
record Settings(
    String email, boolean emailEnabled, boolean pushEnabled, ZoneId zone, QuietHours quietHours) {

  static final Settings DEFAULTS = new Settings(null, true, true, ZoneId.of("UTC"), null);

  /** From a row with the settings columns, or the defaults when the user has none. */
  static Settings from(Row row) {
    if (row.getString("time_zone") == null) {
      return DEFAULTS;
    }
    LocalTime start = row.getLocalTime("quiet_start");
    LocalTime end = row.getLocalTime("quiet_end");
    return new Settings(
        row.getString("email"),
        row.getBoolean("email_enabled"),
        row.getBoolean("push_enabled"),
        ZoneId.of(row.getString("time_zone")),
        start == null || end == null ? null : new QuietHours(start, end));
  }

  static Settings fromJson(JsonObject json) {
    JsonObject quiet = json.getJsonObject("quietHours");
    return new Settings(
        json.getString("email"),
        json.getBoolean("emailEnabled", true),
        json.getBoolean("pushEnabled", true),
        ZoneId.of(json.getString("timeZone", "UTC")),
        quiet == null
            ? null
            : new QuietHours(
                LocalTime.parse(quiet.getString("start")),
                LocalTime.parse(quiet.getString("end"))));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("email", email)
        .put("emailEnabled", emailEnabled)
        .put("pushEnabled", pushEnabled)
        .put("timeZone", zone.getId())
        .put(
            "quietHours",
            quietHours == null
                ? null
                : new JsonObject()
                    .put("start", quietHours.start().toString())
                    .put("end", quietHours.end().toString()));
  }

  /** Whether an e-mail can go out at all. */
  boolean mailable() {
    return emailEnabled && email != null && !email.isBlank();
  }
}
