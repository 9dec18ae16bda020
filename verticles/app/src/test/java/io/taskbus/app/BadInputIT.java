package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every bad request gets the right 4xx as problem+json, and nothing is written. */
class BadInputIT {

  static TestSystem system;
  String user;
  long outboxBefore;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,kafka,audit", Map.of("TASKBUS_HTTP_BODYTIMEOUTMS", "1000"));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @BeforeEach
  void fresh() throws Exception {
    user = TestSystem.uniqueUser("mallory");
    outboxBefore = writesEver();
  }

  @AfterEach
  void nothingWritten() throws Exception {
    assertEquals(
        0,
        TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ?", user),
        "a rejected request must not create a task");
    assertEquals(outboxBefore, writesEver(), "a rejected request must not write an event");
  }

  /** Events ever written by anyone (the outbox is emptied by the relay, the sequence is not). */
  private static long writesEver() throws Exception {
    return TestSystem.count("SELECT coalesce(sum(seq), 0) FROM users");
  }

  @Test
  void missingTitle() throws Exception {
    JsonObject problem =
        problem(create("{\"description\":\"no title\"}"), 400, "validation-failed");
    assertEquals("title", problem.getJsonArray("errors").getJsonObject(0).getString("field"));
  }

  @Test
  void blankTitle() throws Exception {
    problem(create("{\"title\":\"   \"}"), 400, "validation-failed");
  }

  @Test
  void titleOfTenThousandCharacters() throws Exception {
    JsonObject problem =
        problem(
            create(new JsonObject().put("title", "x".repeat(10_000)).encode()),
            400,
            "validation-failed");
    assertTrue(problem.getString("detail").contains("title must be at most 500 characters"));
  }

  @Test
  void wrongJsonTypesListEveryBadField() throws Exception {
    JsonObject problem =
        problem(
            create("{\"title\":42,\"description\":[1],\"priority\":\"urgent\"}"),
            400,
            "validation-failed");
    assertEquals(3, problem.getJsonArray("errors").size(), problem.encode());
  }

  @Test
  void unknownField() throws Exception {
    problem(create("{\"title\":\"ok\",\"owner\":\"someone-else\"}"), 400, "validation-failed");
  }

  @Test
  void bodyThatIsNotAnObject() throws Exception {
    JsonObject problem = problem(create("[{\"title\":\"in an array\"}]"), 400, "validation-failed");
    assertEquals("body", problem.getJsonArray("errors").getJsonObject(0).getString("field"));
  }

  @Test
  void textPostgresqlCannotStoreIsA400NamingTheField() throws Exception {
    // a NUL was a 500 (PostgreSQL refuses it in text); a lone surrogate was answered 201 as sent
    // and stored as '?'
    String[][] cases = {
      {"{\"title\":\"a\\u0000b\"}", "title"},
      {"{\"title\":\"ok\",\"description\":\"a\\u0000b\"}", "description"},
      {"{\"title\":\"ok\",\"tags\":[\"fine\",\"a\\u0000b\"]}", "tags[1]"},
      {"{\"title\":\"a\\ud800b\"}", "title"},
      {"{\"title\":\"a\\udc00\"}", "title"},
      {"{\"title\":\"ok\",\"a\\u0000\":1}", "a\\u0000"},
    };
    for (String[] c : cases) {
      JsonObject problem = problem(create(c[0]), 400, "validation-failed");
      assertEquals(
          c[1],
          problem.getJsonArray("errors").getJsonObject(0).getString("field"),
          c[0] + " -> " + problem.encode());
    }
  }

  @Test
  void jsonWithCommentsOrARepeatedKeyIsMalformed() throws Exception {
    problem(create("{\"title\":\"ok\" /* a comment */}"), 400, "malformed-json");
    problem(create("{\"title\":\"ok\" // a comment\n}"), 400, "malformed-json");
    JsonObject twice =
        problem(create("{\"title\":\"first\",\"title\":\"second\"}"), 400, "malformed-json");
    assertTrue(twice.getString("detail").contains("title"), twice.encode());
  }

  @Test
  void aQueryParameterWithANulIsA400() throws Exception {
    HttpResponse<String> response = system.get("/api/v1/tasks?q=a%00b", user);
    JsonObject problem = problem(response, 400, "validation-failed");
    assertEquals("q", problem.getJsonArray("errors").getJsonObject(0).getString("field"));
  }

