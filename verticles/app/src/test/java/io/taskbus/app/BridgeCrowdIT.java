package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.Event;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A crowd on one bridge process: 5 000 idle browser tabs (500 users with 10 each), a few active
 * ones, and one that reads nothing while its user makes some 40 MB of events. Every tab connects as
 * the page does ({@link SockJsTab}). The bridge runs in a JVM of its own (ChildProcess's {@code
 * -Xmx512m}), so its heap is measured apart from these clients; the api, the relay and the live
 * feed run in this JVM, clustered with it. What the users observe: the active tabs get each of
 * their events within 5 s and in order throughout, every idle tab stays connected and gets its
 * user's next event, and the tab that reads nothing is closed once {@code bridge.writeQueueBytes}
 * wait for it, so the bridge's heap after the flood is the heap it had with the crowd, within a
 * bound.
 *
 * <p>No bridge setting needs raising for this: the bridge has no cap on connections, and its limits
 * ({@code bridge.*}) are per connection.
 */
class BridgeCrowdIT {

  /** perf/chaos/run.sh may set more ({@code -Dtaskbus.chaos.crowdUsers}). */
  static final int USERS = Integer.getInteger("taskbus.chaos.crowdUsers", 500);

  static final int TABS = 10;
  static final int ACTIVE = 4;
  static final int ACTIVE_EVENTS = 25;

  /** Changes of the slow user's tasks, each event about 28 kB (title, description, old and new). */
  static final int FLOOD = Integer.getInteger("taskbus.chaos.crowdFlood", 1500);

  static final Duration PROMPT = Duration.ofSeconds(5);

  /** The most connection handshakes under way at once: the bridge is not flooded with them. */
  static final int CONNECTING = 64;

