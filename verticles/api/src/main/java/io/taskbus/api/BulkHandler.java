package io.taskbus.api;

import io.taskbus.api.TaskService.Change;
import io.taskbus.api.TaskService.Place;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code POST /tasks/bulk}: one action on up to 100 tasks in one transaction, with a result per id.
 * An id that is not the caller's live task gets a 404 result; the others still happen.
 */
final class BulkHandler {

  static final int MAX_IDS = 100;
  private static final Set<String> ACTIONS =
      Set.of("complete", "reopen", "delete", "addTags", "removeTags", "setPriority");
  private static final Set<String> FIELDS = Set.of("action", "ids", "tags", "priority");

  private final TaskService service = new TaskService();

  Future<Reply> run(SqlConnection conn, String user, String requestId, JsonObject body) {
    Violations v = new Violations();
    body.fieldNames().stream()
        .filter(f -> !FIELDS.contains(f))
        .forEach(f -> v.add(f, "is not a bulk field"));
    String action = body.getValue("action") instanceof String s ? s : null;
    if (action == null || !ACTIONS.contains(action)) {
      v.add("action", "must be one of " + new TreeSet<>(ACTIONS));
    }
    List<String> ids = ids(body.getValue("ids"), v);
    Function<Task, Change> operation = operation(action, body, v);
    v.throwIfAny();

    List<JsonObject> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String text : ids) {
      chain =
          chain.compose(
              done -> {
                UUID id = Uuids.parse(text);
                if (id == null) {
                  results.add(result(text, 404, null, "no such task"));
                  return Future.succeededFuture();
                }
                return service
                    .change(conn, user, id, null, requestId, Place.LIVE, operation)
                    .map(task -> results.add(result(text, 200, task, null)))
                    .recover(
                        e -> {
                          if (e instanceof ApiException api && api.status() < 500) {
                            results.add(result(text, api.status(), null, api.getMessage()));
                            return Future.succeededFuture();
                          }
                          return Future.failedFuture(e);
                        })
                    .mapEmpty();
              });
    }
    return chain.map(
        done ->
            Reply.of(
                200,
                new JsonObject().put("items", new JsonArray(results)).put("nextCursor", null)));
  }

  private static Function<Task, Change> operation(String action, JsonObject body, Violations v) {
    if (action == null) {
      return null;
    }
    return switch (action) {
      case "complete" -> TaskService::complete;
      case "reopen" -> TaskService::reopen;
      case "delete" -> TaskService::trash;
      case "setPriority" -> {
        String priority = TaskFields.priority(body.getValue("priority"), v);
        if (body.getValue("priority") == null) {
          v.add("priority", "is required for setPriority");
        }
        yield t -> TaskService.update(t.withPriority(priority));
      }
      case "addTags", "removeTags" -> {
        List<String> tags = TaskFields.tags(body.getValue("tags"), "tags", v);
        if (tags.isEmpty()) {
          v.add("tags", "must name at least one tag for " + action);
        }
        boolean add = action.equals("addTags");
        yield t -> {
          TreeSet<String> next = new TreeSet<>(t.tags());
          if (add) {
            next.addAll(tags);
          } else {
            next.removeAll(tags);
          }
          if (next.size() > TaskFields.TAGS_MAX) {
            throw new ApiException(
                422,
                "too-many-tags",
                "Unprocessable Content",
                "the task would have more than " + TaskFields.TAGS_MAX + " tags");
          }
          return TaskService.update(t.withTags(new ArrayList<>(next)));
        };
      }
      default -> null;
    };
  }

  private static List<String> ids(Object value, Violations v) {
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_IDS) {
      v.add("ids", "must be an array of 1 to " + MAX_IDS + " task ids");
      return List.of();
    }
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (Object id : array) {
      if (!(id instanceof String s)) {
        v.add("ids", "must contain only strings");
        return List.of();
      }
      ids.add(s);
    }
    return new ArrayList<>(ids);
  }

  private static JsonObject result(String id, int status, Task task, String error) {
    JsonObject result = new JsonObject().put("id", id).put("status", status);
    if (task != null) {
      result.put("task", task.toJson());
    }
    if (error != null) {
      result.put("error", error);
    }
    return result;
  }
}
