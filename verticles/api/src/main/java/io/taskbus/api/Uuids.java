package io.taskbus.api;

import java.security.SecureRandom;
import java.util.UUID;

/** UUIDv7: time-ordered ids keep the primary-key index append-mostly under heavy inserts. */
final class Uuids {

  private static final SecureRandom RANDOM = new SecureRandom();

  static UUID v7(long epochMillis) {
    long msb = (epochMillis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** The id, or null when the text is not a UUID (an unknown id is a 404, not a 400). */
  static UUID parse(String text) {
    if (text == null || text.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Uuids() {}
}
