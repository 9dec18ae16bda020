package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bridge's security matrix and limits, from the outside, as a hostile or careless client. */
class BridgeSecurityIT {

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,bridge,kafka,audit");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void userBCannotRegisterSendOrPublishOnUserAsAddresses() throws Exception {
    String a = TestSystem.uniqueUser("alice");
    String b = TestSystem.uniqueUser("bob");
    try (BridgeClient bob = BridgeClient.connect(system.port, system.token(b))) {
      for (String address :
          new String[] {
            Addresses.userTasks(a),
            Addresses.userPrefix(a) + "notifications",
            Addresses.userPrefix(a) + "tasks.x",
            "taskbus.audit.events",
            Addresses.presence(a)
          }) {
        bob.register(address);
        assertEquals("rejected", bob.next("err", Duration.ofSeconds(5)).getString("body"), address);
        for (String type : new String[] {"send", "publish"}) {
          bob.send(
              new JsonObject()
                  .put("type", type)
                  .put("address", address)
                  .put("body", new JsonObject().put("title", "forged")));
          assertEquals(
              "rejected",
              bob.next("err", Duration.ofSeconds(5)).getString("body"),
              type + " " + address);
        }
      }
      system.createTask(a, "alice's secret");
      assertNull(bob.next("rec", Duration.ofSeconds(1)));
    }
  }

  @Test
  void aForeignOriginIsRefusedAndAClientWithoutOneIsServed() throws Exception {
    String user = TestSystem.uniqueUser("origin");
    String token = system.token(user);
    // sockjs-client under Node, a mobile app, a CLI: no Origin, a bearer token
    try (BridgeClient cli = BridgeClient.connect(system.port, token, null)) {
      cli.registerAndAwait(Addresses.userTasks(user));
      system.createTask(user, "seen by a client without an Origin");
      assertNotNull(cli.next("rec", Duration.ofSeconds(10)), "the client is served");
    }
    for (String origin : new String[] {"https://evil.example", "http://127.0.0.1:1"}) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> BridgeClient.connect(system.port, token, origin),
              String.valueOf(origin));
      assertTrue(e.getCause() instanceof WebSocketHandshakeException, e.toString());
      assertEquals(403, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }
  }

  /** Without an Origin a request passes, unless a browser says it is cross-site. */
  @Test
  void noOriginPassesButNeverForACrossSiteRequest() throws Exception {
    String token = system.token(TestSystem.uniqueUser("info"));
    assertEquals(200, system.get("/eventbus/info?token=" + token, null).statusCode());
    assertEquals(401, system.get("/eventbus/info", null).statusCode());
    assertEquals(
        403,
        system
            .call(
                "GET", "/eventbus/info?token=" + token, null, null, "Sec-Fetch-Site", "cross-site")
            .statusCode());
    assertEquals(
        403,
        system
            .call(
                "GET",
                "/eventbus/info?token=" + token,
                null,
                null,
                "Origin",
                "https://evil.example")
            .statusCode());
  }

  @Test
  void aConnectionWithoutAValidTokenGetsNothing() {
    for (String token : new String[] {null, "not-a-jwt", system.token("x") + "tampered"}) {
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> BridgeClient.connect(system.port, token));
      assertEquals(401, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }
  }

  @Test
  void anOversizedFrameClosesTheConnection() throws Exception {
    try (BridgeClient client =
        BridgeClient.connect(system.port, system.token(TestSystem.uniqueUser("big")))) {
      client.send(
          new JsonObject().put("type", "send").put("address", "x").put("body", "x".repeat(70_000)));
      int code = client.closed.get(10, TimeUnit.SECONDS);
      assertTrue(code == 1009 || code == 1002 || code == -1, "closed with " + code);
    }
  }

  @Test
  void anExpiredTokenClosesTheSocketWithAReason() throws Exception {
    String user = TestSystem.uniqueUser("expiring");
    String token =
        TestSystem.signer()
            .generateToken(
                new JsonObject().put("sub", user), new JWTOptions().setExpiresInSeconds(2));
    try (BridgeClient client = BridgeClient.connect(system.port, token)) {
      client.register(Addresses.userTasks(user));
      int code = client.closed.get(10, TimeUnit.SECONDS);
      assertEquals(4401, code);
      assertTrue(client.closeReason.contains("token expired"), client.closeReason);
    }
  }

  @Test
  void aFloodingClientIsCutOff() throws Exception {
    String user = TestSystem.uniqueUser("flood");
    try (BridgeClient client = BridgeClient.connect(system.port, system.token(user))) {
      try {
        for (int i = 0; i < 200 && !client.closed.isDone(); i++) {
          client.send(
              new JsonObject().put("type", "unregister").put("address", Addresses.userTasks(user)));
        }
      } catch (RuntimeException closedUnderUs) {
        // the server may close while we are still sending: that is the point
      }
      assertEquals(4429, client.closed.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void presenceCountsLiveConnectionsAndForgetsClosedOnes() throws Exception {
    String user = TestSystem.uniqueUser("present");
    var bus = system.taskbus.vertx().eventBus();
    assertThrows(
        Exception.class,
        () -> bus.request(Addresses.presence(user), null).await(10, TimeUnit.SECONDS),
        "nobody online: no listener");
    try (BridgeClient one = BridgeClient.connect(system.port, system.token(user));
        BridgeClient two = BridgeClient.connect(system.port, system.token(user))) {
      one.register(Addresses.userTasks(user));
      two.register(Addresses.userTasks(user));
      assertEquals(
          2, TestSystem.eventually(Duration.ofSeconds(10), () -> connections(user), n -> n == 2));
      two.close(); // the server notices it a moment later
      assertEquals(
          1, TestSystem.eventually(Duration.ofSeconds(10), () -> connections(user), n -> n == 1));
      assertNotNull(bus.request(Addresses.presence(user), null).await(10, TimeUnit.SECONDS));
    }
    assertEquals(
        0, TestSystem.eventually(Duration.ofSeconds(10), () -> connections(user), n -> n == 0));
    assertTrue(
        TestSystem.eventually(
            Duration.ofSeconds(10),
            () -> {
              try {
                bus.request(Addresses.presence(user), null).await(10, TimeUnit.SECONDS);
                return false;
              } catch (Exception noListener) {
                return true;
              }
            },
            gone -> gone),
        "nobody online again: no listener");
    String metrics = system.get("/metrics", null).body();
    assertTrue(metrics.contains("taskbus_bridge_connections"), "connection count in /metrics");
  }

  /**
   * Publish-gather across every node (and event loop) holding the user's connections: each answers
   * with its count. A gather has no last answer, only the time it waits for them (as the protocol
   * means it to be used), so this waits that long: every holder answers at once, and what arrives
   * after it is not counted.
   */
  private static int connections(String user) throws Exception {
    var bus = system.taskbus.vertx().eventBus();
    String replyTo = "test.presence." + java.util.UUID.randomUUID();
    java.util.concurrent.atomic.AtomicInteger sum = new java.util.concurrent.atomic.AtomicInteger();
    var consumer =
        bus.<JsonObject>consumer(replyTo, m -> sum.addAndGet(m.body().getInteger("connections")));
    consumer.completion().await(10, TimeUnit.SECONDS);
    bus.publish(Addresses.presence(user), new JsonObject().put("replyTo", replyTo));
    Thread.sleep(GATHER_MS);
    consumer.unregister().await(10, TimeUnit.SECONDS);
    return sum.get();
  }

  /** How long a presence gather collects answers. */
  private static final long GATHER_MS = 300;
}
