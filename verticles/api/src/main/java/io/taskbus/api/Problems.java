package io.taskbus.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes RFC 9457 problem documents; the failure handler of every API route. */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://taskbus.io/problems/";

  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  public static void send(RoutingContext ctx, ApiException e) {
    JsonObject body =
        new JsonObject()
            .put("type", TYPE_BASE + e.slug())
            .put("title", e.title())
            .put("status", e.status())
            .put("detail", e.getMessage())
            .put("instance", ctx.request().path());
    if (e.errors() != null) {
      body.put("errors", e.errors());
    }
    String requestId = ctx.get(RequestIds.KEY);
    if (requestId != null) {
      body.put("requestId", requestId);
    }
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(e.status()).putHeader("Content-Type", CONTENT_TYPE);
    if ((e.status() == 503 || e.status() == 429) && !response.headers().contains("Retry-After")) {
      response.putHeader("Retry-After", "1");
    }
    // a 401 must say how to authenticate (RFC 9110 11.6.1); the token handler adds nothing
    // without a realm, and the subject check fails on its own
    if (e.status() == 401 && !response.headers().contains("WWW-Authenticate")) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(body.toBuffer());
  }

  /** Failure handler: known client errors keep their status, anything else is a logged 500. */
  public static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof io.vertx.ext.web.handler.HttpException http
        && http.getCause() instanceof io.vertx.openapi.validation.ValidatorException) {
      // the OpenAPI router wraps what its validator found
      failure = http.getCause();
    }
    if (failure instanceof io.vertx.openapi.validation.ValidatorException invalid) {
      send(ctx, ValidationProblems.of(invalid));
    } else if (failure instanceof DecodeException) {
      send(
          ctx,
          new ApiException(
              400, "malformed-json", "Malformed JSON", "The request body is not valid JSON"));
    } else if (failure != null && Databases.translate(failure) instanceof ApiException api) {
      // a client error, or the database busy or away (503): nothing was written
      send(ctx, api);
    } else if (failure == null || ctx.statusCode() != 500 && ctx.statusCode() > 0) {
      send(ctx, forStatus(ctx.statusCode()));
    } else {
      log.error(
          "request {} {} failed [requestId={}]",
          ctx.request().method(),
          ctx.request().path(),
          (Object) ctx.get(RequestIds.KEY),
          failure);
      send(
          ctx,
          new ApiException(
              500,
              "internal",
              "Internal Server Error",
              "The server failed to process the request"));
    }
  }

  /**
   * The answer to a request the HTTP decoder could not read (the server's invalid request handler):
   * the status Vert.x gives such a request (414, 431 or 400), as a problem document, then the
   * connection is closed, since what follows on it cannot be framed.
   */
  public static void refuseUnreadable(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiException problem;
    if (cause instanceof TooLongHttpLineException) {
      problem =
          new ApiException(414, "uri-too-long", "URI Too Long", "The request line is too long");
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem =
          new ApiException(
              431,
              "header-fields-too-large",
              "Request Header Fields Too Large",
              "The request's header fields are too large");
    } else {
      problem = ApiException.badRequest("The request is not valid HTTP/1.1");
    }
    request
        .response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        // so a client does not send its next request on a connection about to close
        .putHeader("Connection", "close")
        .end(
            new JsonObject()
                .put("type", TYPE_BASE + problem.slug())
                .put("title", problem.title())
                .put("status", problem.status())
                .put("detail", problem.getMessage())
                .toBuffer());
    request.connection().close();
  }

  /** A problem document for a bare status, e.g. a route that does not exist. */
  public static void sendStatus(RoutingContext ctx, int status) {
    send(ctx, forStatus(status));
  }

  static ApiException forStatus(int status) {
    return switch (status) {
      case 400 -> ApiException.badRequest("The request is malformed");
      case 401 ->
          new ApiException(401, "unauthorized", "Unauthorized", "A valid bearer token is required");
      case 403 -> new ApiException(403, "forbidden", "Forbidden", "Not allowed");
      case 404 -> new ApiException(404, "not-found", "Not Found", "No such resource");
      case 405 ->
          new ApiException(
              405,
              "method-not-allowed",
              "Method Not Allowed",
              "The method is not allowed on this resource");
      case 406 ->
          new ApiException(
              406, "not-acceptable", "Not Acceptable", "Only application/json can be produced");
      case 413 ->
          new ApiException(
              413, "payload-too-large", "Payload Too Large", "The request body is too large");
      case 415 ->
          new ApiException(
              415,
              "unsupported-media-type",
              "Unsupported Media Type",
              "The request body must be application/json");
      case 412 ->
          new ApiException(
              412,
              "precondition-failed",
              "Precondition Failed",
              "The precondition given in the request failed");
      default -> new ApiException(status > 0 ? status : 500, "error", "Error", "Request failed");
    };
  }

  private Problems() {}
}
