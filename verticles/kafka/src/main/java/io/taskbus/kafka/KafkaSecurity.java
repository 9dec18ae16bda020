package io.taskbus.kafka;

import static io.taskbus.contracts.ConfigValues.optionalString;
import static io.taskbus.contracts.ConfigValues.string;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The client properties of the {@code kafka.security} section: how every Kafka client of this
 * process (producer, consumers, admin) connects. A setting taskbus does not know, or one missing
 * for the chosen protocol, fails the start with the key it is about; the passwords are only ever
 * handed to the Kafka client, which hides them in its own logs.
 */
final class KafkaSecurity {

  static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_SSL", "SASL_PLAINTEXT");
  static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-512", "PLAIN");
  static final Set<String> STORE_TYPES = Set.of("PKCS12", "JKS", "PEM");

  private static final String KEY = "kafka.security.";

  private final String protocol;
  private final String mechanism;
  private final String username;
  private final Map<String, String> properties;
  private final List<String> ignored = new ArrayList<>();

  KafkaSecurity(JsonObject section) {
    protocol = oneOf(section, "protocol", PROTOCOLS, true);
    boolean sasl = protocol.startsWith("SASL_");
    boolean tls = protocol.endsWith("SSL");
    Map<String, String> p = new HashMap<>();
    p.put("security.protocol", protocol);
    if (sasl) {
      mechanism = oneOf(section, "saslMechanism", MECHANISMS, false);
      username = required(section, "saslUsername", protocol);
      p.put("sasl.mechanism", mechanism);
      p.put(
          "sasl.jaas.config",
          jaas(
              mechanism.equals("PLAIN")
                  ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                  : "org.apache.kafka.common.security.scram.ScramLoginModule",
              username,
              required(section, "saslPassword", protocol)));
    } else {
      mechanism = null;
      username = null;
      unused(section, List.of("saslUsername", "saslPassword"));
    }
    List<String> tlsKeys =
        List.of(
            "trustCertificates",
            "trustStoreLocation",
            "trustStorePassword",
            "keyStoreLocation",
            "keyStorePassword",
            "keyPassword",
            "certificateChain",
            "privateKey");
    if (tls) {
      trust(section, p);
      key(section, p);
    } else {
      unused(section, tlsKeys);
    }
    properties = Map.copyOf(p);
  }

  /** The properties to add to every client's. */
  Map<String, String> properties() {
    return properties;
  }

  /** How this process authenticates, for a log line: protocol, mechanism and user, no secret. */
  String describe() {
    return mechanism == null
        ? protocol
        : protocol + " with " + mechanism + " as user \"" + username + "\"";
  }

  /** Keys that are set but mean nothing for the configured protocol (worth a warning). */
  List<String> ignored() {
    return List.copyOf(ignored);
  }

  private static void trust(JsonObject section, Map<String, String> p) {
    String certificates = optionalString(section, "trustCertificates");
    String location = optionalString(section, "trustStoreLocation");
    if (certificates != null && location != null) {
      throw new IllegalArgumentException(
          "set one of " + KEY + "trustCertificates and " + KEY + "trustStoreLocation, not both");
    }
    if (certificates != null) {
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.certificates", certificates);
    } else if (location != null) {
      String type = oneOf(section, "trustStoreType", STORE_TYPES, false);
      p.put("ssl.truststore.type", type);
      p.put("ssl.truststore.location", location);
      putIfSet(p, "ssl.truststore.password", optionalString(section, "trustStorePassword"));
    }
  }

  private static void key(JsonObject section, Map<String, String> p) {
    String chain = optionalString(section, "certificateChain");
    String privateKey = optionalString(section, "privateKey");
    String location = optionalString(section, "keyStoreLocation");
    if ((chain == null) != (privateKey == null)) {
      throw new IllegalArgumentException(
          "set both " + KEY + "certificateChain and " + KEY + "privateKey, or neither");
    }
    if (chain != null && location != null) {
      throw new IllegalArgumentException(
          "set one of "
              + KEY
              + "certificateChain (with privateKey) and "
              + KEY
              + "keyStoreLocation, not both");
    }
    if (chain != null) {
      p.put("ssl.keystore.type", "PEM");
      p.put("ssl.keystore.certificate.chain", chain);
      p.put("ssl.keystore.key", privateKey);
    } else if (location != null) {
      p.put("ssl.keystore.type", oneOf(section, "keyStoreType", STORE_TYPES, false));
      p.put("ssl.keystore.location", location);
      putIfSet(p, "ssl.keystore.password", optionalString(section, "keyStorePassword"));
    }
    if (chain != null || location != null) {
      putIfSet(p, "ssl.key.password", optionalString(section, "keyPassword"));
    }
  }

  private void unused(JsonObject section, List<String> keys) {
    for (String key : keys) {
      if (optionalString(section, key) != null) {
        ignored.add(KEY + key);
      }
    }
  }

  private static String oneOf(
      JsonObject section, String key, Set<String> allowed, boolean anyCase) {
    String value = string(section, key).trim();
    String wanted = anyCase ? value.toUpperCase(Locale.ROOT) : value;
    if (!allowed.contains(wanted)) {
      throw new IllegalArgumentException(
          KEY + key + " must be one of " + sorted(allowed) + ", not \"" + value + "\"");
    }
    return wanted;
  }

  private static String required(JsonObject section, String key, String protocol) {
    String value = optionalString(section, key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(KEY + key + " is required with protocol " + protocol);
    }
    return value;
  }

  private static void putIfSet(Map<String, String> p, String property, String value) {
    if (value != null) {
      p.put(property, value);
    }
  }

  /** A JAAS login module line; its quoted values take backslash escapes. */
  static String jaas(String module, String username, String password) {
    return module
        + " required username=\""
        + quoted(username)
        + "\" password=\""
        + quoted(password)
        + "\";";
  }

  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
