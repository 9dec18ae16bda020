package io.taskbus.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The secret of a calendar feed URL: 256 random bits, URL-safe base64 without padding. The database
 * keeps only its SHA-256, and a request is looked up by the hash of what it presents, so neither a
 * copy of the database nor the time a comparison takes gives a usable secret away.
 */
final class CalendarFeedTokens {

  private static final int BYTES = 32;
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private CalendarFeedTokens() {}

  static String generate() {
    byte[] secret = new byte[BYTES];
    RANDOM.nextBytes(secret);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** True when the text could be a secret this class made (anything else needs no look-up). */
  static boolean wellFormed(String token) {
    return token != null && SHAPE.matcher(token).matches();
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
