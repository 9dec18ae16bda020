package io.taskbus.api;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque keyset position: the sort it belongs to and the last row's sort key and id. Clients
 * pass it back unchanged; rows inserted meanwhile are neither skipped nor repeated.
 */
record ListCursor(String sort, String order, String key, UUID id) {

  String encode() {
    String json =
        new JsonObject()
            .put("s", sort)
            .put("o", order)
            .put("k", key)
            .put("i", id.toString())
            .encode();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static ListCursor decode(String text, String sort, String order) {
    ListCursor cursor;
    try {
      JsonObject json =
          new JsonObject(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
      cursor =
          new ListCursor(
              json.getString("s"),
              json.getString("o"),
              json.getString("k"),
              UUID.fromString(json.getString("i")));
    } catch (RuntimeException e) {
      throw Violations.of("cursor", "is not a cursor this API issued");
    }
    if (!sort.equals(cursor.sort()) || !order.equals(cursor.order())) {
      throw Violations.of(
          "cursor",
          "belongs to sort="
              + cursor.sort()
              + "&order="
              + cursor.order()
              + "; pass the same sort and order with it");
    }
    return cursor;
  }
}
