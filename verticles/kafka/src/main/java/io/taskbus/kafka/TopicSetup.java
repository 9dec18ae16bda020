package io.taskbus.kafka;

import io.taskbus.contracts.Failures;
import io.taskbus.contracts.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.client.common.TopicPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics taskbus needs when they are missing (an operator may pre-create them). */
final class TopicSetup {

  /** What every process needs. */
  static final List<String> TASKBUS_TOPICS = List.of(Topics.TASK_EVENTS, Topics.TASK_EVENTS_DLQ);

  /** How long a new topic may take to get a leader for every partition. */
  private static final long LEADERS_WITHIN_MS = 15_000;

  private final Vertx vertx;
  private final KafkaAdminClient admin;
  private final KafkaSettings settings;
  private final List<String> names;

  TopicSetup(Vertx vertx, KafkaAdminClient admin, KafkaSettings settings, List<String> names) {
    this.vertx = vertx;
    this.admin = admin;
    this.settings = settings;
    this.names = names;
  }

  /** The topics exist; those it created have a leader answering for every partition. */
  Future<Void> ensure() {
    return admin
        .listTopics()
        .compose(
            existing -> {
              List<NewTopic> missing =
                  names.stream()
                      .filter(name -> !existing.contains(name))
                      .map(
                          name ->
                              new NewTopic(
                                      name, settings.partitions(), settings.replicationFactor())
                                  .setConfig(Map.of("min.insync.replicas", "1")))
                      .toList();
              return missing.isEmpty()
                  ? Future.<Void>succeededFuture()
                  : admin
                      .createTopics(missing)
                      .recover(
                          e ->
                              // another process created them between our list and create
                              createdMeanwhile(e)
                                  ? Future.succeededFuture()
                                  : Future.failedFuture(e))
                      .compose(v -> leaders(System.currentTimeMillis() + LEADERS_WITHIN_MS));
            });
  }

  private static boolean createdMeanwhile(Throwable failure) {
    return Failures.causeOf(failure, TopicExistsException.class) != null;
  }

  /**
   * Waits until every new partition's leader answers: the first sends to a topic created a moment
   * before were refused (NOT_LEADER_OR_FOLLOWER) by a broker that already listed itself as the
   * leader, and the idempotent producer's retries then failed with out-of-order sequence numbers
   * until their delivery timeout. Asking each leader for its end offset waits for the same thing.
   */
  private Future<Void> leaders(long deadline) {
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (String name : names) {
      for (int p = 0; p < settings.partitions(); p++) {
        ends.put(new TopicPartition(name, p), OffsetSpec.LATEST);
      }
    }
    return admin
        .listOffsets(ends)
        .<Void>mapEmpty()
        .recover(
            e ->
                System.currentTimeMillis() > deadline
                    ? Future.failedFuture(e)
                    : vertx.timer(100).compose(t -> leaders(deadline)));
  }
}
