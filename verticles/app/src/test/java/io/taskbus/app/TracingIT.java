package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.taskbus.contracts.Addresses;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One trace follows a change the whole way in the split layout: the api process (HTTP request, its
 * transaction), the worker (the relay's send to Kafka, the subscriptions' hand-offs, the audit
 * writer and the other consumers), the bridge process (the push to the browser). Each process
 * exports with the OpenTelemetry SDK over OTLP/HTTP, configured by the standard environment
 * variables only, to a receiver here that decodes the requests with the OpenTelemetry project's own
 * protobuf definitions. The request carries a W3C traceparent of the test's, so the trace is the
 * test's own and every span in it must hang from the test's span through recorded parents.
 */
class TracingIT {

  /** A span as received, with the roles of the process that sent it. */
  record Received(Span span, String roles) {
    String id() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parent() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    String attribute(String key) {
      return span.getAttributesList().stream()
          .filter(a -> a.getKey().equals(key))
          .map(a -> a.getValue().hasStringValue() ? a.getValue().getStringValue() : "")
          .findFirst()
          .orElse(null);
    }

    @Override
    public String toString() {
      return roles
          + ": "
          + span.getName()
          + " ("
          + span.getKind()
          + ") "
          + id()
          + " <- "
          + parent();
    }
  }

