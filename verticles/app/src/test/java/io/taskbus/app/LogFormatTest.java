package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.taskbus.contracts.RequestContext;
import io.taskbus.contracts.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

/**
 * {@code logging.format: json} with the shipped log4j2.xml: each line is one JSON object in the
 * Elastic Common Schema, and a line logged by a request's later asynchronous step (a timer's
 * callback on the event loop) still names that request's id and trace, not another's.
 */
class LogFormatTest {

  private static final Path CONFIG = Path.of("../../conf/log4j2.xml");

  @Test
  void jsonLinesCarryTheRequestAndTraceOfTheWorkAcrossAsynchronousSteps() throws Exception {
    assertTrue(Files.exists(CONFIG), CONFIG.toAbsolutePath().toString());
    String before = System.getProperty(ConfigReload.FORMAT_PROPERTY);
    LoggerContext logging;
    System.setProperty(ConfigReload.FORMAT_PROPERTY, "json");
    try {
      logging = new LoggerContext("log-format-test", null, CONFIG.toUri());
      logging.start();
    } finally {
      restore(before);
    }
    // the console appender's own layout, writing here: log4j shares one console stream between
    // all its contexts in this JVM, so what reaches System.out cannot be told apart
    Configuration configuration = logging.getConfiguration();
    Layout<?> layout = configuration.getAppender("out").getLayout();
    List<String> captured = new CopyOnWriteArrayList<>();
    Appender capture =
        new AbstractAppender("capture", null, layout, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            captured.add(new String(getLayout().toByteArray(event), StandardCharsets.UTF_8));
          }
        };
    capture.start();
    configuration.addAppender(capture);
    configuration.getRootLogger().removeAppender("out");
    configuration.getRootLogger().addAppender(capture, null, null);
    logging.updateLoggers();
    Logger log = logging.getLogger("io.taskbus.app.LogFormatTest");

    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().build())
            // as the SDK's autoconfiguration sets them by default
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    Tracing.install(sdk);
    Vertx vertx =
        Vertx.builder()
            .with(new io.vertx.core.VertxOptions().setTracingOptions(new OpenTelemetryOptions()))
            .withTracer(new OpenTelemetryTracingFactory(sdk))
            .build();
    try {
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(
                  request -> {
                    String id = request.getHeader("X-Request-Id");
                    RequestContext.requestId(id);
                    // a later step, as a database answer or a timer would run it
                    vertx.setTimer(
                        20,
                        t -> {
                          log.info("later step of {}", id);
                          request.response().end();
                        });
                  })
              .listen(0, "127.0.0.1")
              .await(10, TimeUnit.SECONDS);
      // a client of its own, outside this Vert.x: only the server's side is traced here
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      List<java.util.concurrent.CompletableFuture<?>> answers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        answers.add(
            client.sendAsync(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
                    .header("X-Request-Id", "request-" + i)
                    .header(
                        "traceparent",
                        "00-0af7651916cd43dd8448eb211c80319" + i + "-b7ad6b7169203331-01")
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()));
      }
      java.util.concurrent.CompletableFuture.allOf(
              answers.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
          .get(10, TimeUnit.SECONDS);
      log.info("outside any request");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      sdk.close();
      logging.stop();
    }

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : captured) {
      assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
      lines.add(json.readTree(line)); // each line one JSON object, or this throws
    }
    for (int i = 0; i < 2; i++) {
      String message = "later step of request-" + i;
      JsonNode line =
          lines.stream()
              .filter(l -> message.equals(l.path("message").asText()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(message + " not in " + lines));
      assertEquals("INFO", line.path("log.level").asText());
      assertEquals("io.taskbus.app.LogFormatTest", line.path("log.logger").asText());
      assertNotNull(OffsetDateTime.parse(line.path("@timestamp").asText()));
      assertEquals("request-" + i, line.path(LogContext.REQUEST_ID).asText(), line.toString());
      assertEquals(
          "0af7651916cd43dd8448eb211c80319" + i,
          line.path(LogContext.TRACE_ID).asText(),
          line.toString());
      assertTrue(line.path(LogContext.SPAN_ID).asText().matches("[0-9a-f]{16}"), line.toString());
    }
    JsonNode outside =
        lines.stream()
            .filter(l -> "outside any request".equals(l.path("message").asText()))
            .findFirst()
            .orElseThrow();
    assertFalse(outside.has(LogContext.REQUEST_ID), outside.toString());
    assertFalse(outside.has(LogContext.TRACE_ID), outside.toString());
  }

  private static void restore(String before) {
    if (before == null) {
      System.clearProperty(ConfigReload.FORMAT_PROPERTY);
    } else {
      System.setProperty(ConfigReload.FORMAT_PROPERTY, before);
    }
  }
}
