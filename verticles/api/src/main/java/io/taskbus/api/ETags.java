package io.taskbus.api;

import io.vertx.ext.web.RoutingContext;

/** Conditional requests: {@code If-None-Match} for reads, {@code If-Match} against lost updates. */
final class ETags {

  static void checkIfMatch(String ifMatch, Task current) {
    checkIfMatch(ifMatch, current.etag(), "task");
  }

  /** {@code what} names the resource in the problem's detail. */
  static void checkIfMatch(String ifMatch, String etag, String what) {
    if (ifMatch != null && !matches(ifMatch, etag)) {
      throw new ApiException(
          412,
          "precondition-failed",
          "Precondition Failed",
          "The " + what + " changed since you read it (its ETag is now " + etag + ")");
    }
  }

  /** True when the header lists the tag or is {@code *}; weak tags never match strongly. */
  static boolean matches(String header, String etag) {
    for (String candidate : header.split(",")) {
      String c = candidate.strip();
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** True (and a 304 sent) when the client already has this version. */
  static boolean notModified(RoutingContext ctx, String etag) {
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.strip();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || c.equals(etag)) {
        ctx.response().setStatusCode(304).putHeader("ETag", etag).end();
        return true;
      }
    }
    return false;
  }

  private ETags() {}
}
