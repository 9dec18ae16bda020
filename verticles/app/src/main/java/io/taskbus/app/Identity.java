package io.taskbus.app;

import io.taskbus.contracts.ConfigValues;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a bearer token says it is, for the API and the bridge alike. Tokens are verified by exactly
 * one configured source: an HS256 secret ({@code auth.jwtSecret}), a PEM public key ({@code
 * auth.publicKey}, RS/PS/ES), or an OIDC provider's JWKS ({@code auth.jwksUrl}, refreshed
 * periodically and when a token names a key id not seen yet). Only the algorithms of the configured
 * keys are accepted, so {@code alg: none} and an HS256 token "signed" with a public key are refused
 * before any signature check; {@code exp}, {@code nbf} and {@code iat} are checked with {@code
 * auth.leewaySeconds} of clock skew, and {@code iss} and {@code aud} when configured.
 */
public final class Identity implements JWTAuth {

  private static final Logger log = LoggerFactory.getLogger(Identity.class);
  static final String SOURCES =
      "auth.jwtSecret (TASKBUS_AUTH_JWTSECRET), auth.publicKey"
          + " (TASKBUS_AUTH_PUBLICKEY) or auth.jwksUrl (TASKBUS_AUTH_JWKSURL)";

  /** One generation of verification keys: a verifier, the algorithms and key ids it holds. */
  record KeySet(JWTAuth verifier, Set<String> algorithms, Set<String> keyIds) {}

  /** How many verified tokens are remembered; beyond it the memory starts over (rare). */
  static final int VERIFIED_LIMIT = 10_000;

  /** A token without an expiry is verified again after this long. */
  private static final long NO_EXPIRY_RECHECK_MS = 60_000;

  /** A token that passed every check, with the keys that checked it and when it stops counting. */
  /** Longest subject accepted: it names the user's rows and bus addresses. */
  private static final int MAX_SUBJECT = 255;

  private record Verified(User user, KeySet keys, long untilMillis) {}

  private final KeySet fixed;
  private final JwksKeys jwks;

  /**
   * Every request carries its token; verifying it again (base64, JSON, HMAC or RSA, claims) each
   * time was the largest single cost of authentication in the profiles. A token is remembered until
   * its {@code exp} and only for the key set that verified it, so a JWKS rotation re-verifies.
   */
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private Identity(KeySet fixed, JwksKeys jwks) {
    this.fixed = fixed;
    this.jwks = jwks;
  }

  /** Whether any key source is configured (the embedded default fills in a development secret). */
  static boolean configured(JsonObject auth) {
    return sources(auth) > 0;
  }

  /**
   * Checks the configuration without network or Vert.x, so a bad key fails the start at once.
   *
   * @throws IllegalArgumentException naming the key that is wrong
   */
  static void validate(JsonObject auth) {
    if (sources(auth) != 1) {
      throw new IllegalArgumentException("configure exactly one of " + SOURCES);
    }
    if (value(auth, "publicKey") != null) {
      PemKeys.read(value(auth, "publicKey"), value(auth, "publicKeyAlgorithm"));
    }
    if (value(auth, "jwksUrl") != null) {
      JwksKeys.uri(value(auth, "jwksUrl"));
    }
    if (ConfigValues.integer(auth, "leewaySeconds") < 0) {
      throw new IllegalArgumentException("auth.leewaySeconds must not be negative");
    }
  }