  @Test
  void aBodyShorterThanItsContentLengthIs408AndTheConnectionIsClosed() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", system.port)) {
      socket.setSoTimeout(10_000);
      String head =
          "POST /api/v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + system.token(user)
              + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
              + "{\"title\":";
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("request-timeout"), answer);
      // readAllBytes returned: the server closed the connection
    }
  }

  @Test
  void invalidJson() throws Exception {
    problem(create("{\"title\": \"unterminated"), 400, "malformed-json");
  }

  @Test
  void hugeNumbersDeepNestingAndInvalidUtf8() throws Exception {
    problem(create("{\"title\":1e400}"), 400, "validation-failed");
    problem(
        create("{\"title\":\"x\",\"priority\":123456789012345678901234567890}"),
        400,
        "validation-failed");
    String deep = "[".repeat(5000) + "]".repeat(5000);
    HttpResponse<String> nested = create("{\"title\":\"x\",\"tags\":" + deep + "}");
    assertEquals(400, nested.statusCode(), nested.body());
    byte[] badUtf8 = {
      '{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
    };
    HttpResponse<String> invalid =
        system.http.send(
            java.net.http.HttpRequest.newBuilder(system.uri("/api/v1/tasks"))
                .header("Authorization", "Bearer " + system.token(user))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(badUtf8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, invalid.statusCode(), invalid.body());
    assertEquals(
        "application/problem+json", invalid.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void notAcceptingJsonIsNotAcceptable() throws Exception {
    problem(
        system.call("GET", "/api/v1/tasks", user, null, "Accept", "text/html"),
        406,
        "not-acceptable");
  }

  @Test
  void wrongContentType() throws Exception {
    problem(
        system.send("POST", "/api/v1/tasks", user, "text/plain", "{\"title\":\"x\"}"),
        415,
        "unsupported-media-type");
  }

  @Test
  void oversizedBody() throws Exception {
    String huge =
        new JsonObject().put("title", "t").put("description", "d".repeat(70_000)).encode();
    problem(create(huge), 413, "payload-too-large");
  }

  @Test
  void unknownTaskIdIsNotFound() throws Exception {
    problem(system.get("/api/v1/tasks/" + UUID.randomUUID(), user), 404, "not-found");
    problem(system.get("/api/v1/tasks/not-a-uuid", user), 404, "not-found");
    problem(
        system.postJson("/api/v1/tasks/" + UUID.randomUUID() + "/complete", user, null),
        404,
        "not-found");
    problem(
        system.send("DELETE", "/api/v1/tasks/" + UUID.randomUUID(), user, null, null),
        404,
        "not-found");
  }

  @Test
  void anotherUsersTaskIsNotFoundAndUntouched() throws Exception {
    String owner = TestSystem.uniqueUser("owner");
    String id = system.createTask(owner, "mine").getString("id");
    long ownerEvents = TestSystem.count("SELECT seq FROM users WHERE id = ?", owner);
    outboxBefore = writesEver();
    problem(system.get("/api/v1/tasks/" + id, user), 404, "not-found");
    problem(system.postJson("/api/v1/tasks/" + id + "/complete", user, null), 404, "not-found");
    problem(system.send("DELETE", "/api/v1/tasks/" + id, user, null, null), 404, "not-found");
    problem(system.get("/api/v1/tasks/" + id + "/history", user), 404, "not-found");
    JsonObject still = new JsonObject(system.get("/api/v1/tasks/" + id, owner).body());
    assertEquals(false, still.getBoolean("completed"));
    assertEquals(ownerEvents, TestSystem.count("SELECT seq FROM users WHERE id = ?", owner));
  }

  @Test
  void missingOrBadTokenIsUnauthorized() throws Exception {
    problem(system.send("GET", "/api/v1/tasks", null, null, null), 401, "unauthorized");
    HttpResponse<String> forged =
        system.http.send(
            java.net.http.HttpRequest.newBuilder(system.uri("/api/v1/tasks"))
                .header("Authorization", "Bearer " + tampered(system.token(user)))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    problem(forged, 401, "unauthorized");
    // with a configured key there is no development sign-in, not even for a signed-in user
    problem(system.postJson("/api/v1/dev/token", user, "{\"user\":\"x\"}"), 404, "not-found");
    problem(system.postJson("/api/v1/dev/token", null, "{\"user\":\"x\"}"), 404, "not-found");
  }

  @Test
  void badLimitAndCursor() throws Exception {
    problem(system.get("/api/v1/tasks?limit=0", user), 400, "validation-failed");
    problem(system.get("/api/v1/tasks?limit=999999999999", user), 400, "validation-failed");
    problem(system.get("/api/v1/tasks?cursor=garbage", user), 400, "validation-failed");
  }

  @Test
  void unknownRouteAndMethod() throws Exception {
    problem(system.get("/api/v1/nothing-here", user), 404, "not-found");
    HttpResponse<String> put = system.send("PUT", "/api/v1/tasks", user, "application/json", "{}");
    problem(put, 405, "method-not-allowed");
    assertEquals("GET, POST", put.headers().firstValue("Allow").orElse(""));
  }

  /** Changes one character in the middle of the signature (the last one may carry spare bits). */
  private static String tampered(String token) {
    int at = token.length() - 10;
    char c = token.charAt(at);
    return token.substring(0, at) + (c == 'x' ? 'y' : 'x') + token.substring(at + 1);
  }

  private HttpResponse<String> create(String body) throws Exception {
    return system.postJson("/api/v1/tasks", user, body);
  }

  private static JsonObject problem(HttpResponse<String> response, int status, String slug) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonObject problem = new JsonObject(response.body());
    assertEquals("https://taskbus.io/problems/" + slug, problem.getString("type"));
    assertEquals(status, problem.getInteger("status"));
    assertNotNull(problem.getString("detail"));
    return problem;
  }
}
