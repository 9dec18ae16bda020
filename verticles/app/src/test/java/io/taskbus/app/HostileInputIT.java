package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Thousands of malformed and hostile requests, generated from the served OpenAPI document across
 * every operation ({@link HostileRequests}), most with another user's ids in their paths, plus
 * broken HTTP framing on raw sockets: never a 5xx, never a hang, every refusal a problem document,
 * and the victim's data as it was. {@code -Dtaskbus.hostile.requests=N} and {@code
 * -Dtaskbus.hostile.seed=S} set the count (1 000) and the seed (random, printed).
 */
class HostileInputIT {

  private static final int REQUESTS = Integer.getInteger("taskbus.hostile.requests", 1_000);
  private static final long SEED = Long.getLong("taskbus.hostile.seed", System.nanoTime());

  /** The body limit the system runs with (http.bodyLimit): a bigger body may be cut off. */
  private static final int BODY_LIMIT = 65_536;

  /** Netty's default for the request line, which Vert.x keeps: longer ones get 414. */
  private static final int REQUEST_LINE_LIMIT = 4_096;

  /** Vert.x's default for the header block: a bigger one gets 431. */
  private static final int HEADER_LIMIT = 8_192;

  private static TestSystem system;
  private static String victim;
  private static Map<String, String> victimIds;

