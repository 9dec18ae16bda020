package io.taskbus.app;

import io.taskbus.app.Identity.KeySet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of an OIDC provider, from its JWKS endpoint: fetched at start, again every
 * {@code auth.jwksRefreshSeconds}, and when a token names a key id not seen yet (at most once per
 * {@code auth.jwksMinRefreshSeconds}, concurrent misses sharing one fetch), so a key rotation at
 * the provider needs no restart. A failed refresh keeps the keys it had. Only RSA and EC signing
 * keys are taken: a symmetric ("oct") or encryption key in the set is ignored.
 *
 * <p>Each key is first parsed with vertx-auth's internal {@code JWK} (the parser its JWT provider
 * uses, which skips what it cannot read without saying which): this class is its one use, and
 * IdentityIT's JWKS cases (rotation, unknown key ids, keys of other kinds) pin its behaviour.
 */
final class JwksKeys {

  private static final Logger log = LoggerFactory.getLogger(JwksKeys.class);
  private static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final HttpClient client;
  private final String url;
  private final JWTOptions checks;
  private final long minIntervalNanos;
  private volatile KeySet current;
  private long lastFetch;
  private Future<KeySet> inFlight;

  private JwksKeys(Vertx vertx, String url, JWTOptions checks, long minIntervalSeconds) {
    this.vertx = vertx;
    this.url = url;
    this.checks = checks;
    this.minIntervalNanos = TimeUnit.SECONDS.toNanos(minIntervalSeconds);
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS).setName("taskbus-jwks"));
  }

  /** The URL as an absolute http(s) URI, or an IllegalArgumentException naming the key. */
  static URI uri(String text) {
    try {
      URI uri = URI.create(text.strip());
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "auth.jwksUrl " + text + " is not an http(s) URL: " + e.getMessage(), e);
    }
  }

  static Future<JwksKeys> start(
      Vertx vertx, String url, JWTOptions checks, int refreshSeconds, int minRefreshSeconds) {
    JwksKeys keys =
        new JwksKeys(vertx, uri(url).toString(), checks, Math.max(0, minRefreshSeconds));
    keys.lastFetch = System.nanoTime();
    return keys.fetch()
        .map(
            set -> {
              keys.current = set;
              log.info(
                  "bearer tokens verified by {} keys {} ({}) from {}",
                  set.keyIds().size(),
                  set.keyIds(),
                  set.algorithms(),
                  url);
              vertx.setPeriodic(
                  TimeUnit.SECONDS.toMillis(Math.max(1, refreshSeconds)),
                  id -> keys.refresh("scheduled"));
              return keys;
            })
        .recover(
            e -> {
              keys.client.close();
              return Future.failedFuture(
                  new IllegalStateException(
                      "cannot load the signing keys from"
                          + " auth.jwksUrl "
                          + url
                          + ": "
                          + e.getMessage(),
                      e));
            });
  }

  KeySet current() {
    return current;
  }

  /**
   * A token names an unknown key: fetch again, unless that happened within the minimum interval.
   */
  synchronized Future<KeySet> refreshFor(String kid) {
    if (inFlight == null && System.nanoTime() - lastFetch < minIntervalNanos) {
      return Future.succeededFuture(current);
    }
    return refresh("a token names the unknown key id " + kid);
  }

  private synchronized Future<KeySet> refresh(String why) {
    if (inFlight != null) {
      return inFlight;
    }
    lastFetch = System.nanoTime();
    Promise<KeySet> done = Promise.promise();
    inFlight = done.future();
    fetch()
        .onComplete(
            result -> {
              KeySet before = current;
              if (result.succeeded()) {
                current = result.result();
                if (!current.keyIds().equals(before.keyIds())) {
                  log.info(
                      "JWKS refreshed ({}): keys {} now, {} before",
                      why,
                      current.keyIds(),
                      before.keyIds());
                }
              } else {
                log.warn(
                    "refreshing the JWKS from {} failed ({}); keeping keys {}: {}",
                    url,
                    why,
                    before.keyIds(),
                    result.cause().getMessage());
              }
              synchronized (this) {
                inFlight = null;
              }
              done.complete(current);
            });
    return done.future();
  }

  private Future<KeySet> fetch() {
    return client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .setFollowRedirects(true)
                .setIdleTimeout(TIMEOUT_MS)
                .putHeader("Accept", "application/jwk-set+json, application/json"))
        .compose(request -> request.send())
        .compose(
            response ->
                response.statusCode() == 200
                    ? response.body()
                    : Future.failedFuture("HTTP " + response.statusCode()))
        .map(body -> keySet(new JsonObject(body)));
  }

  private KeySet keySet(JsonObject jwks) {
    JsonArray keys = jwks.getJsonArray("keys");
    if (keys == null) {
      throw new IllegalArgumentException("the response has no \"keys\" array");
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(checks);
    Set<String> algorithms = new LinkedHashSet<>();
    Set<String> keyIds = new LinkedHashSet<>();
    for (Object entry : keys) {
      if (!(entry instanceof JsonObject key)) {
        continue;
      }
      String alg = signingAlgorithm(key);
      if (alg == null) {
        continue;
      }
      JsonObject jwk = key.copy().put("alg", alg);
      try {
        new JWK(jwk); // the parser the JWT library uses: what it refuses, it would skip
      } catch (RuntimeException e) {
        log.warn("ignoring JWKS key {} from {}: {}", key.getValue("kid"), url, e.getMessage());
        continue;
      }
      options.addJwk(jwk);
      algorithms.add(alg);
      if (key.getValue("kid") instanceof String kid) {
        keyIds.add(kid);
      }
    }
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("it holds no usable RSA or EC signing key");
    }
    return new KeySet(JWTAuth.create(vertx, options), Set.copyOf(algorithms), Set.copyOf(keyIds));
  }

  /** The algorithm an RSA or EC signing key is for, or null for any other key. */
  private static String signingAlgorithm(JsonObject key) {
    Object use = key.getValue("use");
    if (use != null && !"sig".equals(use)) {
      return null;
    }
    Object kty = key.getValue("kty");
    Object alg = key.getValue("alg");
    if ("RSA".equals(kty)) {
      return alg == null ? "RS256" : PemKeys.RSA_ALGORITHMS.contains(alg) ? (String) alg : null;
    }
    if ("EC".equals(kty)) {
      String forCurve =
          switch (String.valueOf(key.getValue("crv"))) {
            case "P-256" -> "ES256";
            case "P-384" -> "ES384";
            case "P-521" -> "ES512";
            default -> null;
          };
      return alg == null || alg.equals(forCurve) ? forCurve : null;
    }
    return null;
  }
}
