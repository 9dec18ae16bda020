package io.taskbus.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Every kind of credential a {@link TestSystem} must refuse, as {@code Authorization} header values
 * (null: none) named for what is wrong with them. Those with a subject name the victim, so one that
 * passed would act as the victim. Signed by hand with the system's HS256 key, so nothing of the
 * verifying library makes what it checks; {@link #valid} is the control, made the same way.
 */
final class BadCredentials {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final TestSystem system;
  private final String victim;

  BadCredentials(TestSystem system, String victim) {
    this.system = system;
    this.victim = victim;
  }

  /** Claims the system accepts: the victim's, valid for five minutes, issuer and audience. */
  JsonObject claims() {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put("sub", victim).put("iat", now).put("exp", now + 300);
    if (system.issuer != null) {
      claims.put("iss", system.issuer);
    }
    if (system.audience != null) {
      claims.put("aud", system.audience);
    }
    return claims;
  }

  /** The control: made as the bad ones are, and accepted. */
  String valid() throws GeneralSecurityException {
    return "Bearer " + signed(claims());
  }

  /** Each bad credential by what is wrong with it. */
  Map<String, String> all(String intruderToken) throws GeneralSecurityException {
    long now = System.currentTimeMillis() / 1000;
    String good = signed(claims());
    String[] parts = good.split("\\.");
    String header = b64(new JsonObject().put("alg", "HS256").put("typ", "JWT").encode());
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("no Authorization header", null);
    bad.put(
        "another scheme",
        "Basic " + B64.encodeToString((victim + ":x").getBytes(StandardCharsets.UTF_8)));
    bad.put("the scheme without a token", "Bearer");
    bad.put("one part", "Bearer " + parts[1]);
    bad.put("two parts", "Bearer " + parts[0] + "." + parts[1]);
    bad.put("four parts", "Bearer " + good + "." + parts[2]);
    bad.put("not base64url", "Bearer !!!.***.$$$");
    String badHeader = b64("{\"alg\":\"HS256\",");
    bad.put(
        "a header that is no JSON",
        "Bearer "
            + badHeader
            + "."
            + parts[1]
            + "."
            + sign(badHeader + "." + parts[1], TestSystem.SECRET));
    String badPayload = b64("{\"sub\":\"" + victim + "\",");
    bad.put(
        "a payload that is no JSON",
        "Bearer "
            + header
            + "."
            + badPayload
            + "."
            + sign(header + "." + badPayload, TestSystem.SECRET));
    bad.put(
        "a payload that is a JSON array",
        "Bearer " + signedRaw(new JsonArray().add(victim).encode(), TestSystem.SECRET));
    bad.put("expired", "Bearer " + signed(claims().put("iat", now - 3600).put("exp", now - 120)));
    bad.put("not yet valid (nbf)", "Bearer " + signed(claims().put("nbf", now + 120)));
    bad.put("issued in the future", "Bearer " + signed(claims().put("iat", now + 120)));
    String[] intruder = intruderToken.split("\\.");
    bad.put(
        "the intruder's token with the victim's payload",
        "Bearer " + intruder[0] + "." + parts[1] + "." + intruder[2]);
    bad.put(
        "the victim's payload with the signature cut", "Bearer " + parts[0] + "." + parts[1] + ".");
    String none = b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode());
    bad.put("alg none", "Bearer " + none + "." + parts[1] + ".");
    bad.put("alg none with a signature", "Bearer " + none + "." + parts[1] + "." + parts[2]);
    String hs512 = b64(new JsonObject().put("alg", "HS512").put("typ", "JWT").encode());
    bad.put(
        "alg HS512 with the HS256 signature", "Bearer " + hs512 + "." + parts[1] + "." + parts[2]);
    bad.put(
        "signed by another key",
        "Bearer " + signed(claims(), "another-secret-that-is-long-enough-for-hs256-xyz"));
    if (system.issuer != null) {
      bad.put(
          "another issuer", "Bearer " + signed(claims().put("iss", "https://evil.example.test/")));
      JsonObject noIssuer = claims();
      noIssuer.remove("iss");
      bad.put("no issuer", "Bearer " + signed(noIssuer));
      bad.put("an issuer that is a number", "Bearer " + signed(claims().put("iss", 7)));
    }
    if (system.audience != null) {
      bad.put("another audience", "Bearer " + signed(claims().put("aud", "another-api")));
      JsonObject noAudience = claims();
      noAudience.remove("aud");
      bad.put("no audience", "Bearer " + signed(noAudience));
      bad.put(
          "an audience of numbers",
          "Bearer " + signed(claims().put("aud", new JsonArray().add(1))));
    }
    bad.put("sub a number", "Bearer " + signed(claims().put("sub", 42)));
    bad.put("sub an array", "Bearer " + signed(claims().put("sub", new JsonArray().add(victim))));
    bad.put(
        "sub an object",
        "Bearer " + signed(claims().put("sub", new JsonObject().put("id", victim))));
    bad.put("sub empty", "Bearer " + signed(claims().put("sub", "")));
    bad.put("sub blank", "Bearer " + signed(claims().put("sub", "   ")));
    bad.put("sub null", "Bearer " + signed(claims().putNull("sub")));
    JsonObject noSubject = claims();
    noSubject.remove("sub");
    bad.put("no sub", "Bearer " + signed(noSubject));
    bad.put("sub of 256 characters", "Bearer " + signed(claims().put("sub", "x".repeat(256))));
    bad.put("exp a string", "Bearer " + signed(claims().put("exp", "tomorrow")));
    return bad;
  }

  private static String signed(JsonObject claims) throws GeneralSecurityException {
    return signed(claims, TestSystem.SECRET);
  }

  private static String signed(JsonObject claims, String secret) throws GeneralSecurityException {
    return signedRaw(claims.encode(), secret);
  }

  private static String signedRaw(String payloadJson, String secret)
      throws GeneralSecurityException {
    String header = b64(new JsonObject().put("alg", "HS256").put("typ", "JWT").encode());
    String payload = b64(payloadJson);
    return header + "." + payload + "." + sign(header + "." + payload, secret);
  }

  private static String sign(String input, String secret) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String b64(String text) {
    return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
