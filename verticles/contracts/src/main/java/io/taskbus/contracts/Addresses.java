package io.taskbus.contracts;

/** Every event-bus address taskbus uses. Verticles talk only through these. */
public final class Addresses {

  /** Task events for the audit writer (ack mode: reply when stored). Body: envelope JSON. */
  public static final String AUDIT_EVENTS = "taskbus.audit.events";

  /** Request/reply: {@code {userId, taskId}} → {@code {items: [audit entries]}}. */
  public static final String AUDIT_HISTORY = "taskbus.audit.history";

  /**
   * Request/reply: {@code {userId, taskId?, types?, since?, until?, before?, limit}} → {@code
   * {items, nextCursor}}, newest first.
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

  /** Task events for the notification verticle (ack mode: reply when the inbox row is stored). */
  public static final String NOTIFICATION_EVENTS = "taskbus.notification.events";

  /**
   * Request/reply to the notification verticle: {@code {action, userId, ...}} with action one of
   * {@code list {limit, before?, unread?}} → {@code {items, nextCursor, unread}}, {@code count} →
   * {@code {unread}}, {@code read {id}} and {@code snooze {id, seconds}} → the notification, {@code
   * readAll} → {@code {updated, unread}}, {@code settings} and {@code saveSettings {settings}} →
   * the settings. Fails with 404 for a notification that is not the user's.
   */
  public static final String NOTIFICATION_REQUESTS = "taskbus.notification.requests";

  /**
   * Local to a process, published: the whole configuration after the mounted configuration file
   * changed. Verticles whose settings can change while running apply their section.
   */
  public static final String CONFIG_CHANGED = "taskbus.config.changed";

  /**
   * Local to a process, {@code taskbus.<role>.health}: the verticle of a role with state of its own
   * (kafka, recurrence, notification) answers {@code {ok, ...its detail}} for {@code /health/ready}
   * and {@code /health}, from what it keeps anyway: a probe every few seconds must stay cheap.
   */
  public static String health(String role) {
    return "taskbus." + role + ".health";
  }

  /**
   * Prefix of each cluster member's own ping address ({@code taskbus.cluster.ping.<node id>}):
   * readiness sends a request to it through the clustered event bus; the member replies its node
   * id.
   */
  public static final String CLUSTER_PING_PREFIX = "taskbus.cluster.ping.";

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

  /**
   * Notifications of one user, published to every open tab: {@code {kind: "notification",
   * notification, unread}} when one is delivered, {@code {kind: "state", ids | all, unread}} when
   * some were read or snoozed.
   */
  public static String userNotifications(String userId) {
    return userPrefix(userId) + "notifications";
  }

  private Addresses() {}
}
