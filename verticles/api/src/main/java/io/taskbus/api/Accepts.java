package io.taskbus.api;

import io.vertx.ext.web.RoutingContext;

/**
 * 406 unless the client accepts JSON (or anything); problem documents are JSON too. The calendar
 * export ({@code .ics}) also answers calendar clients that ask for {@code text/calendar} only.
 */
final class Accepts {

  static void json(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    if (accept != null
        && !acceptsJson(accept)
        && !(ctx.normalizedPath().endsWith(".ics") && accepts(accept, "text/calendar"))) {
      throw Problems.forStatus(406);
    }
    ctx.next();
  }

  static boolean acceptsJson(String accept) {
    for (String range : accept.split(",")) {
      String type = range.split(";")[0].strip().toLowerCase();
      if (type.equals("*/*")
          || type.equals("application/*")
          || type.equals("application/json")
          || type.equals("application/problem+json")
          || type.equals("application/merge-patch+json")
          || type.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static boolean accepts(String accept, String mediaType) {
    for (String range : accept.split(",")) {
      String type = range.split(";")[0].strip().toLowerCase();
      if (type.equals(mediaType) || type.equals("text/*")) {
        return true;
      }
    }
    return false;
  }

  private Accepts() {}
}
