package io.taskbus.api;

import io.taskbus.contracts.Addresses;
import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The notification inbox and settings, owned by the notification verticle: the api checks the
 * request, names the caller, and relays the question over the bus.
 */
final class NotificationHandlers {

  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 100;
  private static final Duration SHORTEST_SNOOZE = Duration.ofSeconds(1);
  private static final Duration LONGEST_SNOOZE = Duration.ofDays(30);

  /* Deliberately loose: one @, something on each side, a dot in the domain; the mail server decides. */
  /**
   * An RFC 5321 mailbox in its common form: a dot-atom local part (at most 64 characters) and a
   * domain of LDH labels with at least one dot. Quoted local parts and address literals, which mail
   * providers refuse anyway, are refused too; so is anything with markup in it.
   */
  private static final Pattern EMAIL =
      Pattern.compile(
          "(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
              + "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
              + "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  private final EventBus bus;

  NotificationHandlers(EventBus bus) {
    this.bus = bus;
  }

  void list(RoutingContext ctx) {
    var params = ctx.queryParams();
    Violations v = new Violations();
    JsonObject q =
        ask(ctx, "list")
            .put("limit", TaskQuery.limit(params.get("limit"), DEFAULT_LIMIT, MAX_LIMIT, v))
            .put("unread", "true".equals(params.get("unread")));
    String cursor = params.get("cursor");
    if (cursor != null) {
      if (!cursor.matches("[0-9]{1,18}")) {
        v.add("cursor", "is not a cursor this API issued");
      } else {
        q.put("before", Long.parseLong(cursor));
      }
    }
    v.throwIfAny();
    relay(ctx, q);
  }

  void unreadCount(RoutingContext ctx) {
    relay(ctx, ask(ctx, "count"));
  }

  void read(RoutingContext ctx) {
    relay(ctx, ask(ctx, "read").put("id", id(ctx)));
  }

  void readAll(RoutingContext ctx) {
    relay(ctx, ask(ctx, "readAll"));
  }

  void snooze(RoutingContext ctx) {
    String id = id(ctx);
    Object text = Bodies.object(ctx).getValue("duration");
    Duration duration = null;
    try {
      duration = text instanceof String s ? Duration.parse(s) : null;
    } catch (DateTimeException ignored) {
      // answered below, like a missing duration
    }
    if (duration == null
        || duration.compareTo(SHORTEST_SNOOZE) < 0
        || duration.compareTo(LONGEST_SNOOZE) > 0) {
      throw Violations.of("duration", "must be an ISO-8601 duration from PT1S to P30D, like PT10M");
    }
    relay(ctx, ask(ctx, "snooze").put("id", id).put("seconds", duration.toSeconds()));
  }

  void settings(RoutingContext ctx) {
    relay(ctx, ask(ctx, "settings"));
  }

  /** The whole settings object; a field left out takes its default. */
  void saveSettings(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    Violations v = new Violations();
    JsonObject settings = new JsonObject();
    Object email = body.getValue("email");
    if (email != null
        && !(email instanceof String s && s.length() <= 254 && EMAIL.matcher(s).matches())) {
      v.add("email", "must be an e-mail address like ada@example.com, or null");
    }
    settings.put("email", email);
    flag(body, "emailEnabled", settings, v);
    flag(body, "pushEnabled", settings, v);
    Object zone = body.getValue("timeZone", "UTC");
    settings.put("timeZone", TaskFields.timeZone(zone, v));
    Object quiet = body.getValue("quietHours");
    if (quiet != null) {
      if (quiet instanceof JsonObject q) {
        settings.put(
            "quietHours",
            new JsonObject().put("start", time(q, "start", v)).put("end", time(q, "end", v)));
      } else {
        v.add("quietHours", "must be {\"start\": \"22:00\", \"end\": \"07:00\"} or null");
      }
    }
    v.throwIfAny();
    relay(ctx, ask(ctx, "saveSettings").put("settings", settings));
  }

  private static void flag(JsonObject body, String name, JsonObject settings, Violations v) {
    Object value = body.getValue(name, true);
    if (!(value instanceof Boolean)) {
      v.add(name, "must be true or false");
    }
    settings.put(name, value);
  }

  private static String time(JsonObject quiet, String name, Violations v) {
    Object value = quiet.getValue(name);
    try {
      if (value instanceof String s && s.matches("\\d{2}:\\d{2}(:\\d{2})?")) {
        return LocalTime.parse(s).toString();
      }
    } catch (DateTimeException ignored) {
      // answered below
    }
    v.add("quietHours." + name, "must be a local time like 22:00");
    return null;
  }

  private static String id(RoutingContext ctx) {
    UUID id = Uuids.parse(ctx.pathParam("id"));
    if (id == null) {
      throw ApiException.notFound("notification");
    }
    return id.toString();
  }

  private static JsonObject ask(RoutingContext ctx, String action) {
    return new JsonObject().put("action", action).put("userId", TaskHandlers.user(ctx));
  }

  private void relay(RoutingContext ctx, JsonObject question) {
    bus.<JsonObject>request(Addresses.NOTIFICATION_REQUESTS, question, ASK)
        .onComplete(ar -> reply(ctx, ar));
  }

  private static void reply(RoutingContext ctx, AsyncResult<Message<JsonObject>> ar) {
    if (ar.succeeded()) {
      Responses.json(ctx, ar.result().body());
    } else if (ar.cause() instanceof ReplyException e
        && e.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && e.failureCode() == 404) {
      ctx.fail(ApiException.notFound("notification"));
    } else {
      ctx.fail(Databases.translate(ar.cause()));
    }
  }
}
