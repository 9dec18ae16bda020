package io.taskbus.api;

import io.taskbus.contracts.RequestContext;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/** Gives every request an id (the client's {@code X-Request-Id} when sane) for logs and events. */
final class RequestIds {

  static final String KEY = "requestId";
  static final String HEADER = "X-Request-Id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  static void assign(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id =
        given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    RequestContext.requestId(id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  private RequestIds() {}
}
