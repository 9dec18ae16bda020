package io.taskbus.contracts;

/** Kafka topic names. */
public final class Topics {

  /** Every task event, keyed by user id so one user's events stay in order. */
  public static final String TASK_EVENTS = "task-events";

  /** Records a durable consumer could not process after its retries, with the error. */
  public static final String TASK_EVENTS_DLQ = "task-events.dlq";

  private Topics() {}
}
