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

  /**
   * The stored answer again. Its ETag was stored with it; answers stored before that (a task's)
   * derive it from the version in the body.
   */
  Reply asReplay() {
    Integer version = body.getInteger("version");
    String tag = etag != null || version == null ? etag : Task.etag(body.getString("id"), version);
    return new Reply(status, body, location, tag, true);
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
