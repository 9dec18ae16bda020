package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The scripts of {@code src/test/node}, run with {@code node} beside the Node packages the build
 * installs there (ical.js, the AsyncAPI parser, the linters, the SockJS clients): other people's
 * software that the tests check taskbus with.
 */
final class NodeTools {

  static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();

  /**
   * Runs a script of {@link #DIR} (its standard error goes to the test's log) and returns its
   * standard output; fails unless it exits 0 within the timeout.
   */
  static String run(Duration timeout, String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .directory(DIR.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    // read while it runs: a script that writes more than a pipe holds would otherwise never end
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      fail(script + " did not finish in " + timeout.toSeconds() + " s");
    }
    String text = output.get(10, TimeUnit.SECONDS);
    assertEquals(0, process.exitValue(), () -> script + " failed; its output: " + text);
    return text;
  }

  private NodeTools() {}
}
