package io.taskbus.audit;

import io.taskbus.contracts.Envelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for audit rows: events that arrive while a batch is being written go into the next
 * one, so a busy stream costs one INSERT per batch and an idle one adds no waiting. Each message
 * is answered only after its row is durable; a full queue answers {@link Envelope#UNAVAILABLE}
 * so the sender waits and retries.
 */
final class AuditWriter {

  private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);

  private final Vertx vertx;
  private final AuditRepository repository;
  private final int batchSize;
  private final int maxQueued;
  private List<Pending> queue = new ArrayList<>();
  private boolean writing;
  private Future<Void> lastWrite = Future.succeededFuture();

  AuditWriter(Vertx vertx, AuditRepository repository, int batchSize, int maxQueued) {
    this.vertx = vertx;
    this.repository = repository;
    this.batchSize = batchSize;
    this.maxQueued = maxQueued;
  }

  void accept(Message<Object> message) {
    if (queue.size() >= maxQueued) {
      message.fail(Envelope.UNAVAILABLE, "audit writer queue is full");
      return;
    }
    AuditRow row;
    try {
      row = AuditRow.of(message.body());
    } catch (RuntimeException e) {
      message.fail(Envelope.REFUSED, "not an event envelope: " + e.getMessage());
      return;
    }
    queue.add(new Pending(message, row));
    if (!writing) {
      writeNext();
    }
  }

  private void writeNext() {
    if (queue.isEmpty()) {
      writing = false;
      return;
    }
    writing = true;
    List<Pending> batch;
    if (queue.size() <= batchSize) {
      batch = queue;
      queue = new ArrayList<>();
    } else {
      batch = new ArrayList<>(queue.subList(0, batchSize));
      queue = new ArrayList<>(queue.subList(batchSize, queue.size()));
    }
    lastWrite = repository.insert(batch.stream().map(Pending::row).toList()).onComplete(ar -> {
      if (ar.succeeded()) {
        batch.forEach(p -> p.message().reply(null));
      } else {
        log.warn("audit batch of {} failed: {}", batch.size(), ar.cause().getMessage());
        batch.forEach(p -> p.message().fail(Envelope.UNAVAILABLE,
            "audit write failed: " + ar.cause().getMessage()));
      }
      writeNext();
    });
  }

  private record Pending(Message<Object> message, AuditRow row) {}

  /** Lets the batch being written finish before the verticle goes away. */
  Future<Void> flush() {
    return lastWrite.recover(e -> Future.succeededFuture());
  }
}
