package io.taskbus.api;

import io.vertx.core.json.JsonObject;

/**
 * What a write produced, decided inside its transaction, so that an idempotent POST can store
 * exactly what the client was told.
 */
record Reply(int status, JsonObject body, String location, String etag, boolean replayed) {

  Reply(int status, JsonObject body, String location, String etag) {
    this(status, body, location, etag, false);
  }

  Reply asReplay() {
    Integer version = body.getInteger("version");
    return new Reply(
        status,
        body,
        location,
        version == null ? null : Task.etag(body.getString("id"), version),
        true);
  }

  static Reply ok(Task task) {
    return new Reply(200, task.toJson(), null, task.etag());
  }

  static Reply created(Task task, String location) {
    return new Reply(201, task.toJson(), location, task.etag());
  }

  static Reply of(int status, JsonObject body) {
    return new Reply(status, body, null, null);
  }
}
