package io.taskbus.contracts;

/**
 * Attribute names of the one event envelope used on the bus, in Kafka and on the bridge:
 * CloudEvents 1.0 in structured JSON mode, with taskbus extensions.
 */
public final class Envelope {

  public static final String SPECVERSION = "specversion";
  public static final String SPECVERSION_VALUE = "1.0";

  /** The outbox id, as a string: unique and the idempotency key of every consumer. */
  public static final String ID = "id";

  public static final String TYPE = "type";
  public static final String SOURCE = "source";
  public static final String SOURCE_VALUE = "/taskbus/api";

  /** The task id. */
  public static final String SUBJECT = "subject";

  public static final String TIME = "time";
  public static final String DATACONTENTTYPE = "datacontenttype";
  public static final String DATA = "data";

  /** Extension: the user who owns the task (and the Kafka key). */
  public static final String USER_ID = "userid";

  /** Extension: per-user sequence number, only ever grows. */
  public static final String SEQ = "seq";

  /** Extension: the id of the HTTP request that caused the change, when there was one. */
  public static final String REQUEST_ID = "requestid";

  /**
   * The failure code a consumer of an ack subscription gives a record that is bad: retried a few
   * times, then written to the dead-letter topic.
   */
  public static final int REFUSED = 400;

  /**
   * The failure code a consumer gives when what it needs (its database, the API) is away: the
   * record is not at fault, so it waits and is tried again, never dead-lettered; an HTTP request
   * that meets it is answered 503.
   */
  public static final int UNAVAILABLE = 503;

  /** Inside {@code data}: the task after the change. */
  public static final String DATA_TASK = "task";

  /** Inside {@code data}: changed fields as {@code {field: {old, new}}}. */
  public static final String DATA_CHANGES = "changes";

  private Envelope() {}
}
