package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.taskbus.contracts.Addresses;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two processes on the clustered event bus: tasks created on one reach browsers on the other. */
class ClusterIT {

  @Test
  void eventOfTaskCreatedOnApiProcessReachesClientOnBridgeProcess() throws Exception {
    int hzApi = TestSystem.freePort();
    int hzBridge = TestSystem.freePort();
    String members = "127.0.0.1:" + hzApi + ",127.0.0.1:" + hzBridge;
    String user = TestSystem.uniqueUser("clustered");
    // the two start side by side
    try (ChildProcess api =
            ChildProcess.launch(
                "cluster-api",
                ChildProcess.quickStart(
                    TestSystem.clusterMember("api,kafka,audit", hzApi, members)),
                true);
        ChildProcess bridge =
            ChildProcess.launch(
                "cluster-bridge",
                ChildProcess.quickStart(TestSystem.clusterMember("bridge", hzBridge, members)),
                true)) {
      api.awaitReady(Duration.ofSeconds(60));
      bridge.awaitReady(Duration.ofSeconds(60));
      JsonObject ready =
          new JsonObject(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + bridge.port + "/health/ready"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertEquals("UP", ready.getString("status"), ready.encode());

      String token = TestSystem.signer().generateToken(new JsonObject().put("sub", user));
      try (BridgeClient browser = BridgeClient.connect(bridge.port, token)) {
        browser.registerAndAwait(Addresses.userTasks(user));
        browser.awaitEventsThrough(api.port, token);

        String id = createTask(api, token, "across the cluster");
        JsonObject pushed = browser.next("rec", Duration.ofSeconds(20));
        while (pushed != null && !id.equals(pushed.getJsonObject("body").getString("subject"))) {
          pushed = browser.next("rec", Duration.ofSeconds(20)); // a late push of the probe
        }
        assertNotNull(pushed, "the bridge process should deliver the event; logs in " + bridge.log);
        assertEquals(id, pushed.getJsonObject("body").getString("subject"));
      }
    }
  }

  private static String createTask(ChildProcess api, String token, String title) throws Exception {
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port + "/api/v1/tasks"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            new JsonObject().put("title", title).encode()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    return new JsonObject(created.body()).getString("id");
  }
}
