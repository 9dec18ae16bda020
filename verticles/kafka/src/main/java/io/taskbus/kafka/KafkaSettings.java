package io.taskbus.kafka;

import static io.taskbus.contracts.ConfigValues.integer;
import static io.taskbus.contracts.ConfigValues.longValue;
import static io.taskbus.contracts.ConfigValues.section;

import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.kafka.client.common.KafkaClientOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * Client properties derived from the {@code kafka} config section; every key read here must be in
 * {@code conf/taskbus.yaml}, the one place a default lives.
 */
final class KafkaSettings {

  private final JsonObject config;
  private final KafkaSecurity security;

  KafkaSettings(JsonObject config) {
    this.config = config;
    if (config.getString("bootstrapServers") == null) {
      throw new IllegalArgumentException("kafka.bootstrapServers is not configured");
    }
    this.security = new KafkaSecurity(section(config, "security"));
  }

  String bootstrapServers() {
    return config.getString("bootstrapServers");
  }

  KafkaSecurity security() {
    return security;
  }

  int partitions() {
    return integer(config, "partitions");
  }

  short replicationFactor() {
    return (short) integer(config, "replicationFactor");
  }

  Map<String, String> admin() {
    Map<String, String> p = common();
    p.put("request.timeout.ms", "5000");
    p.put("default.api.timeout.ms", "5000");
    return p;
  }

  /** Idempotent and acks=all: a record the relay saw acknowledged is durable and not doubled. */
  Map<String, String> producer() {
    Map<String, String> p = common();
    p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", "5");
    p.put("linger.ms", Long.toString(longValue(config, "lingerMs")));
    p.put("max.block.ms", "10000");
    // A record never expires in the producer: one that did was overtaken by the records behind it,
    // which the broker took once it was back, and the relay then sent it again after them (a
    // user's seq 18-25 after 26-81). The producer retries until the broker answers; the relay
    // bounds what it holds (one batch) and says when Kafka is away (OutboxRelay.STALLED_MS).
    p.put("delivery.timeout.ms", Integer.toString(Integer.MAX_VALUE));
    p.put("request.timeout.ms", "10000");
    return p;
  }

  /**
   * A subscription's consumer. Its {@code fetchMinBytes} and {@code fetchMaxWaitMs} override the
   * section's: what feeds a browser wants events at once, what writes history can take them in
   * bigger, rarer fetches (each fetch costs the broker and the poll loop as much as its records).
   */
  KafkaClientOptions consumer(JsonObject subscription, boolean durable) {
    // the subscriptions make their own spans, each a child of the record's traceparent and the
    // parent of what it sends on the event bus (Tracing); Vert.x's would end with the handler call
    return new KafkaClientOptions()
        .setConfig(new HashMap<>(consumerConfig(subscription, durable)))
        .setTracingPolicy(TracingPolicy.IGNORE);
  }

  private Map<String, String> consumerConfig(JsonObject subscription, boolean durable) {
    Map<String, String> p = common();
    p.put("group.id", subscription.getString("group"));
    p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    // durable consumers commit what their bus consumer acknowledged; live fan-out only cares about
    // now
    p.put("enable.auto.commit", durable ? "false" : "true");
    p.put("auto.offset.reset", durable ? "earliest" : "latest");
    p.put("max.poll.records", "500");
    p.put("session.timeout.ms", Long.toString(longValue(config, "sessionTimeoutMs")));
    p.put("heartbeat.interval.ms", "1000");
    // also the rebalance timeout: every rebalance of a group waits this long for a member that
    // stopped polling (ours poll while they hold back), so a stuck one costs a minute, not five
    p.put("max.poll.interval.ms", "60000");
    // a fetch waits for some bytes (or fetchMaxWaitMs) instead of returning each record alone:
    // four consumer groups fetching every event one by one cost the broker more than the events
    p.put("fetch.min.bytes", Long.toString(longValue(subscription, "fetchMinBytes")));
    p.put("fetch.max.wait.ms", Long.toString(longValue(subscription, "fetchMaxWaitMs")));
    return p;
  }

  /**
   * A subscription's settings: {@code kafka.subscriptionDefaults}, the section's fetch settings,
   * then the subscription's own keys over them.
   */
  JsonObject subscription(JsonObject own) {
    JsonObject merged =
        section(config, "subscriptionDefaults")
            .copy()
            .put("fetchMinBytes", config.getValue("fetchMinBytes"))
            .put("fetchMaxWaitMs", config.getValue("fetchMaxWaitMs"));
    return merged.mergeIn(own);
  }

  /** What every client has: the producer, the consumers and the admin client alike. */
  private Map<String, String> common() {
    Map<String, String> p = new HashMap<>(security.properties());
    p.put("bootstrap.servers", bootstrapServers());
    p.put("client.id", "taskbus-" + ProcessHandle.current().pid());
    // KIP-714: clients push their metrics to brokers that collect them (taskbus's own, the relay's
    // and the consumers' lag, are on /metrics). On by default, it formats a string in every poll of
    // every client: about 1 % of the app JVM's CPU per create (perf/README.md, the create scenario)
    p.put("enable.metrics.push", "false");
    return p;
  }
}