  @Test
  void aCrowdOfIdleTabsAndOneThatReadsNothingLeaveTheBridgeBoundedAndOthersServed()
      throws Exception {
    long writeQueueBytes =
        ConfigLoader.load(TestSystem.baseEnv(0), new Properties())
            .getJsonObject("bridge")
            .getLong("writeQueueBytes");
    int here = TestSystem.freePort();
    int there = TestSystem.freePort();
    String members = "127.0.0.1:" + here + ",127.0.0.1:" + there;
    Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    // the bridge's JVM starts while this one's members do
    try (ChildProcess bridge =
            ChildProcess.launch(
                "crowd-bridge", TestSystem.clusterMember("bridge", there, members), true);
        TestSystem system =
            TestSystem.start("api,kafka,audit", TestSystem.clusterMember(null, here, members))) {
      bridge.awaitReady(Duration.ofSeconds(60));
      Metrics metrics = new Metrics(system, bridge);
      long heapEmpty = metrics.heapAfterGc();

      // the crowd, USERS × TABS idle tabs, at most CONNECTING handshakes at once
      WebSocketClient crowdClient =
          clients.createWebSocketClient(
              new WebSocketClientOptions().setMaxConnections(USERS * TABS + ACTIVE + 10));
      List<String> idleUsers = new ArrayList<>();
      for (int u = 0; u < USERS; u++) {
        idleUsers.add(TestSystem.uniqueUser("idle" + u));
      }
      long connecting = System.nanoTime();
      List<SockJsTab> idle = open(clients, crowdClient, bridge.port, idleUsers, TABS, system);
      double connectSeconds = (System.nanoTime() - connecting) / 1e9;

      List<String> activeUsers = new ArrayList<>();
      for (int u = 0; u < ACTIVE; u++) {
        activeUsers.add(TestSystem.uniqueUser("active" + u));
      }
      List<SockJsTab> active = open(clients, crowdClient, bridge.port, activeUsers, 1, system);

      // the slow tab: a receive buffer of a few kB, and after its registration it reads nothing
      // (it still pings, so only what waits for it can end it)
      String slowUser = TestSystem.uniqueUser("slow");
      List<String> floodTasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        floodTasks.add(system.createTask(slowUser, "flooded " + i).getString("id"));
      }
      SockJsTab slow =
          open(
                  clients,
                  clients.createWebSocketClient(
                      new WebSocketClientOptions().setReceiveBufferSize(4096)),
                  bridge.port,
                  List.of(slowUser),
                  1,
                  system)
              .get(0);
      slow.socket.pause();
      // this JVM's live feed publishes the user's events to the bridge; a consumer of its own here
      // tells when the feed has published the whole flood. (A tab of the user that reads, in this
      // busy JVM on 2 cores, may itself fall behind the flood by more than the bound, and be
      // closed.)
      BlockingQueue<SockJsTab.Push> fed = new LinkedBlockingQueue<>();
      system
          .taskbus
          .vertx()
          .eventBus()
          .<Event>localConsumer(
              Addresses.userTasks(slowUser),
              m -> fed.add(new SockJsTab.Push(m.body().view(), System.nanoTime())));

      List<String> everyone = new ArrayList<>(idleUsers);
      everyone.addAll(activeUsers);
      everyone.add(slowUser);
      awaitRegistrationsHere(system, everyone);
      long heapCrowd = metrics.heapAfterGc();
      System.out.printf(
          "chaos: bridge crowd: %d idle tabs of %d users connected in %.1f s (%d at once at most),"
              + " %d active tabs, 1 that reads nothing%n",
          idle.size(), USERS, connectSeconds, CONNECTING, active.size());
      System.out.printf(
          "chaos: bridge crowd: bridge heap after a full GC %.1f MB empty, %.1f MB with the crowd:"
              + " %.1f kB per connection (-Xmx512m)%n",
          heapEmpty / 1e6,
          heapCrowd / 1e6,
          (heapCrowd - heapEmpty) / 1e3 / (idle.size() + ACTIVE + 1));

      // the flood: FLOOD changes of the slow user's tasks; between them, the active users' creates,
      // each user's one after the other
      AtomicLong slowClosedAt = new AtomicLong();
      long floodStart = System.nanoTime();
      CompletableFuture<Void> watchSlow =
          CompletableFuture.runAsync(
              () -> {
                try {
                  if (TestSystem.eventually(
                          Duration.ofSeconds(120), metrics::slowClientsClosed, n -> n >= 1)
                      >= 1) {
                    slowClosedAt.set(System.nanoTime());
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // one change at a time per task (a task changed concurrently may answer 409), 8 tasks at once
      String description = "d".repeat(9_000);
      String title = "t".repeat(200);
      AtomicInteger changed = new AtomicInteger();
      List<CompletableFuture<Void>> milestones = new ArrayList<>();
      for (int k = 0; k < ACTIVE_EVENTS; k++) {
        milestones.add(
            k == 0 ? CompletableFuture.completedFuture(null) : new CompletableFuture<>());
      }
      List<CompletableFuture<Void>> flood = new ArrayList<>();
      for (int t = 0; t < floodTasks.size(); t++) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = t; i < FLOOD; i += floodTasks.size()) {
          String task = floodTasks.get(t);
          JsonObject patch =
              new JsonObject().put("title", i + title).put("description", i + description);
          chain =
              chain
                  .thenCompose(v -> change(system, slowUser, task, patch))
                  .thenRun(
                      () -> {
                        int n = changed.incrementAndGet();
                        if (n % (FLOOD / ACTIVE_EVENTS) == 0
                            && n / (FLOOD / ACTIVE_EVENTS) < ACTIVE_EVENTS) {
                          milestones.get(n / (FLOOD / ACTIVE_EVENTS)).complete(null);
                        }
                      });
        }
        flood.add(chain);
      }
      // the active users' creates, each user's one after the other, spread over the flood
      Map<String, List<Created>> created = new HashMap<>();
      Map<String, CompletableFuture<Void>> chains = new HashMap<>();
      for (String user : activeUsers) {
        List<Created> made = java.util.Collections.synchronizedList(new ArrayList<>());
        created.put(user, made);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int k = 0; k < ACTIVE_EVENTS; k++) {
          CompletableFuture<Void> milestone = milestones.get(k);
          String name = "active " + k;
          chain =
              chain
                  .thenCompose(v -> milestone)
                  .thenCompose(v -> create(system, user, name))
                  .thenAccept(made::add);
        }
        chains.put(user, chain);
      }
      CompletableFuture.allOf(flood.toArray(new CompletableFuture[0])).join();
      CompletableFuture.allOf(chains.values().toArray(new CompletableFuture[0])).join();
      double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
      watchSlow.join();

      // the slow tab was closed: counted, and no longer a connection of the bridge
      assertTrue(
          slowClosedAt.get() != 0,
          "the tab that reads nothing was not closed in 120 s; see " + bridge.log);
      assertEquals(1, metrics.slowClientsClosed(), "only the slow tab read too slowly");
      // the live feed has published every change, in order: without the bound, all of it would
      // have gone to the slow tab
      List<SockJsTab.Push> read = new ArrayList<>();
      long readBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (read.size() < FLOOD && System.nanoTime() < readBy) {
        SockJsTab.Push push = fed.poll(1, TimeUnit.SECONDS);
        if (push != null && "task.updated".equals(push.body().getString("type"))) {
          read.add(push);
        }
      }
      assertEquals(FLOOD, read.size(), "changes the live feed published");
      assertInOrder(read, "the live feed of " + slowUser);
      double readSeconds = (read.get(FLOOD - 1).at() - floodStart) / 1e9;
      // what the bridge holds now: the crowd, and at most what waits for the slow tab
      long heapFlooded = metrics.heapAfterGc();
      long directFlooded = metrics.directBuffers();
      System.out.printf(
          "chaos: bridge crowd: bridge heap after a full GC %.1f MB after the flood (%+.1f MB),"
              + " direct buffers %.1f MB, resident %.0f MB%n",
          heapFlooded / 1e6,
          (heapFlooded - heapCrowd) / 1e6,
          directFlooded / 1e6,
          metrics.residentBytes() / 1e6);
      // Without a bound, the bridge would hold the flood, less what the sockets took (the client's
      // 8 kB and the kernel's send buffer, at most tcp_wmem's 4 MB): some 35 MB. With it, the slow
      // tab is owed at most writeQueueBytes and one push, perhaps twice over (the frame, and its
      // copy on its way out), until its connection ends. The rest is the jitter of the heap of
      // a Hazelcast member with 5 000 connections after a full GC (under 1 MB seen): 12 MB.
      long bound = 2 * (writeQueueBytes + 30_000) + 12_000_000;
      assertTrue(
          heapFlooded - heapCrowd <= bound,
          "the bridge's heap grew "
              + (heapFlooded - heapCrowd)
              + " bytes in the flood, more than "
              + bound);

      // every active tab got its user's events promptly, in order
      for (int u = 0; u < ACTIVE; u++) {
        String user = activeUsers.get(u);
        SockJsTab tab = active.get(u);
        List<Created> made = created.get(user);
        assertEquals(ACTIVE_EVENTS, made.size(), user + "'s creates");
        List<SockJsTab.Push> received = new ArrayList<>();
        for (Created c : made) {
          SockJsTab.Push push = tab.pushes.poll(PROMPT.toSeconds() * 4, TimeUnit.SECONDS);
          assertTrue(push != null, user + ": no push for " + c.id());
          received.add(push);
        }
        assertInOrder(received, user);
        for (int i = 0; i < made.size(); i++) {
          Created c = made.get(i);
          SockJsTab.Push push = received.get(i);
          assertEquals(c.id(), push.body().getString("subject"), user + "'s event " + i);
          assertTrue(
              push.at() - c.at() <= PROMPT.toNanos(),
              user + "'s event " + i + " came " + (push.at() - c.at()) / 1e9 + " s after its 201");
        }
      }
      // every idle tab is still there and gets its user's next event
      assertEquals(List.of(), closed(idle), "idle tabs closed");
      assertEquals(idle.size() + ACTIVE, metrics.connections(), "bridge connections");
      long announcing = System.nanoTime();
      Semaphore creating = new Semaphore(16);
      Map<String, String> next = new java.util.concurrent.ConcurrentHashMap<>();
      List<CompletableFuture<?>> creates = new ArrayList<>();
      for (String user : idleUsers) {
        creating.acquire();
        creates.add(
            create(system, user, "for every tab")
                .whenComplete((c, e) -> creating.release())
                .thenAccept(c -> next.put(user, c.id())));
      }
      CompletableFuture.allOf(creates.toArray(new CompletableFuture[0])).join();
      List<String> missing = new ArrayList<>();
      for (SockJsTab tab : idle) {
        SockJsTab.Push push = tab.pushes.poll(30, TimeUnit.SECONDS);
        if (push == null || !next.get(tab.user).equals(push.body().getString("subject"))) {
          missing.add(tab.user + (push == null ? ": nothing" : ": " + push.body().encode()));
        }
      }
      assertEquals(List.of(), missing, "idle tabs without their user's next event");
      double announceSeconds = (System.nanoTime() - announcing) / 1e9;

      // the slow tab, reading again, gets what its socket held, then the close: not the flood
      slow.socket.resume();
      slow.closed.future().await(60, TimeUnit.SECONDS);
      int slowGot = slow.pushes.size();
      assertTrue(slowGot < FLOOD, "the slow tab got " + slowGot + " of " + FLOOD + " pushes");

      System.out.printf(
          "chaos: bridge crowd: %d changes of %.0f MB by the slow tab's user in %.1f s; the slow"
              + " tab closed by the bridge %.1f s into them (%d pushes had reached its socket;"
              + " bridge.writeQueueBytes %d), then %s; the live feed had published all of them"
              + " %.1f s after the flood began%n",
          FLOOD,
          FLOOD * 28e3 / 1e6,
          floodSeconds,
          (slowClosedAt.get() - floodStart) / 1e9,
          slowGot,
          writeQueueBytes,
          slow.closeFrame == null ? "its connection ended" : "its close frame " + slow.closeFrame,
          readSeconds);
      System.out.printf(
          "chaos: bridge crowd: %d active tabs got each of their %d events within %s, in order;"
              + " all %d idle tabs connected, each got its user's next event (all in %.1f s);"
              + " heartbeats per idle tab %d to %d%n",
          ACTIVE,
          ACTIVE_EVENTS,
          PROMPT,
          idle.size(),
          announceSeconds,
          idle.stream().mapToInt(t -> t.heartbeats.get()).min().orElse(0),
          idle.stream().mapToInt(t -> t.heartbeats.get()).max().orElse(0));

    } finally {
      clients.close().await();
    }
  }

