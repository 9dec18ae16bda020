package io.taskbus.api;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/** An opaque keyset position: clients pass it back unchanged; it never skips or repeats rows. */
record Cursor(OffsetDateTime createdAt, UUID id) {

  String encode() {
    String raw = createdAt.toString() + "|" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static Cursor decode(String text) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      return new Cursor(OffsetDateTime.parse(raw.substring(0, bar)),
          UUID.fromString(raw.substring(bar + 1)));
    } catch (RuntimeException e) {
      throw ApiException.badRequest("cursor is not one this API issued");
    }
  }
}
