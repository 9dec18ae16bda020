package io.taskbus.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's notification settings as the api hands them over ({@link Settings#fromJson}) and as the
 * user reads them back ({@link Settings#toJson}). The api checks every field before the settings
 * get here; what is not valid still never becomes settings.
 */
class SettingsTest {

  private static JsonObject full() {
    return new JsonObject()
        .put("email", "ada@example.com")
        .put("emailEnabled", false)
        .put("pushEnabled", true)
        .put("timeZone", "Europe/Berlin")
        .put("quietHours", new JsonObject().put("start", "22:00").put("end", "07:00"));
  }

  @Test
  void everyFieldIsRead() {
    Settings s = Settings.fromJson(full());
    assertEquals("ada@example.com", s.email());
    assertFalse(s.emailEnabled());
    assertTrue(s.pushEnabled());
    assertEquals(ZoneId.of("Europe/Berlin"), s.zone());
    assertEquals(new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0)), s.quietHours());
  }

  @Test
  void theUserReadsBackWhatWasSaved() {
    assertEquals(full(), Settings.fromJson(full()).toJson());
    JsonObject noQuiet = full().put("email", null).put("quietHours", null).put("timeZone", "UTC");
    assertEquals(noQuiet, Settings.fromJson(noQuiet).toJson());
    assertEquals(noQuiet, Settings.fromJson(Settings.fromJson(noQuiet).toJson()).toJson());
  }

  @Test
  void quietTimesReadBackInTheirShortestForm() {
    JsonObject json =
        full().put("quietHours", new JsonObject().put("start", "22:30:15").put("end", "07:00:00"));
    assertEquals(
        new JsonObject().put("start", "22:30:15").put("end", "07:00"),
        Settings.fromJson(json).toJson().getJsonObject("quietHours"));
  }

  @Test
  void fieldsLeftOutTakeTheDefaults() {
    Settings s = Settings.fromJson(new JsonObject());
    assertEquals(Settings.DEFAULTS, s);
    assertNull(s.email());
    assertTrue(s.emailEnabled());
    assertTrue(s.pushEnabled());
    assertEquals(ZoneId.of("UTC"), s.zone());
    assertNull(s.quietHours());
    assertEquals(
        new JsonObject()
            .put("email", null)
            .put("emailEnabled", true)
            .put("pushEnabled", true)
            .put("timeZone", "UTC")
            .put("quietHours", null),
        Settings.DEFAULTS.toJson());
  }

  @Test
  void anEmailGoesOutOnlyWithAnAddressAndTheSwitchOn() {
    assertTrue(Settings.fromJson(full().put("emailEnabled", true)).mailable());
    assertFalse(Settings.fromJson(full()).mailable(), "switched off");
    assertFalse(Settings.fromJson(full().put("emailEnabled", true).put("email", null)).mailable());
    assertFalse(Settings.fromJson(full().put("emailEnabled", true).put("email", " ")).mailable());
    assertFalse(Settings.DEFAULTS.mailable(), "no address by default");
  }

  /**
   * Not an {@link IllegalArgumentException} naming the field today (a {@code DateTimeException}, a
   * {@code NullPointerException} or a {@code ClassCastException}): the api answers bad settings
   * with a 400 before they get here. What this pins is that none is taken as something else.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"timeZone\": \"Mars/Olympus\"}",
        "{\"timeZone\": \"\"}",
        "{\"quietHours\": {\"start\": \"25:00\", \"end\": \"07:00\"}}",
        "{\"quietHours\": {\"start\": \"22:00\", \"end\": \"7:00\"}}",
        "{\"quietHours\": {\"start\": \"10pm\", \"end\": \"07:00\"}}",
        "{\"quietHours\": {\"start\": \"22:00\"}}",
        "{\"emailEnabled\": \"yes\"}",
        "{\"pushEnabled\": 1}"
      })
  void invalidSettingsAreRefused(String json) {
    assertThrows(RuntimeException.class, () -> Settings.fromJson(new JsonObject(json)));
  }
}
