package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    assertEquals(4, config.getJsonObject("kafka").getJsonArray("subscriptions").size());
  }

  @Test
  void environmentOverridesWithTheDefaultsTypes() {
    JsonObject config =
        ConfigLoader.load(
            Map.of(
                "TASKBUS_HTTP_PORT", "9090",
                "TASKBUS_CLUSTER", "true",
                "TASKBUS_KAFKA_BOOTSTRAPSERVERS", "k:9092",
                "TASKBUS_KAFKA_BOOTSTRAP_SERVERS_TYPO_", "ignored",
                "TASKBUS_VERTICLES", "api,bridge"),
            new Properties());
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
    JsonObject config =
        ConfigLoader.load(
            Map.of("TASKBUS_CONFIG", file.toString(), "TASKBUS_HTTP_PORT", "7001"), props);
    assertEquals(7070, config.getJsonObject("http").getInteger("port"));
    assertEquals("127.0.0.1", config.getJsonObject("http").getString("host"));
    assertEquals(
        65536, config.getJsonObject("http").getInteger("bodyLimit"), "other defaults stay");
  }

  @Test
  void everyDefaultIsInTheYamlAndEveryModuleFindsItsKeys() {
    JsonObject config = ConfigLoader.load(Map.of(), new Properties());
    // the typed settings throw on a missing key: no default is repeated in code
    io.taskbus.api.ApiRoutes.rateLimiter(config);
    ConfigReload.logLevels(config);
    assertEquals(5, config.getJsonObject("kafka").getInteger("lingerMs"));
    assertEquals(5000, config.getJsonObject("reload").getInteger("scanPeriodMs"));
  }

  @Test
  void aPropertyThatNamesNoKeyIsReportedAndChangesNothing() {
    Properties props = new Properties();
    props.setProperty("taskbus.http.prot", "1");
    JsonObject config = ConfigLoader.load(Map.of(), props);
    assertNull(ConfigLoader.at(config, "http.prot"));
    assertEquals(8080, config.getJsonObject("http").getInteger("port"));
  }

  @Test
  void aChangedFileAppliesWhatCanChangeWhileRunningAndReportsTheRest(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("taskbus.yaml");
    Files.writeString(file, "api:\n  rateLimitPerSecond: 50\n  rateLimitBurst: 2\n");
    Map<String, String> env =
        Map.of("TASKBUS_CONFIG", file.toString(), "TASKBUS_RELOAD_SCANPERIODMS", "50");
    JsonObject config = ConfigLoader.load(env, new Properties());
    io.taskbus.api.RateLimiter limiter = io.taskbus.api.ApiRoutes.rateLimiter(config);
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      java.util.concurrent.BlockingQueue<JsonObject> published =
          new java.util.concurrent.LinkedBlockingQueue<>();
      vertx
          .eventBus()
          .<JsonObject>localConsumer(
              io.taskbus.contracts.Addresses.CONFIG_CHANGED, msg -> published.add(msg.body()));
      ConfigReload reload = ConfigReload.start(vertx, env, new Properties(), config, limiter);
      long now = System.nanoTime();
      assertEquals(0.0, limiter.take("u", now));
      assertEquals(0.0, limiter.take("u", now));
      assertTrue(limiter.take("u", now) > 0, "a burst of two");

      Files.writeString(
          file,
          "api:\n  rateLimitPerSecond: 50\n  rateLimitBurst: 5\n"
              + "notification:\n  publicUrl: https://tasks.example.org/\n"
              + "http:\n  port: 9999\n");
      JsonObject changed = published.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertNotNull(changed, "the change reaches the verticles");
      assertEquals(
          "https://tasks.example.org/",
          changed.getJsonObject("notification").getString("publicUrl"));
      for (int i = 0; i < 5; i++) {
        assertEquals(0.0, limiter.take("v", now), "the new burst applies at once: " + i);
      }
      assertEquals(
          List.of("http.port"),
          ConfigLoader.changedPaths(config, changed).stream()
              .filter(p -> !ConfigReload.isLive(p))
              .toList(),
          "reported as needing a restart");
      reload.close();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void unknownVerticleIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Taskbus.roles("api,notifcation"));
    assertEquals(java.util.Set.of("api", "kafka"), Taskbus.roles(" api , kafka "));
  }
}
