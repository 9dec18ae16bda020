package io.taskbus.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Validates a task body and lists every bad field at once. */
final class TaskInput {

  static final int TITLE_MAX = 500;
  static final int DESCRIPTION_MAX = 10_000;
  static final Set<String> PRIORITIES = Set.of("low", "medium", "high");
  private static final Set<String> CREATE_FIELDS = Set.of("title", "description", "priority");

  final String title;
  final String description;
  final String priority;

  private TaskInput(String title, String description, String priority) {
    this.title = title;
    this.description = description;
    this.priority = priority;
  }

  static TaskInput forCreate(JsonObject body) {
    JsonArray errors = new JsonArray();
    for (String field : body.fieldNames()) {
      if (!CREATE_FIELDS.contains(field)) {
        errors.add(error(field, "unknown field"));
      }
    }
    String title = text(body, "title", true, TITLE_MAX, errors);
    String description = text(body, "description", false, DESCRIPTION_MAX, errors);
    String priority = "medium";
    Object p = body.getValue("priority");
    if (p != null) {
      if (!(p instanceof String s) || !PRIORITIES.contains(s)) {
        errors.add(error("priority", "must be one of low, medium, high"));
      } else {
        priority = s;
      }
    }
    if (!errors.isEmpty()) {
      throw invalid(errors);
    }
    return new TaskInput(title.strip(), description, priority);
  }

  private static String text(JsonObject body, String field, boolean required, int max,
      JsonArray errors) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        errors.add(error(field, "is required"));
      }
      return null;
    }
    if (!(value instanceof String s)) {
      errors.add(error(field, "must be a string"));
      return null;
    }
    if (required && s.isBlank()) {
      errors.add(error(field, "must not be blank"));
    } else if (s.strip().length() > max) {
      errors.add(error(field, "must be at most " + max + " characters"));
    }
    return s;
  }

  static JsonObject error(String field, String message) {
    return new JsonObject().put("field", field).put("message", message);
  }

  static ApiException invalid(JsonArray errors) {
    StringBuilder detail = new StringBuilder();
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      detail.append(i == 0 ? "" : "; ").append(e.getString("field")).append(' ')
          .append(e.getString("message"));
    }
    return new ApiException(400, "validation-failed", "Validation Failed", detail.toString(),
        errors);
  }
}
