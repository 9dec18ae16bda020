package io.taskbus.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskbus.contracts.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the verticle answers on the event bus before it needs the database. Its pool points at a
 * port nothing listens on (a pool connects only when first used) and the sweep is an hour away, so
 * any answer that needed PostgreSQL would be a failure.
 */
class NotificationVerticleTest {

  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void createVertx() {
    vertx = Vertx.vertx();
    pool =
        PgBuilder.pool()
            .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(1))
            .using(vertx)
            .build();
  }

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  private Future<String> deploy(JsonObject notification) {
    return vertx.deployVerticle(
        new NotificationVerticle(pool),
        new DeploymentOptions().setConfig(new JsonObject().put("notification", notification)));
  }

  private static JsonObject section() {
    return NotificationSettingsTest.section().put("sweepIntervalMs", 3_600_000);
  }

  private Object ask(String address, JsonObject body) throws Exception {
    return await(
            vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(5_000)))
        .body();
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  @Test
  void aConfigurationWithoutAKeyIsNotDeployed() {
    JsonObject notification = section();
    notification.getJsonObject("retry").remove("maxAttempts");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> await(deploy(notification)));
    assertEquals("configuration key maxAttempts must be a number and is missing", e.getMessage());
  }

  @Test
  void anUnknownRequestIsABadRequest() throws Exception {
    await(deploy(section()));
    ReplyException e =
        assertThrows(
            ReplyException.class,
            () ->
                ask(
                    Addresses.NOTIFICATION_REQUESTS,
                    new JsonObject().put("action", "archive").put("userId", "alice")));
    assertEquals(400, e.failureCode());
    assertEquals("unknown action", e.getMessage());
  }

  @Test
  void anEventThatIsNoReminderIsAcknowledgedAndDropped() throws Exception {
    await(deploy(section()));
    Object ack =
        ask(
            Addresses.NOTIFICATION_EVENTS,
            new JsonObject()
                .put("specversion", "1.0")
                .put("id", "42")
                .put("type", "task.created")
                .put("subject", "0190f5a0-1b2c-7d3e-8f40-123456789abc")
                .put("userid", "alice")
                .put("data", new JsonObject().put("task", new JsonObject().put("title", "x"))));
    assertNull(ack);
  }

  /**
   * Production bug: {@code answer} reads the request (a settings object, a notification id) before
   * it has a future, so what cannot be read throws out of the event-bus handler and the requester
   * gets no answer at all, only its timeout, where an {@link IllegalArgumentException} in the
   * future is a 400. The api checks both before it asks, so no HTTP request reaches this today.
   */
  @Test
  void aRequestThatCannotBeReadIsABadRequest() throws Exception {
    await(deploy(section()));
    ReplyException e =
        assertThrows(
            ReplyException.class,
            () ->
                ask(
                    Addresses.NOTIFICATION_REQUESTS,
                    new JsonObject()
                        .put("action", "read")
                        .put("userId", "alice")
                        .put("id", "not-a-uuid")));
    assertEquals(400, e.failureCode());
  }
}
