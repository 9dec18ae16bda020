package io.taskbus.app;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configured public key ({@code auth.publicKey}): PEM text, or the path of a PEM file,
 * holding a {@code PUBLIC KEY} (SubjectPublicKeyInfo) or a {@code CERTIFICATE}. The algorithm
 * follows from the key: RSA is RS256, EC is ES256 on P-256 (ES384 on P-384, ES512 on P-521), unless
 * {@code auth.publicKeyAlgorithm} names another one that fits the key.
 */
final class PemKeys {

  static final Set<String> RSA_ALGORITHMS =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");
  static final Set<String> EC_ALGORITHMS = Set.of("ES256", "ES384", "ES512");

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  /**
   * A verified public key, its algorithm, and the key as the canonical PEM the JWT library reads.
   */
  record Key(PublicKey key, String algorithm, String pem) {}

  /**
   * @throws IllegalArgumentException with a message naming the configuration key, when the key
   *     cannot be read, is not a public key, or does not fit the algorithm
   */
  static Key read(String configured, String algorithm) {
    String text = configured.strip();
    if (!text.startsWith("-----BEGIN")) {
      text = readFile(text);
    }
    PublicKey key = parse(text);
    String alg =
        algorithm == null ? detect(key) : algorithm.strip().toUpperCase(java.util.Locale.ROOT);
    if (key instanceof RSAPublicKey rsa) {
      if (!RSA_ALGORITHMS.contains(alg)) {
        throw new IllegalArgumentException(
            "auth.publicKeyAlgorithm "
                + alg
                + " does not fit an RSA"
                + " key; use one of "
                + RSA_ALGORITHMS);
      }
      if (rsa.getModulus().bitLength() < 2048) {
        throw new IllegalArgumentException(
            "auth.publicKey: an RSA key needs at least 2048 bits, not "
                + rsa.getModulus().bitLength());
      }
    } else if (!alg.equals(detect(key))) {
      throw new IllegalArgumentException(
          "auth.publicKeyAlgorithm "
              + alg
              + " does not fit this EC"
              + " key (its curve means "
              + detect(key)
              + ")");
    }
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    return new Key(key, alg, pem);
  }

  private static String readFile(String path) {
    try {
      return Files.readString(Path.of(path)).strip();
    } catch (IOException | InvalidPathException e) {
      throw new IllegalArgumentException(
          "auth.publicKey is neither PEM text (-----BEGIN PUBLIC KEY-----"
              + " ...) nor a readable file: "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage(),
          e);
    }
  }

  private static PublicKey parse(String text) {
    Matcher pem = PEM.matcher(text);
    if (!pem.find()) {
      throw new IllegalArgumentException(
          "auth.publicKey holds no PEM block"
              + " (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
    }
    String kind = pem.group(1);
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.group(2).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("auth.publicKey: the PEM body is not valid base64", e);
    }
    try {
      if (kind.equals("CERTIFICATE")) {
        return CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der))
            .getPublicKey();
      }
      if (!kind.equals("PUBLIC KEY")) {
        throw new IllegalArgumentException(
            "auth.publicKey must be a PUBLIC KEY or a CERTIFICATE, not "
                + kind
                + (kind.contains("PRIVATE") ? " (never configure a private key here)" : ""));
      }
      for (String type : new String[] {"RSA", "EC"}) {
        try {
          return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException notThisType) {
          // try the next type
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "auth.publicKey is not a readable certificate: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("auth.publicKey is neither an RSA nor an EC public key");
  }

  static String detect(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return "RS256";
    }
    if (key instanceof ECPublicKey ec) {
      for (String[] curve : CURVES) {
        if (sameCurve(ec.getParams(), curve[0])) {
          return curve[1];
        }
      }
      throw new IllegalArgumentException(
          "auth.publicKey: unsupported EC curve; use P-256 (ES256),"
              + " P-384 (ES384) or P-521 (ES512)");
    }
    throw new IllegalArgumentException("auth.publicKey is neither an RSA nor an EC public key");
  }

  private static final String[][] CURVES = {
    {"secp256r1", "ES256"}, {"secp384r1", "ES384"}, {"secp521r1", "ES512"}
  };

  private static boolean sameCurve(ECParameterSpec params, String name) {
    try {
      AlgorithmParameters named = AlgorithmParameters.getInstance("EC");
      named.init(new ECGenParameterSpec(name));
      ECParameterSpec spec = named.getParameterSpec(ECParameterSpec.class);
      return spec.getCurve().equals(params.getCurve())
          && spec.getGenerator().equals(params.getGenerator())
          && spec.getOrder().equals(params.getOrder());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private PemKeys() {}
}
