package io.taskbus.contracts;

/** Every event-bus address taskbus uses. Verticles talk only through these. */
public final class Addresses {

  /** Task events for the audit writer (ack mode: reply when stored). Body: envelope JSON. */
  public static final String AUDIT_EVENTS = "taskbus.audit.events";

  /** Request/reply: {@code {userId, taskId}} → {@code {items: [audit entries]}}. */
  public static final String AUDIT_HISTORY = "taskbus.audit.history";

  /**
   * Request/reply: {@code {userId, taskId?, types?, since?, until?, before?, limit}} →
   * {@code {items, nextCursor}}, newest first.
   */
  public static final String AUDIT_QUERY = "taskbus.audit.query";

  /**
   * Request/reply to the recurrence verticle: {@code {recurrence, dueDate?, dueAt?, timeZone?,
   * seriesStart?, from?, limit?}} → {@code {recurrence (normalised), seriesStart, occurrence,
   * occurrences}}; fails with 400 and "field: reason" for a bad rule.
   */
  public static final String RECURRENCE_RULES = "taskbus.recurrence.rules";

  /** Task events for the recurrence verticle (ack mode): completions create next occurrences. */
  public static final String RECURRENCE_EVENTS = "taskbus.recurrence.events";

  /**
   * Commands to the api, the only writer of tasks: {@code {command: "createOccurrence", userId,
   * taskId, occurrence, dueDate?|dueAt?}} → {@code {created, taskId}}. Idempotent.
   */
  public static final String API_COMMANDS = "taskbus.api.commands";

  /** Local to a process: the kafka verticle answers {@code {ok, detail}} for readiness checks. */
  public static final String KAFKA_HEALTH = "taskbus.kafka.health";

  /** Prefix every per-user address starts with; the bridge lets a user register only its own. */
  public static final String USER_PREFIX = "user.";

  /** Template for subscriptions whose target address depends on the event's user. */
  public static final String USER_ID_PLACEHOLDER = "{userId}";

  public static String userPrefix(String userId) {
    return USER_PREFIX + userId + ".";
  }

  /**
   * Presence of one user: every bridge node with connections of the user listens here. A request
   * succeeds if the user is online anywhere; a publish with {@code {replyTo}} gathers every node's
   * {@code {connections}}.
   */
  public static String presence(String userId) {
    return "taskbus.presence." + userId;
  }

  /** Live task events of one user, published to every open browser tab of that user. */
  public static String userTasks(String userId) {
    return userPrefix(userId) + "tasks";
  }

  private Addresses() {}
}
