package io.taskbus.kafka;

import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends the events of the audit log to a topic again, as the relay sent them to task-events (the
 * same envelope, key and headers), for a Kafka rebuilt empty or a consumer that starts later than
 * the topic's retention. Each user's events go in their sequence order through one idempotent
 * producer, so they arrive in that order.
 */
public final class AuditReplay {

  /**
   * What to send: every event, or those at or after {@code since}, of every user or one. Rows
   * without a sequence number were not written by the relay (every taskbus event has one), so there
   * is no record of theirs to repeat.
   */
  private static final String SELECT =
      "SELECT event_id AS id, user_id, seq, type, subject, time, request_id, data::text AS data"
          + " FROM audit_log WHERE seq IS NOT NULL"
          + " AND ($1::timestamptz IS NULL OR time >= $1) AND ($2::text IS NULL OR user_id = $2)"
          + " ORDER BY user_id, seq, event_id";

  /** Rows read and sent at a time: what the producer holds unacknowledged at most. */
  private static final int BATCH = 500;

  /**
   * @param topic where to send the events; created like task-events when missing
   * @param since only events at or after this time, or null for all
   * @param userId only this user's events, or null for every user's
   */
  public record Selection(String topic, Instant since, String userId) {}

  private AuditReplay() {}

  /**
   * Sends the selected events with the {@code kafka} settings of the configuration, reading the
   * database {@code pg} (the launcher's options from {@code pg.url}, TLS included); completes with
   * how many Kafka acknowledged, once all were.
   */
  public static Future<Long> run(
      Vertx vertx, JsonObject config, PgConnectOptions pg, Selection selection) {
    KafkaSettings settings = new KafkaSettings(config.getJsonObject("kafka"));
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, settings.admin());
    KafkaProducer<String, String> producer = KafkaProducer.create(vertx, settings.producer());
    OffsetDateTime since =
        selection.since() == null ? null : selection.since().atOffset(ZoneOffset.UTC);
    return new TopicSetup(vertx, admin, settings, List.of(selection.topic()))
        .ensure()
        .compose(v -> PgConnection.connect(vertx, pg))
        .compose(
            conn ->
                // a cursor lives in a transaction, which also makes the whole read one snapshot
                conn.begin()
                    .compose(tx -> conn.prepare(SELECT))
                    .compose(
                        statement ->
                            send(
                                statement.cursor(Tuple.of(since, selection.userId())),
                                producer,
                                selection.topic(),
                                0))
                    .eventually(conn::close))
        .eventually(() -> producer.close().eventually(admin::close));
  }

  private static Future<Long> send(
      Cursor cursor, KafkaProducer<String, String> producer, String topic, long sentBefore) {
    return cursor
        .read(BATCH)
        .compose(
            rows -> {
              List<Future<?>> acks = new ArrayList<>(rows.size());
              for (Row row : rows) {
                acks.add(producer.send(OutboxRelay.record(topic, row, Span.getInvalid())));
              }
              long sent = sentBefore + rows.size();
              return Future.join(acks)
                  .compose(
                      v ->
                          cursor.hasMore()
                              ? send(cursor, producer, topic, sent)
                              : Future.succeededFuture(sent));
            });
  }
}
