package io.taskbus.contracts;

/** CloudEvents {@code type} values, past tense. JSON Schemas live in {@code schemas/<type>.json}. */
public final class EventTypes {

  public static final String TASK_CREATED = "task.created";
  public static final String TASK_UPDATED = "task.updated";
  public static final String TASK_COMPLETED = "task.completed";
  public static final String TASK_REOPENED = "task.reopened";
  public static final String TASK_DELETED = "task.deleted";

  private EventTypes() {}
}