  record Created(String id, long at) {}

  private static CompletableFuture<Created> create(TestSystem system, String user, String title) {
    return system
        .http
        .sendAsync(
            request(system, user, "/api/v1/tasks")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("title", title).encode()))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              assertEquals(201, response.statusCode(), response.body());
              return new Created(
                  new JsonObject(response.body()).getString("id"), System.nanoTime());
            });
  }

  private static CompletableFuture<Void> change(
      TestSystem system, String user, String task, JsonObject patch) {
    return system
        .http
        .sendAsync(
            request(system, user, "/api/v1/tasks/" + task)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch.encode()))
                .header("Content-Type", "application/merge-patch+json")
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .thenAccept(response -> assertEquals(200, response.statusCode(), response.body()));
  }

  private static HttpRequest.Builder request(TestSystem system, String user, String path) {
    return HttpRequest.newBuilder(system.uri(path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + system.token(user));
  }

  /** Opens {@code tabs} tabs for each user, at most {@link #CONNECTING} handshakes at once. */
  private static List<SockJsTab> open(
      Vertx vertx,
      WebSocketClient client,
      int port,
      List<String> users,
      int tabs,
      TestSystem system)
      throws Exception {
    Semaphore handshakes = new Semaphore(CONNECTING);
    List<Future<SockJsTab>> opened = new ArrayList<>();
    for (String user : users) {
      String token = system.token(user);
      for (int t = 0; t < tabs; t++) {
        handshakes.acquire();
        opened.add(
            SockJsTab.open(vertx, client, port, user, token).andThen(done -> handshakes.release()));
      }
    }
    Future.all(opened).await(120, TimeUnit.SECONDS);
    return opened.stream().map(Future::result).toList();
  }

  /**
   * The bridge made each registration at once; this node, whose live feed publishes the users'
   * events, hears of them through Hazelcast a little later, and publishes to nobody until then.
   */
  private static void awaitRegistrationsHere(TestSystem system, List<String> users)
      throws Exception {
    ClusterManager cluster = ((VertxInternal) system.taskbus.vertx()).clusterManager();
    List<String> unknown =
        TestSystem.eventually(
            Duration.ofSeconds(60),
            () -> {
              List<String> left = new ArrayList<>();
              for (String user : users) {
                Promise<List<RegistrationInfo>> found = Promise.promise();
                cluster.getRegistrations(Addresses.userTasks(user), found);
                if (found.future().await(5, TimeUnit.SECONDS).isEmpty()) {
                  left.add(user);
                }
              }
              return left;
            },
            List::isEmpty);
    assertEquals(List.of(), unknown, "users whose registration this node does not know");
  }

  /** Each push a later event of its user than the one before. */
  private static void assertInOrder(List<SockJsTab.Push> pushes, String tab) {
    for (int i = 1; i < pushes.size(); i++) {
      long before = pushes.get(i - 1).body().getLong("seq");
      long seq = pushes.get(i).body().getLong("seq");
      assertTrue(seq > before, tab + ": seq " + seq + " after " + before);
    }
  }

  private static List<String> closed(List<SockJsTab> tabs) {
    return tabs.stream()
        .filter(t -> t.closed.future().isComplete())
        .map(t -> t.user + " " + t.closeFrame)
        .toList();
  }

  /** The bridge process's own figures: its /metrics, and a full GC on request. */
  private static final class Metrics {
    private final TestSystem system;
    private final ChildProcess bridge;

    Metrics(TestSystem system, ChildProcess bridge) {
      this.system = system;
      this.bridge = bridge;
    }

    /** Heap in use right after a full GC: what the bridge holds, not what it has yet to collect. */
    long heapAfterGc() throws Exception {
      String jcmd =
          Path.of(ProcessHandle.current().info().command().orElseThrow())
              .resolveSibling("jcmd")
              .toString();
      Process gc =
          new ProcessBuilder(jcmd, Long.toString(bridge.pid(), 10), "GC.run")
              .redirectErrorStream(true)
              .start();
      String output = new String(gc.getInputStream().readAllBytes());
      assertEquals(0, gc.waitFor(), "jcmd GC.run: " + output);
      return (long) sum("jvm_memory_used_bytes", "area=\"heap\"");
    }

    long directBuffers() throws Exception {
      return (long) sum("jvm_buffer_memory_used_bytes", "id=\"direct\"");
    }

    long slowClientsClosed() throws Exception {
      return (long) sum("taskbus_bridge_slow_clients_closed_total", "");
    }

    long connections() throws Exception {
      return (long) sum("taskbus_bridge_connections", "");
    }

    long residentBytes() throws Exception {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(bridge.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
      return -1;
    }

    /** The sum of a metric's series whose labels contain {@code label}; 0 when there are none. */
    private double sum(String name, String label) throws Exception {
      HttpResponse<String> scrape =
          system.http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.port + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode(), scrape.body());
      double sum = 0;
      for (String line : scrape.body().split("\n")) {
        if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(label)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    }
  }
}
