package io.taskbus.kafka;

import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.List;
import java.util.Map;

/** Creates the topics taskbus needs when they are missing (an operator may pre-create them). */
final class Topics {

  private final KafkaAdminClient admin;
  private final KafkaSettings settings;

  Topics(KafkaAdminClient admin, KafkaSettings settings) {
    this.admin = admin;
    this.settings = settings;
  }

  Future<Void> ensure() {
    return admin.listTopics().compose(existing -> {
      List<NewTopic> missing = List.of(io.taskbus.contracts.Topics.TASK_EVENTS,
              io.taskbus.contracts.Topics.TASK_EVENTS_DLQ).stream()
          .filter(name -> !existing.contains(name))
          .map(name -> new NewTopic(name, settings.partitions(), settings.replicationFactor())
              .setConfig(Map.of("min.insync.replicas", "1")))
          .toList();
      return missing.isEmpty() ? Future.<Void>succeededFuture()
          : admin.createTopics(missing).recover(e ->
              // another process created them between our list and create
              e.getClass().getSimpleName().contains("TopicExists") || String.valueOf(e.getMessage())
                  .contains("already exists") ? Future.succeededFuture() : Future.failedFuture(e));
    });
  }
}