  @Test
  void oneCreateIsOneTraceAcrossTheApiTheWorkerAndTheBridge() throws Exception {
    List<Received> spans = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in);
            for (ResourceSpans resource : request.getResourceSpansList()) {
              String roles =
                  resource.getResource().getAttributesList().stream()
                      .filter(a -> a.getKey().equals("taskbus.roles"))
                      .map(KeyValue::getValue)
                      .map(v -> v.getStringValue())
                      .findFirst()
                      .orElse("?");
              for (ScopeSpans scope : resource.getScopeSpansList()) {
                scope.getSpansList().forEach(s -> spans.add(new Received(s, roles)));
              }
            }
          }
          byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    receiver.start();

    Map<String, Map<String, String>> layout = SplitLayoutIT.SplitOverlay.environments();
    Map<String, Integer> hzPorts = new LinkedHashMap<>();
    for (String name : List.of("api", "bridge", "workers")) {
      hzPorts.put(name, TestSystem.freePort());
    }
    String members =
        String.join(",", hzPorts.values().stream().map(p -> "127.0.0.1:" + p).toList());
    Map<String, ChildProcess> processes = new LinkedHashMap<>();
    try {
      for (var entry : hzPorts.entrySet()) {
        Map<String, String> env =
            SplitLayoutIT.SplitOverlay.onLoopback(
                layout.get(entry.getKey()), members, entry.getValue());
        // the standard variables only, as an operator sets them
        env.put(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort());
        env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
        processes.put(entry.getKey(), ChildProcess.launch("tracing-" + entry.getKey(), env, true));
      }
      for (ChildProcess p : processes.values()) {
        p.awaitReady(Duration.ofSeconds(120));
      }
      ChildProcess api = processes.get("api");
      ChildProcess bridge = processes.get("bridge");
      String user = TestSystem.uniqueUser("traced");
      String token = TestSystem.signer().generateToken(new JsonObject().put("sub", user));
      try (BridgeClient browser = BridgeClient.connect(bridge.port, token)) {
        browser.registerAndAwait(Addresses.userTasks(user));
        browser.awaitEventsThrough(api.port, token);

        SecureRandom random = new SecureRandom();
        byte[] traceBytes = new byte[16];
        byte[] rootBytes = new byte[8];
        random.nextBytes(traceBytes);
        random.nextBytes(rootBytes);
        String traceId = HexFormat.of().formatHex(traceBytes);
        String root = HexFormat.of().formatHex(rootBytes);
        HttpResponse<String> created =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + api.port + "/api/v1/tasks"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .header("traceparent", "00-" + traceId + "-" + root + "-01")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"traced\"}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String id = new JsonObject(created.body()).getString("id");
        assertTrue(pushed(browser, id), "the browser got the create");

        // the spans of each hop, as the processes export them
        List<Received> trace =
            TestSystem.eventually(
                Duration.ofSeconds(30),
                () -> inTrace(spans, traceId),
                t -> hops(t).size() == Hop.values().length);
        assertEquals(
            Set.of(Hop.values()), hops(trace).keySet(), () -> "spans of the trace: " + trace);

        trace.forEach(span -> System.out.println("trace " + traceId + ": " + span));
        // parent links intact: each span hangs from the test's span through spans of the trace
        Map<String, Received> byId =
            trace.stream().collect(Collectors.toMap(Received::id, r -> r, (a, b) -> a));
        for (Received span : trace) {
          Received at = span;
          for (int depth = 0; !at.parent().equals(root); depth++) {
            Received parent = byId.get(at.parent());
            assertNotNull(parent, () -> span + " has a parent the trace lacks; trace: " + trace);
            assertTrue(depth < 50, "a loop of parents");
            at = parent;
          }
        }
        // and the order of the hops is the event's path
        Map<Hop, Received> hops = hops(trace);
        assertTrue(
            descends(hops.get(Hop.RELAY_SEND), hops.get(Hop.API_REQUEST), byId),
            () -> "the send descends from the request: " + trace);
        for (Hop later : List.of(Hop.AUDIT_HANDOFF, Hop.LIVE_HANDOFF, Hop.BRIDGE_DELIVERY)) {
          assertTrue(
              descends(hops.get(later), hops.get(Hop.RELAY_SEND), byId),
              () -> later + " descends from the send: " + trace);
        }
        assertTrue(
            descends(hops.get(Hop.BRIDGE_DELIVERY), hops.get(Hop.LIVE_HANDOFF), byId),
            () -> "the bridge's delivery descends from the live feed's hand-off: " + trace);
      }
    } finally {
      for (ChildProcess p : processes.values()) {
        p.close();
      }
      receiver.stop(0);
    }
  }

  /** The hops of one create that the trace must show, each in the process that does it. */
  enum Hop {
    API_REQUEST,
    RELAY_SEND,
    AUDIT_HANDOFF,
    LIVE_HANDOFF,
    BRIDGE_DELIVERY
  }

  private static boolean pushed(BridgeClient browser, String taskId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject frame = browser.next("rec", Duration.ofSeconds(1));
      if (frame != null && taskId.equals(frame.getJsonObject("body").getString("subject"))) {
        return true;
      }
    }
    return false;
  }

  private static List<Received> inTrace(List<Received> spans, String traceId) {
    return spans.stream()
        .filter(r -> HexFormat.of().formatHex(r.span().getTraceId().toByteArray()).equals(traceId))
        .toList();
  }

  private static Map<Hop, Received> hops(List<Received> trace) {
    Map<Hop, Received> found = new LinkedHashMap<>();
    for (Received r : trace) {
      Span s = r.span();
      if (r.roles().contains("api") && s.getKind() == Span.SpanKind.SPAN_KIND_SERVER) {
        found.putIfAbsent(Hop.API_REQUEST, r);
      } else if (r.roles().contains("kafka") && s.getKind() == Span.SpanKind.SPAN_KIND_PRODUCER) {
        found.putIfAbsent(Hop.RELAY_SEND, r);
      } else if (s.getKind() == Span.SpanKind.SPAN_KIND_CONSUMER
          && ConsumerGroups.AUDIT.equals(r.attribute("messaging.consumer.group.name"))) {
        found.putIfAbsent(Hop.AUDIT_HANDOFF, r);
      } else if (s.getKind() == Span.SpanKind.SPAN_KIND_CONSUMER
          && "taskbus-live".equals(r.attribute("messaging.consumer.group.name"))) {
        found.putIfAbsent(Hop.LIVE_HANDOFF, r);
      } else if (r.roles().equals("bridge")) {
        found.putIfAbsent(Hop.BRIDGE_DELIVERY, r);
      }
    }
    return found;
  }

  private static boolean descends(Received span, Received ancestor, Map<String, Received> byId) {
    for (Received at = span; at != null; at = byId.get(at.parent())) {
      if (at.id().equals(ancestor.id())) {
        return true;
      }
    }
    return false;
  }
}
