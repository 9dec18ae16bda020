package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tokens verified by an RSA public key, an EC P-256 public key, and an OIDC provider's JWKS (served
 * here, rotated while the system runs): what a provider signs passes; {@code alg: none}, another
 * key, expired, not yet valid, tampered, key-confused, wrong issuer or audience tokens get a 401
 * problem from the API and a 401 on the bridge handshake. Tokens are made by hand with
 * java.security, so nothing of the verifying library signs what it checks.
 */
class IdentityIT {

  static final String ISSUER = "https://login.example.test/realms/taskbus";
  static final String AUDIENCE = "taskbus-api";

  /** What every key source must accept and refuse; a subclass configures a system for it. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Contract {

    TestSystem system;
    String alg;
    Signer key;

    /** A key of the same kind the system does not know. */
    Signer otherKey;

    String kid;

    /** Whether the system was configured with an issuer and an audience. */
    boolean checksIssuerAndAudience;

    /** The public key as an attacker would use it for an HS256 "signature". */
    byte[][] publicKeyAsSecret;

    abstract void setUp() throws Exception;

    @BeforeAll
    void startSystem() throws Exception {
      setUp();
    }

    @AfterAll
    void stopSystem() {
      if (system != null) {
        system.close();
      }
    }

    @Test
    void validTokenIsAccepted() throws Exception {
      accepted(signed(claims("alice")));
      assertEquals(101, handshake(signed(claims("alice"))));
    }

    @Test
    void clockSkewWithinTheLeewayIsAccepted() throws Exception {
      long now = now();
      accepted(signed(claims("alice").put("exp", now - 5)));
      accepted(signed(claims("alice").put("nbf", now + 5).put("iat", now + 5)));
    }

