package io.taskbus.bridge;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskbus.contracts.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who is connected. While a node holds connections of a user it listens on that user's presence
 * address, and answers with its count; the cluster drops the listener with the node, so a crashed
 * bridge never leaves a user "online". One instance per event loop; the process-wide connection
 * count feeds {@code taskbus_bridge_connections}.
 */
final class Presence {

  private static final AtomicInteger CONNECTIONS = new AtomicInteger();

  private final Vertx vertx;
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<String, MessageConsumer<JsonObject>> listeners = new HashMap<>();

  Presence(Vertx vertx) {
    this.vertx = vertx;
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      // registering again returns the meter the other event loop registered
      Gauge.builder("taskbus.bridge.connections", CONNECTIONS, AtomicInteger::get)
          .description("Live bridge connections in this process")
          .register(registry);
    }
  }

  /** Live bridge connections in this process, all event loops together. */
  static int connections() {
    return CONNECTIONS.get();
  }

  void connected(String user) {
    CONNECTIONS.incrementAndGet();
    int count = counts.merge(user, 1, Integer::sum);
    if (count == 1) {
      // publish-gather: every node holding the user answers to the asker's reply address
      listeners.put(
          user,
          vertx
              .eventBus()
              .<JsonObject>consumer(
                  Addresses.presence(user),
                  msg -> {
                    String replyTo = msg.body() == null ? null : msg.body().getString("replyTo");
                    JsonObject answer =
                        new JsonObject().put("connections", counts.getOrDefault(user, 0));
                    if (replyTo != null) {
                      vertx.eventBus().send(replyTo, answer);
                    } else {
                      msg.reply(answer);
                    }
                  }));
    }
  }

  void disconnected(String user) {
    CONNECTIONS.decrementAndGet();
    Integer count = counts.computeIfPresent(user, (u, c) -> c > 1 ? c - 1 : null);
    if (count == null) {
      MessageConsumer<JsonObject> listener = listeners.remove(user);
      if (listener != null) {
        listener.unregister();
      }
    }
  }
}
