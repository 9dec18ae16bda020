package io.taskbus.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code notification} section of the configuration: the defaults live in {@code
 * conf/taskbus.yaml} only, so every key but the unset SMTP server and credentials is required, and
 * a missing or mistyped one is refused naming it. The section here is the one of {@code
 * conf/taskbus.yaml} (not on this module's class path), with an SMTP server set.
 */
class NotificationSettingsTest {

  static JsonObject section() {
    return new JsonObject()
        .put(
            "smtp",
            new JsonObject()
                .put("host", "smtp.example.com")
                .put("port", 587)
                .put("username", "taskbus")
                .put("password", "secret")
                .put("from", "taskbus <taskbus@localhost>")
                .put("starttls", "OPTIONAL")
                .put("ssl", false)
                .put("connectTimeoutMs", 5000)
                .put("maxConnections", 4)
                .put("idleTimeoutSeconds", 30))
        .put("publicUrl", "http://localhost:8080/")
        .put("sweepIntervalMs", 1000)
        .put("batchSize", 100)
        .put("leaseSeconds", 60)
        .put("presenceTimeoutMs", 2000)
        .put(
            "retry",
            new JsonObject().put("initialMs", 1000).put("maxMs", 300000).put("maxAttempts", 12));
  }

  /** The section with {@code path} ("batchSize", "smtp.port") set to {@code value}. */
  private static JsonObject with(String path, Object value) {
    JsonObject section = section();
    String[] parts = path.split("\\.", 2);
    if (parts.length == 2) {
      section.getJsonObject(parts[0]).put(parts[1], value);
    } else {
      section.put(path, value);
    }
    return section;
  }

  private static JsonObject without(String path) {
    JsonObject section = section();
    String[] parts = path.split("\\.", 2);
    if (parts.length == 2) {
      section.getJsonObject(parts[0]).remove(parts[1]);
    } else {
      section.remove(path);
    }
    return section;
  }

  @Test
  void everyKeyIsRead() {
    NotificationSettings s = NotificationSettings.from(section());
    assertEquals(
        new NotificationSettings.Smtp(
            "smtp.example.com",
            587,
            "taskbus",
            "secret",
            "taskbus <taskbus@localhost>",
            "OPTIONAL",
            false,
            5000,
            4,
            30),
        s.smtp());
    assertEquals("http://localhost:8080/", s.publicUrl());
    assertEquals(1000L, s.sweepIntervalMs());
    assertEquals(100, s.batchSize());
    assertEquals(60L, s.leaseSeconds());
    assertEquals(2000L, s.presenceTimeoutMs());
    assertEquals(1000L, s.retryInitialMs());
    assertEquals(300000L, s.retryMaxMs());
    assertEquals(12, s.retryMaxAttempts());
  }

  @Test
  void theSameSectionGivesEqualSettings() {
    // the verticle compares them to leave an unchanged configuration alone
    assertEquals(NotificationSettings.from(section()), NotificationSettings.from(section()));
    assertFalse(
        NotificationSettings.from(section())
            .equals(NotificationSettings.from(with("batchSize", 50))));
  }

  @Test
  void withoutAnSmtpHostNoEmailIsSent() {
    assertTrue(NotificationSettings.from(section()).smtp().configured());
    assertFalse(NotificationSettings.from(with("smtp.host", null)).smtp().configured());
    assertFalse(NotificationSettings.from(with("smtp.host", " ")).smtp().configured());
  }

  @Test
  void theServerAndItsCredentialsMayBeUnset() {
    JsonObject section = section();
    section.getJsonObject("smtp").remove("host");
    section.getJsonObject("smtp").put("username", null).remove("password");
    NotificationSettings.Smtp smtp = NotificationSettings.from(section).smtp();
    assertNull(smtp.host());
    assertNull(smtp.username());
    assertNull(smtp.password());
    assertEquals(25, NotificationSettings.from(with("smtp.port", 25)).smtp().port());
  }

  @ParameterizedTest
  @CsvSource({
    "smtp, jsonobject",
    "smtp.port, number",
    "smtp.from, string",
    "smtp.starttls, string",
    "smtp.ssl, boolean",
    "smtp.connectTimeoutMs, number",
    "smtp.maxConnections, number",
    "smtp.idleTimeoutSeconds, number",
    "publicUrl, string",
    "sweepIntervalMs, number",
    "batchSize, number",
    "leaseSeconds, number",
    "presenceTimeoutMs, number",
    "retry, jsonobject",
    "retry.initialMs, number",
    "retry.maxMs, number",
    "retry.maxAttempts, number"
  })
  void aMissingKeyIsRefusedByName(String path, String type) {
    String key = path.substring(path.indexOf('.') + 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> NotificationSettings.from(without(path)));
    assertEquals(
        "configuration key " + key + " must be a " + type + " and is missing", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "smtp.host, 25, string",
    "smtp.port, '25', number",
    "smtp.ssl, 'false', boolean",
    "batchSize, 'many', number",
    "publicUrl, 8080, string",
    "retry, 'fast', jsonobject"
  })
  void aMistypedKeyIsRefusedByName(String path, String text, String type) {
    Object value = "string".equals(type) ? (Object) Integer.valueOf(text) : text;
    String key = path.substring(path.indexOf('.') + 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> NotificationSettings.from(with(path, value)));
    assertEquals(
        "configuration key " + key + " must be a " + type + ", not " + text, e.getMessage());
  }

  @Test
  void aFailedMailIsTriedAgainAfterDoublingPausesUpToTheMaximum() {
    NotificationSettings settings = NotificationSettings.from(section());
    assertEquals(1_000, settings.retryDelayMs(0));
    assertEquals(2_000, settings.retryDelayMs(1));
    assertEquals(256_000, settings.retryDelayMs(8));
    assertEquals(300_000, settings.retryDelayMs(9), "capped at retry.maxMs");
    assertEquals(300_000, settings.retryDelayMs(40), "no overflow however often it failed");
  }
}