    @Test
    void algNoneIsRefused() throws Exception {
      String unsigned =
          b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode())
              + "."
              + b64(claims("alice").encode());
      refused(unsigned + ".");
      refused(unsigned);
      refused(unsigned + "." + signed(claims("alice")).split("\\.")[2]);
      String noneWithKid = b64(header("none").encode()) + "." + b64(claims("alice").encode()) + ".";
      refused(noneWithKid);
    }

    @Test
    void anotherKeyIsRefused() throws Exception {
      refused(token(header(alg), claims("alice"), otherKey));
    }

    @Test
    void expiredBeyondTheLeewayIsRefused() throws Exception {
      refused(signed(claims("alice").put("iat", now() - 3600).put("exp", now() - 120)));
    }

    @Test
    void notYetValidIsRefused() throws Exception {
      refused(signed(claims("alice").put("nbf", now() + 120)));
      refused(signed(claims("alice").put("iat", now() + 120)));
    }

    @Test
    void tamperedPayloadIsRefused() throws Exception {
      String[] parts = signed(claims("alice")).split("\\.");
      String otherUser = b64(claims("mallory").encode());
      refused(parts[0] + "." + otherUser + "." + parts[2]);
      // the header too: the same signature claimed for another algorithm
      refused(b64(header("HS256").encode()) + "." + parts[1] + "." + parts[2]);
    }

    @Test
    void hs256WithThePublicKeyAsSecretIsRefused() throws Exception {
      for (byte[] secret : publicKeyAsSecret) {
        refused(token(header("HS256"), claims("alice"), hmac(secret)));
      }
    }

    @Test
    void claimsOfTheWrongTypeAreRefused() throws Exception {
      refused(signed(claims("alice").put("exp", "tomorrow")));
      refused(signed(claims("alice").put("nbf", new JsonArray().add(1))));
      // a subject that is no string made the API and the bridge answer 500
      refused(signed(claims("alice").put("sub", 42)));
      refused(signed(claims("alice").put("sub", new JsonObject().put("id", "alice"))));
      refused(signed(claims("alice").put("sub", "")));
      refused(signed(claims("alice").putNull("sub")));
      refused(signed(claims("alice").put("iss", 7)));
      refused(signed(claims("alice").put("aud", new JsonArray().add(1))));
      refused("not-a-token");
      refused("e30.e30.e30");
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
      if (checksIssuerAndAudience) {
        refused(signed(claims("alice").put("iss", "https://evil.example.test/")));
        JsonObject noIssuer = claims("alice");
        noIssuer.remove("iss");
        refused(signed(noIssuer));
        refused(signed(claims("alice").put("aud", "another-api")));
        JsonObject noAudience = claims("alice");
        noAudience.remove("aud");
        refused(signed(noAudience));
        accepted(
            signed(claims("alice").put("aud", new JsonArray().add("another-api").add(AUDIENCE))));
      } else {
        accepted(signed(claims("alice").put("iss", "anyone").put("aud", "anything")));
      }
    }

    JsonObject claims(String user) {
      long now = now();
      JsonObject claims = new JsonObject().put("sub", user).put("iat", now).put("exp", now + 300);
      if (checksIssuerAndAudience) {
        claims.put("iss", ISSUER).put("aud", AUDIENCE);
      }
      return claims;
    }

    JsonObject header(String algorithm) {
      JsonObject header = new JsonObject().put("alg", algorithm).put("typ", "JWT");
      return kid == null ? header : header.put("kid", kid);
    }

    String signed(JsonObject claims) throws GeneralSecurityException {
      return token(header(alg), claims, key);
    }

    void accepted(String token) throws Exception {
      HttpResponse<String> response = list(token);
      assertEquals(200, response.statusCode(), response.body());
    }

    /** The API answers 401 problem+json, and the bridge refuses the handshake with a 401. */
    void refused(String token) throws Exception {
      HttpResponse<String> response = list(token);
      assertEquals(401, response.statusCode(), token + " -> " + response.body());
      assertEquals(
          "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
      JsonObject problem = new JsonObject(response.body());
      assertEquals("https://taskbus.io/problems/unauthorized", problem.getString("type"));
      assertEquals(401, handshake(token), "the bridge must refuse " + token);
    }

    HttpResponse<String> list(String token) throws Exception {
      return system.http.send(
          HttpRequest.newBuilder(system.uri("/api/v1/tasks"))
              .timeout(Duration.ofSeconds(10))
              .header("Authorization", "Bearer " + token)
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a raw WebSocket handshake on the bridge: 101 when it opened. */
    int handshake(String token) throws Exception {
      try (BridgeClient client = BridgeClient.connect(system.port, token)) {
        return 101;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof WebSocketHandshakeException refused) {
          return refused.getResponse().statusCode();
        }
        throw e;
      }
    }
  }

  @Nested
  class RsaPublicKey extends Contract {
    @Override
    void setUp() throws Exception {
      KeyPair pair = generate("RSA");
      alg = "RS256";
      key = sign("SHA256withRSA", pair.getPrivate());
      otherKey = sign("SHA256withRSA", generate("RSA").getPrivate());
      checksIssuerAndAudience = true;
      String pem = pem(pair.getPublic());
      publicKeyAsSecret =
          new byte[][] {pem.getBytes(StandardCharsets.US_ASCII), pair.getPublic().getEncoded()};
      system =
          TestSystem.start(
              "api,bridge",
              Map.of(
                  "TASKBUS_AUTH_JWTSECRET",
                  "",
                  "TASKBUS_AUTH_PUBLICKEY",
                  pem,
                  "TASKBUS_AUTH_ISSUER",
                  ISSUER,
                  "TASKBUS_AUTH_AUDIENCE",
                  "other-api, " + AUDIENCE));
    }
  }

  @Nested
  class EcPublicKeyFromAFile extends Contract {
    @Override
    void setUp() throws Exception {
      KeyPair pair = generate("EC");
      alg = "ES256";
      key = sign("SHA256withECDSAinP1363Format", pair.getPrivate());
      otherKey = sign("SHA256withECDSAinP1363Format", generate("EC").getPrivate());
      checksIssuerAndAudience = false;
      String pem = pem(pair.getPublic());
      publicKeyAsSecret =
          new byte[][] {pem.getBytes(StandardCharsets.US_ASCII), pair.getPublic().getEncoded()};
      Path file = Files.createTempFile("issuer", ".pem");
      file.toFile().deleteOnExit();
      Files.writeString(file, pem);
      system =
          TestSystem.start(
              "api,bridge",
              Map.of("TASKBUS_AUTH_JWTSECRET", "", "TASKBUS_AUTH_PUBLICKEY", file.toString()));
    }
  }

  /** A provider's JWKS endpoint on 127.0.0.1; its keys change while the system runs. */
  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class JwksUrl extends Contract {
    final Vertx provider = Vertx.vertx();
    final AtomicReference<JsonObject> served = new AtomicReference<>();
    final AtomicInteger fetches = new AtomicInteger();
    KeyPair first;

    @Override
    void setUp() throws Exception {
      first = generate("RSA");
      alg = "RS256";
      kid = "key-1";
      key = sign("SHA256withRSA", first.getPrivate());
      otherKey = sign("SHA256withRSA", generate("RSA").getPrivate());
      checksIssuerAndAudience = true;
      publicKeyAsSecret =
          new byte[][] {
            pem(first.getPublic()).getBytes(StandardCharsets.US_ASCII),
            first.getPublic().getEncoded(),
            jwk(first.getPublic(), kid).encode().getBytes(StandardCharsets.UTF_8),
            SHARED
          };
      // an "oct" key in the set must not turn into an HS256 verification key
      served.set(
          jwks(
              jwk(first.getPublic(), kid),
              new JsonObject()
                  .put("kty", "oct")
                  .put("kid", "shared")
                  .put("alg", "HS256")
                  .put("k", b64(SHARED))));
      HttpServer server =
          provider
              .createHttpServer()
              .requestHandler(
                  request -> {
                    fetches.incrementAndGet();
                    request
                        .response()
                        .putHeader("Content-Type", "application/json")
                        .end(served.get().encode());
                  })
              .listen(0, "127.0.0.1")
              .await();
      system =
          TestSystem.start(
              "api,bridge",
              Map.of(
                  "TASKBUS_AUTH_JWTSECRET",
                  "",
                  "TASKBUS_AUTH_JWKSURL",
                  "http://127.0.0.1:" + server.actualPort() + "/realms/taskbus/certs",
                  "TASKBUS_AUTH_JWKSMINREFRESHSECONDS",
                  "1",
                  "TASKBUS_AUTH_ISSUER",
                  ISSUER,
                  "TASKBUS_AUTH_AUDIENCE",
                  AUDIENCE));
    }

    @AfterAll
    void stopProvider() {
      provider.close().await();
    }

    @Test
    void tokenWithoutKeyIdIsCheckedAgainstTheKeys() throws Exception {
      accepted(token(new JsonObject().put("alg", "RS256"), claims("alice"), key));
    }

    @Test
    void theSymmetricKeyOfTheSetIsIgnored() throws Exception {
      refused(
          token(
              new JsonObject().put("alg", "HS256").put("kid", "shared"),
              claims("alice"),
              hmac(SHARED)));
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)
    void unknownKeyIdsRefetchAtMostOncePerInterval() throws Exception {
      // bursts of twenty unknown key ids at once until one fetches the set again: that one once,
      // those before it (within the minimum interval of 1 s since the last fetch) not at all
      int start = fetches.get();
      long[] burstStarted = {0};
      int[] bursts = {0};
      int fetched =
          TestSystem.eventually(
              Duration.ofSeconds(10),
              () -> {
                burstStarted[0] = System.nanoTime();
                unknownKeyIds(20, "made-up-" + bursts[0]++ + "-");
                return fetches.get() - start;
              },
              n -> n > 0);
      assertTrue(fetched >= 1, "an unknown key id fetches the JWKS again after the interval");
      // and twenty more right after: the interval of that fetch has begun, so none fetches again.
      // The fetch began after its burst did, and each further one an interval later: on a slow
      // machine the bursts may outlast an interval, and one more fetch per interval is allowed.
      unknownKeyIds(20, "made-up-again-");
      int total = fetches.get() - start;
      long intervals = intervalsSince(burstStarted[0]);
      assertTrue(
          total <= 1 + intervals,
          "the JWKS was fetched "
              + total
              + " times ("
              + fetched
              + " by the burst that refetched) within "
              + intervals
              + " whole intervals");
    }

    /** Whole minimum intervals (1 s) since the given System.nanoTime(). */
    long intervalsSince(long nanoTime) {
      return (System.nanoTime() - nanoTime) / TimeUnit.SECONDS.toNanos(1);
    }

    /** Tokens naming key ids the provider never had, sent at once: each refused. */
    void unknownKeyIds(int count, String prefix) throws Exception {
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        JsonObject header = new JsonObject().put("alg", "RS256").put("kid", prefix + i);
        responses.add(
            system.http.sendAsync(
                HttpRequest.newBuilder(system.uri("/api/v1/tasks"))
                    .header("Authorization", "Bearer " + token(header, claims("alice"), key))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> response : responses) {
        assertEquals(401, response.get(10, TimeUnit.SECONDS).statusCode());
      }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void keyRotationAtTheProviderNeedsNoRestart() throws Exception {
      KeyPair second = generate("RSA");
      Signer secondKey = sign("SHA256withRSA", second.getPrivate());
      JsonObject newKey = new JsonObject().put("alg", "RS256").put("kid", "key-2");
      served.set(jwks(jwk(second.getPublic(), "key-2")));
      int before = fetches.get();
      // refused while the last fetch is less than the minimum interval ago, without fetching;
      // the first request after it fetches the new set once
      String rotated = token(newKey, claims("alice"), secondKey);
      assertEquals(
          200,
          TestSystem.eventually(
              Duration.ofSeconds(10), () -> list(rotated).statusCode(), status -> status == 200));
      assertEquals(before + 1, fetches.get(), "one fetch for the new key id");
      accepted(token(newKey, claims("bob"), secondKey));
      assertEquals(before + 1, fetches.get(), "a known key id needs no fetch");
      // the retired key is gone, and a token naming the new key id needs the new key
      refused(signed(claims("alice")));
      refused(token(newKey, claims("alice"), key));
    }
  }

  /** Verified tokens are remembered; that must not stretch a token's life past its exp. */
  @Test
  void aRememberedTokenExpiresOnTime() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String secret = "a-secret-of-at-least-thirty-two-bytes-0123";
      Identity identity =
          Identity.create(vertx, new JsonObject().put("jwtSecret", secret).put("leewaySeconds", 0))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      long exp = now() + 2;
      String token =
          token(
              new JsonObject().put("alg", "HS256").put("typ", "JWT"),
              new JsonObject().put("sub", "alice").put("iat", now()).put("exp", exp),
              hmac(secret.getBytes(StandardCharsets.UTF_8)));
      for (int i = 0; i < 3; i++) {
        assertEquals("alice", authenticate(identity, token).get(10, TimeUnit.SECONDS).subject());
      }
      String[] parts = token.split("\\.");
      String forged =
          parts[0]
              + "."
              + b64(
                  new JsonObject().put("sub", "mallory").put("iat", now()).put("exp", exp).encode())
              + "."
              + parts[2];
      assertThrows(
          ExecutionException.class, () -> authenticate(identity, forged).get(10, TimeUnit.SECONDS));
      // the clock must pass exp: that is the behaviour under test. Asked again and again, the
      // remembered token must be refused once the second after exp has begun (no leeway here).
      long refusedBy = exp * 1000 + 1100;
      boolean refused =
          TestSystem.eventually(
              Duration.ofMillis(Math.max(0, refusedBy - System.currentTimeMillis())),
              () ->
                  authenticate(identity, token)
                      .handle((user, error) -> error != null)
                      .get(10, TimeUnit.SECONDS),
              r -> r);
      assertTrue(refused, "an expired token must be refused even though it was verified before");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static CompletableFuture<io.vertx.ext.auth.User> authenticate(
      Identity identity, String token) {
    return identity
        .authenticate(new io.vertx.ext.auth.authentication.TokenCredentials(token))
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Test
  void unreadablePublicKeyFailsTheStart() {
    assertStartFails(
        "auth.publicKey",
        Map.of("TASKBUS_AUTH_JWTSECRET", "", "TASKBUS_AUTH_PUBLICKEY", "/nonexistent/issuer.pem"));
    assertStartFails(
        "auth.publicKey",
        Map.of(
            "TASKBUS_AUTH_JWTSECRET",
            "",
            "TASKBUS_AUTH_PUBLICKEY",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
    assertStartFails(
        "auth.publicKeyAlgorithm",
        Map.of(
            "TASKBUS_AUTH_JWTSECRET",
            "",
            "TASKBUS_AUTH_PUBLICKEY",
            pem(generate("EC").getPublic()),
            "TASKBUS_AUTH_PUBLICKEYALGORITHM",
            "RS256"));
  }

  @Test
  void unreachableJwksUrlFailsTheStart() throws Exception {
    assertStartFails(
        "auth.jwksUrl",
        Map.of(
            "TASKBUS_AUTH_JWTSECRET",
            "",
            "TASKBUS_AUTH_JWKSURL",
            "http://127.0.0.1:" + TestSystem.freePort() + "/certs"));
    assertStartFails(
        "auth.jwksUrl",
        Map.of("TASKBUS_AUTH_JWTSECRET", "", "TASKBUS_AUTH_JWKSURL", "file:///etc/passwd"));
  }

  @Test
  void moreThanOneKeySourceFailsTheStart() {
    assertStartFails(
        "exactly one", Map.of("TASKBUS_AUTH_PUBLICKEY", pem(generate("RSA").getPublic())));
  }

  private static void assertStartFails(String mention, Map<String, String> env) {
    Exception e = assertThrows(Exception.class, () -> TestSystem.start("api", env).close());
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append(" / ");
    }
    assertTrue(messages.toString().contains(mention), messages.toString());
  }

  // --- tokens by hand -------------------------------------------------------------------------

  static final byte[] SHARED =
      "a-shared-secret-in-the-jwks-0123456789".getBytes(StandardCharsets.UTF_8);

  interface Signer {
    byte[] sign(byte[] input) throws GeneralSecurityException;
  }

  static String token(JsonObject header, JsonObject claims, Signer signer)
      throws GeneralSecurityException {
    String input = b64(header.encode()) + "." + b64(claims.encode());
    return input + "." + b64(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
  }

  static Signer sign(String algorithm, PrivateKey key) {
    return input -> {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key);
      signature.update(input);
      return signature.sign();
    };
  }

  static Signer hmac(byte[] secret) {
    return input -> {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(input);
    };
  }

  static KeyPair generate(String type) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
      if (type.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  static JsonObject jwk(PublicKey key, String kid) {
    JsonObject jwk = new JsonObject().put("kid", kid).put("use", "sig");
    if (key instanceof RSAPublicKey rsa) {
      return jwk.put("kty", "RSA")
          .put("alg", "RS256")
          .put("n", b64(unsigned(rsa.getModulus(), 0)))
          .put("e", b64(unsigned(rsa.getPublicExponent(), 0)));
    }
    ECPublicKey ec = (ECPublicKey) key;
    return jwk.put("kty", "EC")
        .put("crv", "P-256")
        .put("x", b64(unsigned(ec.getW().getAffineX(), 32)))
        .put("y", b64(unsigned(ec.getW().getAffineY(), 32)));
  }

  static JsonObject jwks(JsonObject... keys) {
    return new JsonObject().put("keys", new JsonArray(Arrays.asList((Object[]) keys)));
  }

  /** Big-endian bytes without a sign byte, left-padded to length when it is not 0. */
  private static byte[] unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (length > bytes.length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      return padded;
    }
    return bytes;
  }

  static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
