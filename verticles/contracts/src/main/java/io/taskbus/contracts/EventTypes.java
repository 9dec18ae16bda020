package io.taskbus.contracts;

/**
 * CloudEvents {@code type} values, past tense. The task events' JSON Schema is {@code
 * schemas/task-events.json}, one definition per type.
 */
public final class EventTypes {

  public static final String TASK_CREATED = "task.created";
  public static final String TASK_UPDATED = "task.updated";
  public static final String TASK_COMPLETED = "task.completed";
  public static final String TASK_REOPENED = "task.reopened";

  /** Moved to the trash (restorable). */
  public static final String TASK_DELETED = "task.deleted";

  public static final String TASK_RESTORED = "task.restored";

  /** The next occurrence of a recurring task was created after one was completed. */
  public static final String TASK_RECURRING_TRIGGERED = "task.recurring.triggered";

  /** A reminder's time came (written by the timers with the claim). */
  public static final String REMINDER_DUE = "reminder.due";

  /** A reminder was found long past its time after downtime: reported, not fired late. */
  public static final String REMINDER_MISSED = "reminder.missed";

  /** Removed from the trash for good. */
  public static final String TASK_PURGED = "task.purged";

  private EventTypes() {}
}
