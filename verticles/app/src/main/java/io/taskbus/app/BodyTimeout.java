package io.taskbus.app;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A request whose body does not arrive in {@code http.bodyTimeoutMs} (a client that sent a
 * Content-Length and fewer bytes, or stalls) is answered 408 and its connection closed, instead of
 * holding the connection and its buffer until the client gives up.
 */
final class BodyTimeout implements Handler<RoutingContext> {

  private final long timeoutMs;

  BodyTimeout(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      long timer =
          ctx.vertx()
              .setTimer(
                  timeoutMs,
                  id -> {
                    if (!request.isEnded() && !ctx.response().headWritten()) {
                      ctx.response()
                          .setStatusCode(408)
                          .putHeader("Content-Type", "application/problem+json")
                          .putHeader("Connection", "close")
                          .end(
                              new JsonObject()
                                  .put("type", "https://taskbus.io/problems/request-timeout")
                                  .put("title", "Request Timeout")
                                  .put("status", 408)
                                  .put(
                                      "detail",
                                      "The request body did not arrive in " + timeoutMs + " ms")
                                  .toBuffer())
                          .onComplete(done -> request.connection().close());
                    }
                  });
      ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
    }
    ctx.next();
  }
}
