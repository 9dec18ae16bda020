package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  void defaultsComeFromTheYamlInTheJar() {
    JsonObject config = ConfigLoader.load(Map.of(), new Properties());
    assertEquals(8080, config.getJsonObject("http").getInteger("port"));
    assertEquals("api,bridge,kafka,audit,recurrence,notification", config.getString("verticles"));
    assertEquals(false, config.getBoolean("cluster"));
    assertNull(config.getJsonObject("pg").getString("url"));
    assertEquals(3, config.getJsonObject("kafka").getJsonArray("subscriptions").size());
  }

  @Test
  void environmentOverridesWithTheDefaultsTypes() {
    JsonObject config = ConfigLoader.load(Map.of(
        "TASKBUS_HTTP_PORT", "9090",
        "TASKBUS_CLUSTER", "true",
        "TASKBUS_KAFKA_BOOTSTRAPSERVERS", "k:9092",
        "TASKBUS_KAFKA_BOOTSTRAP_SERVERS_TYPO_", "ignored",
        "TASKBUS_VERTICLES", "api,bridge"), new Properties());
    assertEquals(9090, config.getJsonObject("http").getInteger("port"));
    assertEquals(true, config.getBoolean("cluster"));
    assertEquals("k:9092", config.getJsonObject("kafka").getString("bootstrapServers"));
    assertEquals("api,bridge", config.getString("verticles"));
  }

  @Test
  void systemPropertiesWinOverEnvironmentAndFiles(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("taskbus.yaml");
    Files.writeString(file, "http:\n  port: 7000\n  host: 127.0.0.1\n");
    Properties props = new Properties();
    props.setProperty("taskbus.http.port", "7070");
    JsonObject config = ConfigLoader.load(Map.of("TASKBUS_CONFIG", file.toString(),
        "TASKBUS_HTTP_PORT", "7001"), props);
    assertEquals(7070, config.getJsonObject("http").getInteger("port"));
    assertEquals("127.0.0.1", config.getJsonObject("http").getString("host"));
    assertEquals(65536, config.getJsonObject("http").getInteger("bodyLimit"), "other defaults stay");
  }

  @Test
  void unknownVerticleIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Taskbus.roles("api,notifcation"));
    assertEquals(java.util.Set.of("api", "kafka"), Taskbus.roles(" api , kafka "));
  }
}
