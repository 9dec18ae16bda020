package io.taskbus.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code kafka.security} section as the client properties every Kafka client gets, starting
 * from the shipped defaults in conf/taskbus.yaml, and read back by Kafka's own JAAS parser.
 */
class KafkaSecurityTest {

  private static JsonObject defaults() throws Exception {
    Map<String, Object> yaml =
        new Yaml().load(Files.readString(Path.of("../../conf/taskbus.yaml")));
    return new JsonObject(yaml).getJsonObject("kafka");
  }

  private static JsonObject section(Object... keysAndValues) throws Exception {
    JsonObject security = defaults().getJsonObject("security").copy();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      security.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return security;
  }

  @Test
  void theDefaultIsPlaintextAndEveryClientGetsIt() throws Exception {
    KafkaSettings settings =
        new KafkaSettings(defaults().copy().put("bootstrapServers", "kafka:9092"));
    assertEquals(Map.of("security.protocol", "PLAINTEXT"), settings.security().properties());
    assertEquals("PLAINTEXT", settings.admin().get("security.protocol"));
    assertEquals("PLAINTEXT", settings.producer().get("security.protocol"));
  }

  @Test
  void saslSslWithScramAndPemTrust() throws Exception {
    String password = "pa\"ss\\word with spaces";
    KafkaSecurity security =
        new KafkaSecurity(
            section(
                "protocol", "sasl_ssl",
                "saslUsername", "taskbus",
                "saslPassword", password,
                "trustCertificates", "-----BEGIN CERTIFICATE-----\nMII...\n"));
    Map<String, String> p = security.properties();
    assertEquals("SASL_SSL", p.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
    assertEquals("PEM", p.get("ssl.truststore.type"));
    assertTrue(p.get("ssl.truststore.certificates").startsWith("-----BEGIN CERTIFICATE-----"));
    assertFalse(p.containsKey("ssl.keystore.type"), "no client certificate");
    // Kafka's own parser reads back the user and the password, quotes and backslashes included
    JaasContext context =
        JaasContext.loadClientContext(
            Map.of("sasl.jaas.config", new Password(p.get("sasl.jaas.config"))));
    var entry = context.configurationEntries().get(0);
    assertEquals(
        "org.apache.kafka.common.security.scram.ScramLoginModule", entry.getLoginModuleName());
    assertEquals("taskbus", entry.getOptions().get("username"));
    assertEquals(password, entry.getOptions().get("password"));
    assertEquals("SASL_SSL with SCRAM-SHA-512 as user \"taskbus\"", security.describe());
    assertFalse(security.describe().contains(password));
  }

  @Test
  void saslPlaintextWithPlain() throws Exception {
    Map<String, String> p =
        new KafkaSecurity(
                section(
                    "protocol", "SASL_PLAINTEXT",
                    "saslMechanism", "PLAIN",
                    "saslUsername", "u",
                    "saslPassword", "p"))
            .properties();
    assertEquals("PLAIN", p.get("sasl.mechanism"));
    assertTrue(
        p.get("sasl.jaas.config")
            .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required"));
    assertFalse(p.containsKey("ssl.truststore.type"), "no TLS without SSL in the protocol");
  }

  @Test
  void mutualTlsWithStoresOrPemText() throws Exception {
    Map<String, String> stores =
        new KafkaSecurity(
                section(
                    "protocol", "SSL",
                    "trustStoreLocation", "/etc/kafka/ca.p12",
                    "trustStorePassword", "t",
                    "keyStoreLocation", "/etc/kafka/user.jks",
                    "keyStoreType", "JKS",
                    "keyStorePassword", "k",
                    "keyPassword", "kp"))
            .properties();
    assertEquals(
        Map.of(
            "security.protocol", "SSL",
            "ssl.truststore.type", "PKCS12",
            "ssl.truststore.location", "/etc/kafka/ca.p12",
            "ssl.truststore.password", "t",
            "ssl.keystore.type", "JKS",
            "ssl.keystore.location", "/etc/kafka/user.jks",
            "ssl.keystore.password", "k",
            "ssl.key.password", "kp"),
        stores);
    Map<String, String> pem =
        new KafkaSecurity(
                section(
                    "protocol", "SSL",
                    "certificateChain", "-----BEGIN CERTIFICATE-----",
                    "privateKey", "-----BEGIN PRIVATE KEY-----"))
            .properties();
    assertEquals("PEM", pem.get("ssl.keystore.type"));
    assertEquals("-----BEGIN CERTIFICATE-----", pem.get("ssl.keystore.certificate.chain"));
    assertEquals("-----BEGIN PRIVATE KEY-----", pem.get("ssl.keystore.key"));
    assertFalse(pem.containsKey("ssl.truststore.type"), "the JVM's CAs");
  }

  @Test
  void unknownOrMissingValuesFailWithTheKey() throws Exception {
    assertEquals(
        "kafka.security.protocol must be one of [PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL],"
            + " not \"SASL_TLS\"",
        rejected("protocol", "SASL_TLS"));
    assertEquals(
        "kafka.security.saslMechanism must be one of [PLAIN, SCRAM-SHA-512],"
            + " not \"SCRAM-SHA-256\"",
        rejected(
            "protocol",
            "SASL_SSL",
            "saslMechanism",
            "SCRAM-SHA-256",
            "saslUsername",
            "u",
            "saslPassword",
            "p"));
    assertEquals(
        "kafka.security.saslPassword is required with protocol SASL_SSL",
        rejected("protocol", "SASL_SSL", "saslUsername", "u"));
    assertEquals(
        "kafka.security.trustStoreType must be one of [JKS, PEM, PKCS12], not \"P12\"",
        rejected("protocol", "SSL", "trustStoreLocation", "/ca.p12", "trustStoreType", "P12"));
    assertEquals(
        "set both kafka.security.certificateChain and kafka.security.privateKey, or neither",
        rejected("protocol", "SSL", "certificateChain", "-----BEGIN CERTIFICATE-----"));
    assertEquals(
        "set one of kafka.security.trustCertificates and kafka.security.trustStoreLocation,"
            + " not both",
        rejected("protocol", "SSL", "trustCertificates", "pem", "trustStoreLocation", "/ca.p12"));
    // and the whole start fails the same way
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new KafkaSettings(
                    defaults()
                        .copy()
                        .put("bootstrapServers", "kafka:9092")
                        .put("security", section("protocol", "TLS"))));
    assertTrue(e.getMessage().startsWith("kafka.security.protocol must be one of"));
  }

  @Test
  void settingsTheProtocolDoesNotUseAreReportedNotApplied() throws Exception {
    KafkaSecurity security =
        new KafkaSecurity(section("saslPassword", "secret", "trustCertificates", "pem"));
    assertEquals(Map.of("security.protocol", "PLAINTEXT"), security.properties());
    assertEquals(
        List.of("kafka.security.saslPassword", "kafka.security.trustCertificates"),
        security.ignored());
  }

  private static String rejected(Object... keysAndValues) throws Exception {
    JsonObject section = section(keysAndValues);
    return assertThrows(IllegalArgumentException.class, () -> new KafkaSecurity(section))
        .getMessage();
  }
}
