package io.taskbus.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Collects every bad field of a request, so one answer lists them all. */
final class Violations {

  private final JsonArray errors = new JsonArray();

  Violations add(String field, String message) {
    return add(field, message, null);
  }

  /** With details a client can use, e.g. the position of a mistake in a filter. */
  Violations add(String field, String message, JsonObject details) {
    JsonObject error = new JsonObject().put("field", field).put("message", message);
    if (details != null) {
      error.mergeIn(details);
    }
    errors.add(error);
    return this;
  }

  int size() {
    return errors.size();
  }

  /** Each error found so far, in order. */
  JsonArray errors() {
    return errors.copy();
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  void throwIfAny() {
    if (!errors.isEmpty()) {
      throw toException();
    }
  }

  ApiException toException() {
    StringBuilder detail = new StringBuilder();
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      detail
          .append(i == 0 ? "" : "; ")
          .append(e.getString("field"))
          .append(' ')
          .append(e.getString("message"));
    }
    return new ApiException(
        400, "validation-failed", "Validation Failed", detail.toString(), errors);
  }

  static ApiException of(String field, String message) {
    return new Violations().add(field, message).toException();
  }
}
