package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a newcomer runs it: {@code java -jar taskbus.jar} in an empty
 * directory with no configuration. Runs the shaded jar (not the test classpath), so a dependency
 * missing from the jar fails here.
 */
class JarIT {

  @Test
  void theJarStartsEverythingEmbeddedAndServesTheApiAndThePage() throws Exception {
    Path jar = Path.of(System.getProperty("taskbus.jar", "target/taskbus.jar")).toAbsolutePath();
    assertTrue(Files.exists(jar), "build the jar first: " + jar);
    Path dir = Files.createTempDirectory(TestSystem.scratch(), "taskbus-jar");
    int port = TestSystem.freePort();
    Path log = dir.resolve("taskbus.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-jar",
                    jar.toString()))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("TASKBUS_"));
    builder.environment().put("TASKBUS_HTTP_PORT", Integer.toString(port));
    builder.environment().put("TASKBUS_HTTP_HOST", "127.0.0.1");
    Process process = builder.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      HttpResponse<String> ready = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline && process.isAlive()) {
        try {
          ready =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (ready.statusCode() == 200) {
            break;
          }
        } catch (java.io.IOException notYet) {
          // starting
        }
        Thread.sleep(250);
      }
      assertTrue(
          ready != null && ready.statusCode() == 200, "not ready; log:\n" + Files.readString(log));
      String token =
          new JsonObject(
                  http.send(
                          HttpRequest.newBuilder(URI.create(base + "/api/v1/dev/token"))
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"newcomer\"}"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .getString("token");
      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"first task\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      // the calendar export needs ical4j's resources (zone definitions) and services in the jar
      HttpResponse<String> recurring =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"title\":\"call home\",\"dueAt\":"
                              + "\"2026-03-01T18:00:00+01:00\",\"timeZone\":\"Europe/Berlin\",\"recurrence\":"
                              + "{\"preset\":\"weekly\"},\"reminders\":[{\"before\":\"PT10M\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, recurring.statusCode(), recurring.body());
      HttpResponse<String> ics =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks.ics"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ics.statusCode(), ics.body());
      for (String line :
          new String[] {
            "BEGIN:VTODO",
            "RRULE:FREQ=WEEKLY",
            "DUE;TZID=Europe/Berlin:20260301T180000",
            "TRIGGER;RELATED=END:-PT10M",
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Berlin"
          }) {
        assertTrue(ics.body().contains(line), line + " missing from\n" + ics.body());
      }
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("taskbus"));
      assertTrue(Files.exists(dir.resolve("data/postgres")), "data kept in ./data");
    } finally {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    assertEquals(0, process.exitValue(), Files.readString(log));
  }
}
