package io.taskbus.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.taskbus.api.ApiBackgroundVerticle;
import io.taskbus.api.ApiRoutes;
import io.taskbus.audit.AuditVerticle;
import io.taskbus.contracts.ConfigValues;
import io.taskbus.contracts.EventCodec;
import io.taskbus.contracts.Tracing;
import io.taskbus.contracts.spi.EmbeddedInfrastructure;
import io.taskbus.kafka.KafkaVerticle;
import io.taskbus.notification.NotificationVerticle;
import io.taskbus.recurrence.RecurrenceAndRemindersVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running taskbus process: what {@link Main} starts, and what tests start and stop. */
public final class Taskbus {

  public static final Set<String> ALL_ROLES =
      Set.of("api", "bridge", "kafka", "audit", "recurrence", "notification");

  private static final Logger log = LoggerFactory.getLogger(Taskbus.class);

  /** No part of a stop may hang the process: an orchestrator would only kill it harder. */
  private static final long STOP_TIMEOUT_SECONDS = 20;

  private final Vertx vertx;
  private final Pools pools;
  private final EmbeddedInfrastructure embedded;
  private final List<Deployment> deployments;
  private final JsonObject config;

  /** The configuration as read, before the embedded servers' addresses were added to it. */
  private final JsonObject loaded;

  private final io.taskbus.api.RateLimiter rateLimiter;
  private ConfigReload reload;

  /** The tracing SDK, or null: closed last, so the spans of stopping are exported too. */
  private final OpenTelemetrySdk tracing;

  /** A deployed verticle, named so that a stop that hangs says which part hangs. */
  private record Deployment(String role, String id) {}

  private static Deployment deploy(
      Vertx vertx, String role, VerticleBase verticle, JsonObject config) throws Exception {
    return new Deployment(
        role, vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await());
  }

  private Taskbus(
      Vertx vertx,
      Pools pools,
      EmbeddedInfrastructure embedded,
      List<Deployment> deployments,
      JsonObject config,
      JsonObject loaded,
      io.taskbus.api.RateLimiter rateLimiter,
      OpenTelemetrySdk tracing) {
    this.vertx = vertx;
    this.tracing = tracing;
    this.loaded = loaded;
    this.rateLimiter = rateLimiter;
    this.pools = pools;
    this.embedded = embedded;
    this.deployments = deployments;
    this.config = config;
  }

