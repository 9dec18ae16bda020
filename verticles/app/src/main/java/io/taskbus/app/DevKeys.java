package io.taskbus.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The developer default's signing key: random, kept beside the embedded data so that browser
 * sessions survive a restart, and never used when a real key is configured.
 */
final class DevKeys {

  static String load(Path dataDir) {
    Path file = dataDir.resolve("dev-jwt.key");
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      String text = Base64.getEncoder().encodeToString(key);
      Files.createDirectories(dataDir);
      Files.writeString(file, text);
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the development key in " + file, e);
    }
  }

  private DevKeys() {}
}