  @BeforeAll
  static void start() throws Exception {
    system =
        TestSystem.start(
            "api,kafka,audit,recurrence,notification",
            Map.of("TASKBUS_HTTP_BODYTIMEOUTMS", "1000"));
    victim = TestSystem.uniqueUser("victim");
    String plain = system.createTask(victim, "the victim's task").getString("id");
    HttpResponse<String> series =
        system.call(
            "POST",
            "/api/v1/tasks",
            victim,
            new JsonObject()
                .put("title", "the victim's series")
                .put("dueAt", "2030-01-31T09:00:00-05:00")
                .put("timeZone", "America/New_York")
                .put("tags", new io.vertx.core.json.JsonArray().add("private"))
                .put("recurrence", new JsonObject().put("rule", "FREQ=MONTHLY;BYMONTHDAY=31"))
                .encode());
    assertEquals(201, series.statusCode(), series::body);
    JsonObject recurring = new JsonObject(series.body());
    String trashed = system.createTask(victim, "the victim's trashed task").getString("id");
    assertEquals(204, system.call("DELETE", "/api/v1/tasks/" + trashed, victim, null).statusCode());
    victimIds = new LinkedHashMap<>();
    victimIds.put("id", List.of(plain, recurring.getString("id"), trashed).get((int) (SEED & 1)));
    victimIds.put("start", "2030-01-31T09:00:00-05:00");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void generatedHostileRequestsAreRefusedCleanlyAndChangeNothingOfAnotherUser() throws Exception {
    Map<String, String> before = snapshot(victim);
    HttpResponse<String> served = system.get("/api/v1/openapi.yaml", null);
    assertEquals(200, served.statusCode());
    Map<String, Object> yaml =
        new Yaml(new SafeConstructor(new LoaderOptions())).load(served.body());
    HostileRequests requests = new HostileRequests(new JsonObject(yaml), SEED, victimIds);
    assertTrue(requests.operationCount() > 20, "operations found: " + requests.operationCount());
    String attacker = TestSystem.uniqueUser("attacker");
    Map<String, String> bad = new BadCredentials(system, victim).all(system.token(attacker));
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (int n = 0; n < REQUESTS && failures.size() < 10; n++) {
      HostileRequests.Request request = requests.next(n);
      String authorization = credential(n, attacker, bad);
      try {
        HttpResponse<String> response = send(request, authorization);
        statuses.merge(response.statusCode(), 1, Integer::sum);
        if (response.statusCode() >= 500) {
          failures.add(response.statusCode() + " " + response.body() + " <- " + request);
        } else if (response.statusCode() >= 400
            && !response
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("application/problem+json")) {
          failures.add("not a problem document: " + response.statusCode() + " <- " + request);
        }
      } catch (java.net.http.HttpTimeoutException e) {
        failures.add("no answer in 10 s <- " + request);
      } catch (IOException e) {
        // a request line, header block or body past its limit may be refused (and the
        // connection closed) before it is all sent, and the refusal lost with the connection
        if (request.path().length() <= REQUEST_LINE_LIMIT
            && headerBytes(request, authorization) <= HEADER_LIMIT
            && (request.body() == null || request.body().length <= BODY_LIMIT)) {
          failures.add(e + " <- " + request);
        }
      }
    }
    System.out.println(
        "chaos: " + REQUESTS + " hostile requests (seed " + SEED + "): statuses " + statuses);
    assertEquals(List.of(), failures, "seed " + SEED + " (-Dtaskbus.hostile.seed to repeat)");
    assertEquals(before, snapshot(victim), "the victim's data changed (seed " + SEED + ")");
    assertEquals(200, system.get("/health/ready", null).statusCode());
  }

  /** Broken HTTP framing: each gets a 4xx or a closed connection in bounded time, never a 5xx. */
  @Test
  void brokenFramingIsRefusedOrClosedQuickly() throws Exception {
    String token = system.token(TestSystem.uniqueUser("framing"));
    String auth = "Authorization: Bearer " + token + "\r\n";
    String json = "Content-Type: application/json\r\n";
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put(
        "a body shorter than its Content-Length",
        ascii(
            "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\n"
                + auth
                + json
                + "Content-Length: 100\r\n\r\n{\"title\":"));
    cases.put(
        "a chunk size that is no number",
        ascii(
            "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\n"
                + auth
                + json
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
    cases.put(
        "Content-Length and Transfer-Encoding both",
        ascii(
            "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\n"
                + auth
                + json
                + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v1/tasks HTTP/1.1\r\nHost: x\r\n\r\n"));
    cases.put(
        "two Content-Lengths that differ",
        ascii(
            "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\n"
                + auth
                + json
                + "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}"));
    cases.put(
        "a header line of 100 KB",
        ascii(
            "GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100_000) + "\r\n\r\n"));
    cases.put("a request line that is no HTTP", ascii("HELLO THERE\r\n\r\n"));
    cases.put(
        "an HTTP version that does not exist",
        ascii("GET /api/v1/tasks HTTP/7.3\r\nHost: x\r\n\r\n"));
    cases.put(
        "a path with raw control bytes",
        ascii("GET /api/v1/tasks/\u0001\u0000 HTTP/1.1\r\nHost: x\r\n\r\n"));
    cases.put(
        "a URI of 50 KB",
        ascii("GET /api/v1/tasks?q=" + "a".repeat(50_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    cases.put(
        "1 000 headers",
        ascii("GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\n" + "X-A: b\r\n".repeat(1_000) + "\r\n"));
    cases.put(
        "a header without a colon",
        ascii("GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n"));
    byte[] invalidUtf8 = "{\"title\":\"a\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
    cases.put(
        "a body that is not UTF-8",
        concat(
            ascii(
                "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\n"
                    + auth
                    + json
                    + "Content-Length: "
                    + invalidUtf8.length
                    + "\r\nConnection: close\r\n\r\n"),
            invalidUtf8));
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, byte[]> c : cases.entrySet()) {
      String answer = exchange(c.getValue());
      if (answer == null) {
        failures.add(c.getKey() + ": no answer and no close in 5 s");
      } else if (!answer.isEmpty()
          && !answer.matches("HTTP/1\\.[01] 4\\d\\d(?s:.*)")
          // the one refusal HTTP itself puts in the 5xx class: a version the server does not speak
          && !(c.getKey().startsWith("an HTTP version")
              && answer.matches("HTTP/\\S+ 50[15](?s:.*)"))) {
        failures.add(c.getKey() + ": " + answer.lines().findFirst().orElse(""));
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(200, system.get("/health/live", null).statusCode(), "still serving");
  }

  /** The status line, "" for a connection closed without an answer, null for neither in 5 s. */
  private static String exchange(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", system.port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException closedWhileWriting) {
        // refused before it was all written: what came back, if anything, is read below
      }
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      try {
        for (int b; (b = in.read()) != -1 && head.length() < 200; ) {
          head.append((char) b);
          if (head.indexOf("\r\n") >= 0) {
            return head.toString();
          }
        }
        return head.toString();
      } catch (SocketTimeoutException e) {
        return null;
      } catch (IOException reset) {
        return head.toString();
      }
    }
  }

  private static HttpResponse<String> send(HostileRequests.Request request, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(system.uri(request.path()))
            .timeout(Duration.ofSeconds(10))
            .method(
                request.method(),
                request.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    if (request.contentType() != null) {
      builder.header("Content-Type", request.contentType());
    }
    request.headers().forEach(builder::header);
    return system.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** About the bytes of the request's header block (the client adds a few short ones). */
  private static int headerBytes(HostileRequests.Request request, String authorization) {
    int bytes = authorization == null ? 0 : authorization.length() + 23;
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      bytes += header.getKey().length() + header.getValue().length() + 4;
    }
    return bytes;
  }

  /**
   * The Authorization header: mostly the attacker's own valid token; now and then none, or one of
   * {@link BadCredentials} (most of them acting as the victim), or one too long for a header.
   */
  private static String credential(int n, String attacker, Map<String, String> bad) {
    switch (n % 23) {
      case 3:
        return bad.get("no Authorization header");
      case 7:
        return bad.get("expired");
      case 11:
        return bad.get("signed by another key");
      case 13:
        return bad.get("alg none");
      case 17:
        return bad.get("sub an object");
      case 19:
        return "Bearer " + "x".repeat(6_000);
      default:
        return "Bearer " + system.token(attacker);
    }
  }

  /** What the victim sees of their own data. */
  private static Map<String, String> snapshot(String user) throws Exception {
    Map<String, String> seen = new LinkedHashMap<>();
    for (String path :
        List.of(
            "/api/v1/tasks?status=all&limit=100",
            "/api/v1/trash",
            "/api/v1/notification-settings",
            "/api/v1/notifications",
            "/api/v1/audit")) {
      HttpResponse<String> response = system.get(path, user);
      if (response.statusCode() != 200) {
        fail(path + ": " + response.statusCode() + " " + response.body());
      }
      seen.put(path, response.body());
    }
    return seen;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
