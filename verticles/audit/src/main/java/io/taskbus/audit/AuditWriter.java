package io.taskbus.audit;

import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for audit rows: events that arrive while a batch is being written go into the next
 * one, so a busy stream costs one INSERT per batch and an idle one adds no waiting. Each message is
 * answered only after its row is durable; a full queue answers {@link Envelope#UNAVAILABLE} so the
 * sender waits and retries.
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
    lastWrite =
        repository
            .insert(batch.stream().map(Pending::row).toList())
            .onComplete(
                ar -> {
                  if (ar.succeeded()) {
                    batch.forEach(p -> p.message().reply(null));
                  } else if (batch.size() > 1 && !Failures.passing(ar.cause())) {
                    // one bad row fails the whole INSERT: alone, only that one is refused
                    log.warn(
                        "audit batch of {} failed, writing its rows one by one: {}",
                        batch.size(),
                        ar.cause().getMessage());
                    lastWrite = oneByOne(batch).onComplete(v -> writeNext());
                    return;
                  } else {
                    log.warn("audit batch of {} failed: {}", batch.size(), ar.cause().getMessage());
                    batch.forEach(p -> failed(p, ar.cause()));
                  }
                  writeNext();
                });
  }

  private Future<Void> oneByOne(List<Pending> batch) {
    Future<Void> chain = Future.succeededFuture();
    for (Pending p : batch) {
      chain =
          chain.compose(
              v ->
                  repository
                      .insert(List.of(p.row()))
                      .onSuccess(done -> p.message().reply(null))
                      .onFailure(e -> failed(p, e))
                      .<Void>mapEmpty()
                      .otherwiseEmpty());
    }
    return chain;
  }

  private static void failed(Pending p, Throwable cause) {
    p.message().fail(Failures.replyCode(cause), "audit write failed: " + cause.getMessage());
  }

  private record Pending(Message<Object> message, AuditRow row) {}

  /** Lets the batch being written finish before the verticle goes away. */
  Future<Void> flush() {
    return lastWrite.recover(e -> Future.succeededFuture());
  }
}
