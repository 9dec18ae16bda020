package io.taskbus.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskbus.api.ApiRoutes;
import io.taskbus.api.Problems;
import io.taskbus.bridge.BridgeRoutes;
import io.taskbus.contracts.ConfigValues;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The process's one HTTP server: health and metrics always (every pod is probed and scraped), the
 * API and the bridge when this process runs them. One server with one router, because Vert.x
 * servers sharing a port split connections, not paths.
 */
final class HttpVerticle extends VerticleBase {

  private final Services services;
  private HttpServer server;

  HttpVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    JsonObject http = services.config().getJsonObject("http");
    Router router = Router.router(vertx);
    router.route().handler(new BodyTimeout(ConfigValues.longValue(http, "bodyTimeoutMs")));
    router
        .get("/health/live")
        .handler(
            HealthCheckHandler.createWithHealthChecks(
                HealthChecks.create(vertx)
                    .register("process", p -> p.complete(io.vertx.ext.healthchecks.Status.OK()))));
    router
        .get("/health/ready")
        .handler(
            HealthCheckHandler.createWithHealthChecks(services.readiness())
                .resultMapper(services.readinessMeters()::record));
    // the same checks for a person: one object per check, 503 like /health/ready when one is down
    router
        .get("/health")
        .handler(
            ctx ->
                services
                    .readiness()
                    .checkStatus()
                    .onSuccess(
                        result ->
                            ctx.response()
                                .setStatusCode(CheckResult.isUp(result) ? 200 : 503)
                                .putHeader("Content-Type", "application/json")
                                .putHeader("Cache-Control", "no-store")
                                .end(HealthDetail.of(result, services.roles()).encodePrettily()))
                    .onFailure(ctx::fail));
    PrometheusMeterRegistry registry = services.registry();
    // HEAD answers too: what a load balancer's or a scraper's probe sends
    router
        .route("/metrics")
        .method(io.vertx.core.http.HttpMethod.GET)
        .method(io.vertx.core.http.HttpMethod.HEAD)
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape()));
    Set<String> roles = services.roles();
    Future<Router> api =
        roles.contains("api")
            ? ApiRoutes.create(
                vertx,
                services.pool(),
                services.auth(),
                services.config(),
                services.devTokens(),
                services.rateLimiter())
            : Future.succeededFuture();
    return api.compose(
        apiRouter -> {
          if (apiRouter != null) {
            router.route("/api/v1/*").subRouter(apiRouter);
            // what the web page needs to know before sign-in: whether sign-in by name exists
            JsonObject web = new JsonObject().put("devSignIn", services.devTokens());
            router
                .get("/config.json")
                .handler(
                    ctx ->
                        ctx.response()
                            .putHeader("Content-Type", "application/json")
                            .putHeader("Cache-Control", "no-cache")
                            .end(web.toBuffer()));
            // the manifest's media type is not in Vert.x's table; the service worker is looked at
            // again on every visit (a day-long cache would hold a new version back)
            router
                .get("/manifest.webmanifest")
                .handler(
                    ctx -> {
                      ctx.addHeadersEndHandler(
                          v ->
                              ctx.response()
                                  .putHeader("Content-Type", "application/manifest+json"));
                      ctx.next();
                    });
            router
                .get("/sw.js")
                .handler(
                    ctx -> {
                      ctx.addHeadersEndHandler(
                          v -> ctx.response().putHeader("Cache-Control", "no-cache"));
                      ctx.next();
                    });
            router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(true));
          }
          return listen(router, http);
        });
  }

  private Future<HttpServer> listen(Router router, JsonObject http) {
    Set<String> roles = services.roles();
    if (roles.contains("bridge")) {
      router
          .route("/eventbus/*")
          .subRouter(
              BridgeRoutes.create(
                  vertx, services.auth(), ConfigValues.section(services.config(), "bridge")));
    }
    router.errorHandler(404, ctx -> unmatched(ctx, 404));
    router.errorHandler(405, ctx -> unmatched(ctx, 405));
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(http.getString("host"))
                .setPort(http.getInteger("port"))
                .setMaxWebSocketFrameSize(
                    services.config().getJsonObject("bridge").getInteger("maxFrameBytes"))
                .setMaxWebSocketMessageSize(
                    services.config().getJsonObject("bridge").getInteger("maxFrameBytes"))
                .setCompressionSupported(true)
                // browsers, ingresses and Prometheus speak HTTP/1.1 here; the cleartext HTTP/2
                // upgrade served nobody, and a JDK client's upgraded connection once hung on a
                // large /metrics
                .setHttp2ClearTextEnabled(false));
    return server.invalidRequestHandler(Problems::refuseUnreadable).requestHandler(router).listen();
  }

  private static void unmatched(RoutingContext ctx, int status) {
    if (ctx.request().path().startsWith("/api/")) {
      Problems.sendStatus(ctx, status);
    } else {
      ctx.response().setStatusCode(status).end();
    }
  }

  /** Stops accepting and gives in-flight requests the grace period to finish. */
  @Override
  public Future<?> stop() {
    long grace =
        ConfigValues.integer(
            ConfigValues.section(services.config(), "http"), "shutdownGraceSeconds");
    return server.shutdown(grace, TimeUnit.SECONDS);
  }
}
