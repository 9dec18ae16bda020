package io.taskbus.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    EventCodec.register(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyLocalConsumerGetsTheSameInstance() throws Exception {
    Event event = Event.of(EventTest.envelope().encode());
    EventBus bus = vertx.eventBus();
    List<Object> received = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    Handler<Message<Object>> keep =
        m -> {
          received.add(m.body());
          three.countDown();
          m.reply(null);
        };
    var one = bus.consumer("user.alice.tasks", keep);
    var two = bus.localConsumer("user.alice.tasks", keep);
    var asked = bus.consumer("taskbus.audit.events", keep);
    Future.all(one.completion(), two.completion(), asked.completion()).await(10, TimeUnit.SECONDS);
    bus.publish("user.alice.tasks", event);
    bus.request("taskbus.audit.events", event).await(10, TimeUnit.SECONDS);
    three.await(10, TimeUnit.SECONDS);
    assertEquals(3, received.size(), received.toString());
    for (Object body : received) {
      assertSame(event, body, "no copy for a delivery within the process");
    }
  }

  @Test
  void theWireCarriesTheTextAsItCame() {
    // spacing and non-ASCII as PostgreSQL's jsonb prints them: kept, not printed anew
    String json =
        "{\"id\":\"9\",\"type\":\"task.created\",\"userid\":\"zoë\",\"seq\":3,"
            + "\"data\": {\"task\": {\"title\": \"naïve ☃\", \"n\": 1.50}}}";
    Event event = Event.of(json);
    EventCodec codec = new EventCodec();
    Buffer wire = Buffer.buffer("ahead");
    codec.encodeToWire(wire, event);
    Event received = codec.decodeFromWire(5, wire);
    assertEquals(json, received.json());
    assertEquals("{\"task\": {\"title\": \"naïve ☃\", \"n\": 1.50}}", received.dataJson());
    assertEquals("zoë", received.userId());
    assertEquals(3L, received.seq());
    assertEquals(event.view(), received.view());
    assertSame(event, codec.transform(event));
  }
}
