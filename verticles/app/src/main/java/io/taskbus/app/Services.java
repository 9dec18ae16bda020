package io.taskbus.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskbus.api.RateLimiter;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/** What the launcher builds once per process and hands to the verticles it deploys. */
record Services(
    JsonObject config,
    Set<String> roles,
    Pool pool,
    JWTAuth auth,
    boolean devTokens,
    HealthChecks readiness,
    ReadinessMeters readinessMeters,
    PrometheusMeterRegistry registry,
    RateLimiter rateLimiter) {}
