package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document exactly as the server serves it, linted by the tools other people check API
 * descriptions with: Redocly CLI ({@code recommended} rules, {@code src/test/node/redocly.yaml})
 * and Spectral ({@code spectral:oas}, {@code src/test/node/.spectral.yaml}), from {@code
 * src/test/node/node_modules}. Neither may report anything, not even a warning. Both run offline:
 * no telemetry, no update check, no remote rulesets.
 */
class OpenApiLintIT {

  private static final Path NODE = NodeTools.DIR;
  private static final Path OUT = Path.of("target", "openapi-lint").toAbsolutePath();

  static String served;

  @BeforeAll
  static void fetchTheServedDocument() throws Exception {
    try (TestSystem system = TestSystem.start("api")) {
      HttpResponse<String> response = system.get("/api/v1/openapi.yaml", null);
      assertEquals(200, response.statusCode(), response.body());
      served = response.body();
    }
    Files.createDirectories(OUT);
  }

  @Test
  void redoclyFindsNothing() throws Exception {
    Run run = redocly(write("taskbus-v1.yaml", served));
    JsonObject totals = run.json().getJsonObject("totals");
    if (totals.getInteger("errors") != 0 || totals.getInteger("warnings") != 0) {
      fail("redocly lint reports problems in the served document:\n" + run.stdout);
    }
  }

  @Test
  void spectralFindsNothing() throws Exception {
    Run run = spectral(write("taskbus-v1.yaml", served));
    if (run.exit != 0) {
      fail("spectral lint reports problems in the served document:\n" + run.stdout + run.stderr);
    }
  }

  /**
   * The same tools with the same configuration do object to a document with faults they are meant
   * to catch (an operation without a summary, an array without items): a clean result above is
   * theirs, not a configuration that checks nothing.
   */
  @Test
  void bothObjectToAFaultyCopy() throws Exception {
    String faulty =
        replaceOnce(
            replaceOnce(served, "      summary: Create a task\n", ""),
            "items: {$ref: \"#/components/schemas/Reminder\"}, description: \"The whole new list",
            "description: \"The whole new list");
    Path file = write("faulty.yaml", faulty);
    Run redocly = redocly(file);
    assertTrue(
        redocly.stdout.contains("operation-summary")
            && redocly.json().getJsonObject("totals").getInteger("errors") > 0,
        redocly.stdout);
    Run spectral = spectral(file);
    assertNotEquals(0, spectral.exit, spectral.stdout);
    assertTrue(spectral.stdout.contains("array-items"), spectral.stdout + spectral.stderr);
  }

  private static String replaceOnce(String text, String part, String with) {
    int at = text.indexOf(part);
    assertTrue(at >= 0 && text.indexOf(part, at + 1) < 0, "one occurrence of " + part);
    return text.substring(0, at) + with + text.substring(at + part.length());
  }

  private static Path write(String name, String text) throws IOException {
    Path file = OUT.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static Run redocly(Path file) throws Exception {
    return run("redocly", "lint", file.toString(), "--config", "redocly.yaml", "--format", "json");
  }

  private static Run spectral(Path file) throws Exception {
    return run(
        "spectral",
        "lint",
        file.toString(),
        "--ruleset",
        ".spectral.yaml",
        "--fail-severity",
        "hint",
        "--format",
        "text");
  }

  /** What a tool printed and how it ended. */
  record Run(String command, int exit, String stdout, String stderr) {

    /** Redocly's JSON report (its Node deprecation banner goes to stderr, not here). */
    JsonObject json() {
      int start = stdout.indexOf('{');
      assertTrue(start >= 0, command + " printed no JSON report:\n" + stdout + stderr);
      return new JsonObject(stdout.substring(start));
    }
  }

  private static Run run(String tool, String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(NODE.resolve("node_modules").resolve(".bin").resolve(tool).toString());
    command.addAll(List.of(arguments));
    assertTrue(
        Files.isExecutable(Path.of(command.get(0))),
        command.get(0) + " is missing: the build's npm ci in " + NODE + " installs it");
    Path stdout = OUT.resolve(tool + ".out");
    Path stderr = OUT.resolve(tool + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(NODE.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    // offline and quiet: no usage reports, no update check
    builder.environment().put("REDOCLY_TELEMETRY", "off");
    builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    builder.environment().put("NO_UPDATE_NOTIFIER", "1");
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in 120 s");
    }
    return new Run(
        String.join(" ", command),
        process.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }
}
