package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clustered event bus with TLS and client certificates ({@code eventbus.tls}): two members
 * whose certificates the cluster's CA signed exchange events and requests; a third member joins the
 * same Hazelcast cluster (whose own protocol is not encrypted) with a certificate of another CA,
 * and can neither receive the others' events nor get answers from them.
 */
class EventBusTlsIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void membersWithTheClustersCaTalkAndAMemberOfAnotherCaGetsNothing(@TempDir Path dir)
      throws Exception {
    TestCertificates certificates = new TestCertificates(dir);
    Path clusterCa = certificates.authority("cluster-ca");
    Path otherCa = certificates.authority("other-ca");
    Map<String, Integer> hzPorts = new LinkedHashMap<>();
    for (String name : List.of("worker", "edge", "intruder")) {
      hzPorts.put(name, TestSystem.freePort());
    }
    String members =
        String.join(",", hzPorts.values().stream().map(p -> "127.0.0.1:" + p).toList());

    Map<String, ChildProcess> processes = new LinkedHashMap<>();
    try {
      processes.put(
          "worker",
          launch(
              "worker",
              "api,kafka,audit",
              hzPorts,
              members,
              certificates.issue("worker", "cluster-ca", "ip:127.0.0.1"),
              clusterCa));
      processes.put(
          "edge",
          launch(
              "edge",
              "api,bridge",
              hzPorts,
              members,
              certificates.issue("edge", "cluster-ca", "ip:127.0.0.1"),
              clusterCa));
      // its own CA signed its certificate, and it trusts that CA
      processes.put(
          "intruder",
          launch(
              "intruder",
              "api,bridge",
              hzPorts,
              members,
              certificates.issue("intruder", "other-ca", "ip:127.0.0.1"),
              otherCa));
      for (ChildProcess p : processes.values()) {
        p.awaitReady(Duration.ofSeconds(120));
      }
      ChildProcess worker = processes.get("worker");
      ChildProcess edge = processes.get("edge");
      ChildProcess intruder = processes.get("intruder");
      // Hazelcast lets it in: membership is not what TLS guards
      assertEquals(3, clusterMembers(intruder), "the intruder joined the Hazelcast cluster");

      String user = TestSystem.uniqueUser("eventbus-tls");
      String token = TestSystem.signer().generateToken(new JsonObject().put("sub", user));
      try (BridgeClient eavesdropper = BridgeClient.connect(intruder.port, token);
          BridgeClient browser = BridgeClient.connect(edge.port, token)) {
        // the intruder registers first: its registration is in the cluster's map before the
        // browser's, which the worker has seen once a probe's event reaches the browser
        eavesdropper.registerAndAwait(Addresses.userTasks(user));
        browser.registerAndAwait(Addresses.userTasks(user));
        browser.awaitEventsThrough(worker.port, token);

        String id = createTask(worker, token);
        JsonObject pushed = browser.next("rec", Duration.ofSeconds(20));
        while (pushed != null && !id.equals(pushed.getJsonObject("body").getString("subject"))) {
          pushed = browser.next("rec", Duration.ofSeconds(20)); // a late push of the probe
        }
        assertNotNull(pushed, "the edge member delivers the worker's event; logs in " + edge.log);

        // requests through the bus: the edge's reach the worker's audit, the intruder's do not
        HttpResponse<String> history = get(edge, "/api/v1/tasks/" + id + "/history", token);
        assertEquals(200, history.statusCode(), history.body());
        HttpResponse<String> refused = get(intruder, "/api/v1/tasks/" + id + "/history", token);
        assertEquals(503, refused.statusCode(), refused.body());

        // the worker knew of the intruder's registration and tried to deliver there, and the
        // handshake failed (each rejects the other's certificate)
        assertTrue(
            TestSystem.eventually(
                Duration.ofSeconds(10),
                () -> worker.logText().contains("SSLHandshakeException"),
                Boolean::booleanValue),
            "the worker's log shows its failed handshake with the intruder: " + worker.log);
        // so nothing came through; a second more for anything on its way to the client
        assertNull(
            eavesdropper.next("rec", Duration.ofSeconds(1)),
            "the intruder's client receives none of the user's events");
      }
    } finally {
      for (ChildProcess p : processes.values()) {
        p.close();
      }
    }
  }

  private static ChildProcess launch(
      String name,
      String roles,
      Map<String, Integer> hzPorts,
      String members,
      TestCertificates.Issued cert,
      Path ca)
      throws Exception {
    Map<String, String> env = TestSystem.clusterMember(roles, hzPorts.get(name), members);
    env.put("TASKBUS_EVENTBUS_PORT", Integer.toString(TestSystem.freePort()));
    env.put("TASKBUS_EVENTBUS_TLS_CERTPATH", cert.cert().toString());
    env.put("TASKBUS_EVENTBUS_TLS_KEYPATH", cert.key().toString());
    env.put("TASKBUS_EVENTBUS_TLS_CAPATH", ca.toString());
    // three JVMs start at once
    return ChildProcess.launch("eventbus-tls-" + name, ChildProcess.quickStart(env), true);
  }

  private static int clusterMembers(ChildProcess process) throws Exception {
    JsonObject ready = new JsonObject(get(process, "/health/ready", null).body());
    return ready.getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals("cluster"))
        .findFirst()
        .orElseThrow()
        .getJsonObject("data")
        .getInteger("members");
  }

  private static HttpResponse<String> get(ChildProcess process, String path, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.port + path))
            .timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String createTask(ChildProcess process, String token) throws Exception {
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.port + "/api/v1/tasks"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"over TLS\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    return new JsonObject(created.body()).getString("id");
  }
}