  /** Blocking: call from a plain thread (main, or a test), never from an event loop. */
  public static Taskbus start(JsonObject config) throws Exception {
    Set<String> roles = roles(config.getString("verticles"));
    ConfigReload.logLevels(config);
    JsonObject loaded = config.copy();
    EmbeddedInfrastructure embedded = startEmbeddedIfUnconfigured(config);
    try {
      return start(config, loaded, roles, embedded);
    } catch (Throwable e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  private static Taskbus start(
      JsonObject config, JsonObject loaded, Set<String> roles, EmbeddedInfrastructure embedded)
      throws Exception {
    boolean devTokens = false;
    JsonObject auth = config.getJsonObject("auth");
    if (!Identity.configured(auth)) {
      if (embedded == null) {
        throw new IllegalStateException(
            "one of " + Identity.SOURCES + " must be set when PostgreSQL and Kafka are configured");
      }
      auth.put(
          "jwtSecret", DevKeys.load(Path.of(config.getJsonObject("dev").getString("dataDir"))));
      devTokens = true;
      log.info("development sign-in enabled: POST /api/v1/dev/token {\"user\":\"alice\"}");
    }
    Identity.validate(auth); // a bad key fails here, before anything starts

    PostgresConnection postgres = PostgresConnection.of(config.getJsonObject("pg"));
    Migrations.run(postgres);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .meterFilter(PrometheusNames.DENY_NON_BASE_UNITS)
        .meterFilter(PrometheusNames.RENAME)
        .meterFilter(LatencyBuckets.FILTER);
    VertxOptions options =
        new VertxOptions().setMetricsOptions(metricsOptions()).setPreferNativeTransport(true);
    OpenTelemetrySdk tracing = TracingSetup.create(config, roles, System.getenv());
    if (tracing != null) {
      options.setTracingOptions(new OpenTelemetryOptions());
    }
    var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
    if (tracing != null) {
      Tracing.install(tracing);
      builder.withTracer(new OpenTelemetryTracingFactory(tracing));
      log.info("tracing on: spans are exported over OTLP");
    }
    Vertx vertx;
    HazelcastClusterManager cluster = null;
    if (ConfigValues.bool(config, "cluster")) {
      JsonObject hz = config.getJsonObject("hazelcast");
      cluster = ClusterSetup.clusterManager(hz);
      JsonObject eventBus = ConfigValues.section(config, "eventbus");
      options
          .getEventBusOptions()
          .setHost(hz.getString("host"))
          .setPort(ConfigValues.integer(eventBus, "port"));
      if (EventBusTls.apply(options.getEventBusOptions(), ConfigValues.section(eventBus, "tls"))) {
        log.info("the clustered event bus uses TLS with client certificates");
      }
      vertx = builder.withClusterManager(cluster).buildClustered().await();
    } else {
      vertx = builder.build();
    }

    // before anything sends one: the events a subscription hands on, the same instance to every
    // consumer in the process
    EventCodec.register(vertx);

    Pools pools = new Pools(vertx, postgres.options, ConfigValues.section(config, "pg"));
    Pool pool = pools.of(Pools.API);

    List<Deployment> deployments = new ArrayList<>();
    io.taskbus.api.RateLimiter rateLimiter = ApiRoutes.rateLimiter(config);
    try {
      Identity identity = Identity.create(vertx, auth).await();
      HealthChecks readiness = Readiness.create(vertx, pool, roles, cluster);
      Services services =
          new Services(
              config,
              roles,
              pool,
              identity,
              devTokens,
              readiness,
              new ReadinessMeters(registry),
              registry,
              rateLimiter);
      // consumers first, so nothing the HTTP side produces waits for a missing listener
      if (roles.contains("audit")) {
        deployments.add(deploy(vertx, "audit", new AuditVerticle(pools.of("audit")), config));
      }
      if (roles.contains("recurrence")) {
        deployments.add(
            deploy(
                vertx,
                "recurrence",
                new RecurrenceAndRemindersVerticle(pools.of("recurrence")),
                config));
      }
      if (roles.contains("notification")) {
        deployments.add(
            deploy(
                vertx, "notification", new NotificationVerticle(pools.of("notification")), config));
      }
      if (roles.contains("api")) {
        deployments.add(deploy(vertx, "api", new ApiBackgroundVerticle(pool), config));
      }
      if (roles.contains("kafka")) {
        deployments.add(
            deploy(
                vertx, "kafka", new KafkaVerticle(new PgConnectOptions(postgres.options)), config));
      }
      int instances = config.getJsonObject("http").getInteger("instances");
      deployments.add(
          new Deployment(
              "http",
              vertx
                  .deployVerticle(
                      () -> new HttpVerticle(services),
                      new DeploymentOptions()
                          .setInstances(
                              instances > 0
                                  ? instances
                                  : Runtime.getRuntime().availableProcessors()))
                  .await()));
    } catch (Exception e) {
      vertx.close().await();
      throw e;
    }
    log.info(
        "taskbus {} on http://{}:{} ({} transport)",
        roles,
        config.getJsonObject("http").getString("host"),
        config.getJsonObject("http").getInteger("port"),
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
    return new Taskbus(vertx, pools, embedded, deployments, config, loaded, rateLimiter, tracing);
  }

  static Set<String> roles(String text) {
    Set<String> roles =
        Arrays.stream(text.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    Set<String> unknown = new LinkedHashSet<>(roles);
    unknown.removeAll(ALL_ROLES);
    if (!unknown.isEmpty() || roles.isEmpty()) {
      throw new IllegalArgumentException(
          "verticles must be some of " + ALL_ROLES + ", not " + text);
    }
    return Collections.unmodifiableSet(roles);
  }

  private static EmbeddedInfrastructure startEmbeddedIfUnconfigured(JsonObject config)
      throws Exception {
    String pg = config.getJsonObject("pg").getString("url");
    String kafka = config.getJsonObject("kafka").getString("bootstrapServers");
    if (pg != null && kafka != null) {
      return null;
    }
    if (pg != null || kafka != null) {
      throw new IllegalStateException(
          "configure both pg.url and kafka.bootstrapServers, or neither"
              + " for the embedded developer default");
    }
    EmbeddedInfrastructure infra =
        ServiceLoader.load(EmbeddedInfrastructure.class)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no pg.url / kafka.bootstrapServers configured"
                            + " and the embedded devstack is not on the classpath"));
    Path dataDir = Path.of(config.getJsonObject("dev").getString("dataDir")).toAbsolutePath();
    log.info(
        "no PostgreSQL URL and no Kafka configured: starting embedded ones, data in {}", dataDir);
    infra.start(dataDir);
    config.getJsonObject("pg").put("url", infra.postgresUri());
    config.getJsonObject("kafka").put("bootstrapServers", infra.kafkaBootstrapServers());
    return infra;
  }

  public Vertx vertx() {
    return vertx;
  }

  public JsonObject config() {
    return config;
  }

  /**
   * Reads the configuration's stores again every {@code reload.scanPeriodMs} and applies what can
   * change while running ({@link ConfigReload}).
   */
  public void watchConfiguration(java.util.Map<String, String> env, java.util.Properties props) {
    reload = ConfigReload.start(vertx, env, props, loaded, rateLimiter);
  }

  /**
   * Graceful stop: HTTP first, then the relay and consumers, then Vert.x, then embedded servers.
   */
  public void stop() {
    if (reload != null) {
      reload.close();
    }
    for (int i = deployments.size() - 1; i >= 0; i--) {
      Deployment deployment = deployments.get(i);
      try {
        vertx.undeploy(deployment.id()).await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        String why =
            e instanceof java.util.concurrent.TimeoutException
                ? "no answer in " + STOP_TIMEOUT_SECONDS + " s"
                : e.getMessage();
        log.warn(
            "stopping {} failed: {}; its threads now:{}",
            deployment.role(),
            why,
            ThreadStacks.of("vert.x", "kafka"));
      }
    }
    try {
      pools.close().await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      vertx.close().await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("closing Vert.x failed: {}", e.getMessage());
    }
    if (tracing != null) {
      tracing.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }

  /**
   * Vert.x's metrics without the event-bus address label (every user has addresses of their own,
   * {@code user.<id>.tasks}, so that label made meters per user, unbounded in number, each looked
   * up on every message), and with the HTTP route's template.
   */
  private static MicrometerMetricsOptions metricsOptions() {
    Set<Label> labels = EnumSet.noneOf(Label.class);
    labels.addAll(MicrometerMetricsOptions.DEFAULT_LABELS);
    labels.remove(Label.EB_ADDRESS);
    // the route template (/api/v1/tasks/:id), not the path: as many series as routes
    labels.add(Label.HTTP_ROUTE);
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setLabels(labels);
  }
}