  /** Loads the keys; with a JWKS URL this fetches it, and fails when it cannot. */
  static Future<Identity> create(Vertx vertx, JsonObject auth) {
    try {
      validate(auth);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    JWTOptions checks = checks(auth);
    String secret = value(auth, "jwtSecret");
    if (secret != null) {
      if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
        log.warn("auth.jwtSecret is shorter than 32 bytes: HS256 wants at least 256 bits of key");
      }
      return Future.succeededFuture(
          new Identity(
              new KeySet(
                  JWTAuth.create(
                      vertx,
                      new JWTAuthOptions()
                          .addPubSecKey(
                              new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
                          .setJWTOptions(checks)),
                  Set.of("HS256"),
                  Set.of()),
              null));
    }
    String publicKey = value(auth, "publicKey");
    if (publicKey != null) {
      PemKeys.Key key = PemKeys.read(publicKey, value(auth, "publicKeyAlgorithm"));
      log.info(
          "bearer tokens verified by the configured {} public key ({})",
          key.key().getAlgorithm(),
          key.algorithm());
      return Future.succeededFuture(
          new Identity(
              new KeySet(
                  JWTAuth.create(
                      vertx,
                      new JWTAuthOptions()
                          .addPubSecKey(
                              new PubSecKeyOptions()
                                  .setAlgorithm(key.algorithm())
                                  .setBuffer(key.pem()))
                          .setJWTOptions(checks)),
                  Set.of(key.algorithm()),
                  Set.of()),
              null));
    }
    return JwksKeys.start(
            vertx,
            value(auth, "jwksUrl"),
            checks,
            ConfigValues.integer(auth, "jwksRefreshSeconds"),
            ConfigValues.integer(auth, "jwksMinRefreshSeconds"))
        .map(keys -> new Identity(null, keys));
  }

  /** A signer and verifier of HS256 tokens with the given secret (the dev sign-in, and tests). */
  public static JWTAuth hs256(Vertx vertx, String secret) {
    return JWTAuth.create(
        vertx,
        new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    try {
      if (!(credentials instanceof TokenCredentials token) || token.getToken() == null) {
        return Future.failedFuture("a bearer token is required");
      }
      Verified known = verified.get(token.getToken());
      if (known != null
          && known.keys() == currentKeys()
          && System.currentTimeMillis() < known.untilMillis()) {
        // a fresh User each time: handlers may attach authorizations to the one they are given
        return Future.succeededFuture(
            User.create(known.user().principal(), known.user().attributes()));
      }
      JsonObject header = header(token.getToken());
      String alg = header.getString("alg");
      String kid = header.getString("kid");
      KeySet keys = currentKeys();
      if (jwks != null && kid != null && !keys.keyIds().contains(kid)) {
        return jwks.refreshFor(kid)
            .compose(fresh -> remember(fresh, token, verify(fresh, alg, token)));
      }
      return remember(keys, token, verify(keys, alg, token));
    } catch (RuntimeException e) {
      // a header that is no JSON object, an "alg" that is no string, ...
      return Future.failedFuture("malformed token: " + e.getMessage());
    }
  }

  private KeySet currentKeys() {
    return jwks == null ? fixed : jwks.current();
  }

  private Future<User> remember(KeySet keys, TokenCredentials token, Future<User> checked) {
    return checked.onSuccess(
        user -> {
          // the library keeps the claims in the user's attributes, not in its principal
          Object exp = user.containsKey("exp") ? user.get("exp") : null;
          long until =
              exp instanceof Number seconds
                  ? seconds.longValue() * 1000
                  : System.currentTimeMillis() + NO_EXPIRY_RECHECK_MS;
          if (verified.size() >= VERIFIED_LIMIT) {
            verified.clear();
          }
          verified.put(token.getToken(), new Verified(user, keys, until));
        });
  }

  private static Future<User> verify(KeySet keys, String alg, TokenCredentials token) {
    if (alg == null || !keys.algorithms().contains(alg)) {
      return Future.failedFuture(
          "token algorithm " + alg + " is not accepted; expected one of " + keys.algorithms());
    }
    try {
      return keys.verifier().authenticate(token).compose(Identity::claimsOfTheRightTypes);
    } catch (RuntimeException e) {
      // the library reads exp/nbf/iat as numbers after the signature check, and throws otherwise
      return Future.failedFuture("invalid token claims: " + e.getMessage());
    }
  }

  /**
   * The claims taskbus reads must have the types RFC 7519 gives them: a subject that is a number or
   * an object would otherwise fail deep in a request (a 500) instead of here (a 401).
   */
  private static Future<User> claimsOfTheRightTypes(User user) {
    JsonObject claims =
        user.attributes() != null
                && user.attributes().getValue("accessToken") instanceof JsonObject t
            ? t
            : user.principal();
    Object sub = claims.getValue("sub");
    if (!(sub instanceof String subject) || subject.isBlank() || subject.length() > MAX_SUBJECT) {
      return Future.failedFuture("the token's sub must be a non-empty string");
    }
    Object iss = claims.getValue("iss");
    if (iss != null && !(iss instanceof String)) {
      return Future.failedFuture("the token's iss must be a string");
    }
    Object aud = claims.getValue("aud");
    if (aud != null
        && !(aud instanceof String)
        && !(aud instanceof JsonArray list && list.stream().allMatch(a -> a instanceof String))) {
      return Future.failedFuture("the token's aud must be a string or a list of strings");
    }
    return Future.succeededFuture(user);
  }

  private static JsonObject header(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      throw new IllegalArgumentException("not a JWT");
    }
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
  }

  /** Signs with the configured secret; only an HS256 identity (the development default) can. */
  @Override
  public String generateToken(JsonObject claims, JWTOptions options) {
    if (fixed == null || !fixed.algorithms().contains("HS256")) {
      throw new IllegalStateException("only an HS256 secret can sign tokens here");
    }
    return fixed.verifier().generateToken(claims, options);
  }

  @Override
  public String generateToken(JsonObject claims) {
    return generateToken(claims, new JWTOptions());
  }

  private static JWTOptions checks(JsonObject auth) {
    JWTOptions checks = new JWTOptions().setLeeway(ConfigValues.integer(auth, "leewaySeconds"));
    if (value(auth, "issuer") != null) {
      checks.setIssuer(value(auth, "issuer"));
    }
    String audience = value(auth, "audience");
    if (audience != null) {
      // any one of a comma-separated list is enough
      Arrays.stream(audience.split(","))
          .map(String::strip)
          .filter(a -> !a.isEmpty())
          .forEach(checks::addAudience);
    }
    return checks;
  }

  private static int sources(JsonObject auth) {
    return (int)
        Stream.of("jwtSecret", "publicKey", "jwksUrl")
            .filter(key -> value(auth, key) != null)
            .count();
  }

  /** A configured text, or null when unset or blank. */
  private static String value(JsonObject auth, String key) {
    String text = auth.getString(key);
    return text == null || text.isBlank() ? null : text;
  }
}
