package io.taskbus.perf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka side of perf/run-relay.sh, two commands:
 *
 * <pre>java -cp taskbus-perf.jar io.taskbus.perf.RelayDrain watch --bootstrap HOST:PORT
 *     --expect 200000 --relay-pids 12,34 --kafka-pid 56 --timeout 600
 * java -cp taskbus-perf.jar io.taskbus.perf.RelayDrain bare --bootstrap HOST:PORT
 *     --records 200000 --users 2000 --kafka-pid 56</pre>
 *
 * {@code watch} reads task-events' end offsets every 20 ms until {@code expect} more records are
 * there than when it started: the relays' drain, timed from the first new record to the last, with
 * the CPU of the relay JVMs, PostgreSQL (TASKBUS_PERF_PG_PID) and Kafka (the JVM hosting the
 * broker) over the same window. {@code bare} is the baseline: a plain kafka-clients producer with
 * the relay's settings sending as many records, with the keys the outbox rows have and a value and
 * headers copied from a record the relay sent, to a topic of its own on the same broker. Both print
 * {@code key=value} lines.
 */
public final class RelayDrain {

  static final String TOPIC = "task-events";
  static final String BARE_TOPIC = "perf-bare-relay";

  private static final Map<String, String> DEFAULTS = Options.defaults(
      "bootstrap", "127.0.0.1:9092", "expect", "200000", "relay-pids", "", "kafka-pid", "0",
      "timeout", "600", "records", "200000", "users", "2000", "user-prefix", "perf-relay-u",
      "linger-ms", "5", "window", "0", "passes", "1");

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !(args[0].equals("watch") || args[0].equals("bare"))) {
      System.err.println("usage: RelayDrain watch|bare --option value ... (" + DEFAULTS + ")");
      System.exit(2);
    }
    Options o = Options.parseOrExit(java.util.Arrays.copyOfRange(args, 1, args.length), DEFAULTS);
    Map<String, String> out = new LinkedHashMap<>();
    int rc = 0;
    try {
      if (args[0].equals("watch")) {
        watch(o, out);
      } else {
        bare(o, out);
      }
    } catch (Exception e) {
      out.put("error", String.valueOf(e.getMessage()).replace('\n', ' '));
      rc = 1;
    }
    out.forEach((k, v) -> System.out.println(k + "=" + v));
    System.out.flush();
    System.exit(rc);
  }

  /** What the relay's producer gets from KafkaSettings.producer() (conf/taskbus.yaml defaults). */
  static Properties producerSettings(String bootstrap, long lingerMs) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", "5");
    p.put("linger.ms", Long.toString(lingerMs));
    p.put("max.block.ms", "10000");
    p.put("delivery.timeout.ms", Integer.toString(Integer.MAX_VALUE));
    p.put("request.timeout.ms", "10000");
    return p;
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("enable.auto.commit", "false");
    p.put("default.api.timeout.ms", "10000");
    return new KafkaConsumer<>(p);
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    List<TopicPartition> all = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
      all.add(new TopicPartition(topic, info.partition()));
    }
    if (all.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " has no partitions");
    }
    return all;
  }

  private static long endOffsets(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
    return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
        .mapToLong(Long::longValue).sum();
  }

  private static List<Long> pids(String list) {
    List<Long> pids = new ArrayList<>();
    for (String pid : list.split(",")) {
      if (!pid.isBlank()) {
        pids.add(Long.parseLong(pid.trim()));
      }
    }
    return pids;
  }

  /** The CPU of the measured processes at one moment. */
  private record Ticks(long relays, long postgres, long kafka, long self, long nanos) {
    static Ticks take(List<Long> relayPids, long kafkaPid) {
      Cpu.Snapshot s = Cpu.take(kafkaPid);
      long relays = 0;
      for (long pid : relayPids) {
        relays += Cpu.processTicks(pid);
      }
      return new Ticks(relays, s.postgres(), s.app(), s.self(), s.nanos());
    }
  }

  private static void watch(Options o, Map<String, String> out) throws InterruptedException {
    long expect = o.integer("expect");
    List<Long> relays = pids(o.string("relay-pids"));
    long kafkaPid = o.integer("kafka-pid");
    long deadline = System.nanoTime() + o.integer("timeout") * 1_000_000_000L;
    try (KafkaConsumer<String, String> consumer = consumer(o.string("bootstrap"))) {
      List<TopicPartition> partitions = partitions(consumer, TOPIC);
      long base = endOffsets(consumer, partitions);
      long started = System.nanoTime();
      System.err.printf("[relay-drain] %s at %d records; waiting for %d more%n", TOPIC, base,
          expect);
      Ticks first = null;
      long seen = 0;
      long lastLog = started;
      while (seen < expect) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(String.format(Locale.ROOT,
              "only %d of %d records reached %s within %d s", seen, expect, TOPIC,
              o.integer("timeout")));
        }
        Thread.sleep(20);
        seen = endOffsets(consumer, partitions) - base;
        if (first == null && seen > 0) {
          first = Ticks.take(relays, kafkaPid);
          out.put("first_after_s", secs(first.nanos - started));
        }
        if (System.nanoTime() - lastLog > 5_000_000_000L) {
          lastLog = System.nanoTime();
          System.err.printf("[relay-drain] %d of %d records in Kafka%n", seen, expect);
        }
      }
      Ticks last = Ticks.take(relays, kafkaPid);
      double seconds = (last.nanos - first.nanos) / 1e9;
      out.put("records", String.valueOf(seen));
      out.put("seconds", String.format(Locale.ROOT, "%.2f", seconds));
      // the first record is there when the window opens: the rest took the window
      out.put("rate", String.format(Locale.ROOT, "%.1f", seen / seconds));
      CpuCost cost = new CpuCost()
          .add("relay JVMs", last.relays - first.relays)
          .add("postgres", last.postgres - first.postgres)
          .add("Kafka (broker JVM)", last.kafka - first.kafka);
      cores(out, "relay", last.relays - first.relays, seconds);
      cores(out, "postgres", last.postgres - first.postgres, seconds);
      cores(out, "kafka", last.kafka - first.kafka, seconds);
      out.put("cpu_per_row", cost.line("row", seen));
    }
  }

  private static void cores(Map<String, String> out, String name, long ticks, double seconds) {
    out.put(name + "_cores", String.format(Locale.ROOT, "%.2f", Cpu.seconds(ticks) / seconds));
  }

  private static String secs(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
  }

  /** A record the relay sent: the bare producer's records get its value and headers. */
  private static ConsumerRecord<String, String> sample(String bootstrap)
      throws InterruptedException {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = partitions(consumer, TOPIC);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, String> r : records) {
          if (r.value() != null && r.value().contains("task.created")) {
            return r;
          }
        }
      }
      throw new IllegalStateException("no task.created record in " + TOPIC + " to copy");
    }
  }

  private static void bare(Options o, Map<String, String> out) throws Exception {
    String bootstrap = o.string("bootstrap");
    long kafkaPid = o.integer("kafka-pid");
    int records = o.integer("records");
    int users = o.integer("users");
    int window = o.integer("window");
    ConsumerRecord<String, String> sample = sample(bootstrap);
    out.put("value_bytes", String.valueOf(sample.serializedValueSize()));
    int partitions;
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      partitions = partitions(consumer, TOPIC).size();
    }
    Properties adminProps = new Properties();
    adminProps.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(adminProps)) {
      admin.createTopics(List.of(new NewTopic(BARE_TOPIC, partitions, (short) 1))).all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(
        producerSettings(bootstrap, o.integer("linger-ms")))) {
      for (int pass = 1; pass <= o.integer("passes"); pass++) {
        String prefix = o.integer("passes") > 1 ? "pass" + pass + "_" : "";
        Ticks t0 = Ticks.take(List.of(), kafkaPid);
        send(producer, sample, records, users, o.string("user-prefix"), window);
        Ticks t1 = Ticks.take(List.of(), kafkaPid);
        double seconds = (t1.nanos - t0.nanos) / 1e9;
        out.put(prefix + "records", String.valueOf(records));
        out.put(prefix + "seconds", String.format(Locale.ROOT, "%.2f", seconds));
        out.put(prefix + "rate", String.format(Locale.ROOT, "%.1f", records / seconds));
        cores(out, prefix + "producer", t1.self - t0.self, seconds);
        cores(out, prefix + "kafka", t1.kafka - t0.kafka, seconds);
        cores(out, prefix + "postgres", t1.postgres - t0.postgres, seconds);
        out.put(prefix + "cpu_per_row", new CpuCost()
            .add("bare producer JVM", t1.self - t0.self)
            .add("Kafka (broker JVM)", t1.kafka - t0.kafka)
            .line("row", records));
      }
    }
  }

  /**
   * Sends {@code records} records and waits for every acknowledgement; {@code window} > 0: at most
   * that many unacknowledged at once, the next batch only when the last is all acknowledged (what
   * the relay does with a batch of outbox rows); 0: as fast as the producer takes them.
   */
  private static void send(KafkaProducer<String, String> producer,
      ConsumerRecord<String, String> sample, int records, int users, String userPrefix,
      int window) throws InterruptedException {
    AtomicReference<Exception> failed = new AtomicReference<>();
    AtomicLong acked = new AtomicLong();
    Semaphore batch = new Semaphore(0);
    int sent = 0;
    while (sent < records) {
      int n = window > 0 ? Math.min(window, records - sent) : records;
      for (int i = 0; i < n; i++, sent++) {
        ProducerRecord<String, String> r = new ProducerRecord<>(BARE_TOPIC,
            userPrefix + (sent % users), sample.value());
        for (Header h : sample.headers()) {
          r.headers().add(h.key(), h.value());
        }
        producer.send(r, (meta, e) -> {
          if (e != null) {
            failed.compareAndSet(null, e);
          }
          acked.incrementAndGet();
          batch.release();
        });
      }
      if (!batch.tryAcquire(n, 60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no acknowledgement of " + n + " records within 60 s ("
            + acked.get() + " of " + records + " acknowledged)");
      }
      if (failed.get() != null) {
        throw new IllegalStateException("a send failed: " + failed.get());
      }
    }
  }

  private RelayDrain() {}
}
