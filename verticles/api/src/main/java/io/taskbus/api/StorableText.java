package io.taskbus.api;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Text PostgreSQL can store as it was sent: no NUL (PostgreSQL refuses it in text, which was a 500)
 * and no lone surrogate (UTF-8 cannot carry one, so it was stored as '?' and answered as sent).
 * Bodies check every string and key of a JSON body; this checks the query parameters.
 */
final class StorableText {

  /** Why a string cannot be stored as it was sent, or null. */
  static String problem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return "must not contain the NUL character (U+0000)";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return "must not contain a lone surrogate (an unpaired U+D800-U+DBFF)";
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return "must not contain a lone surrogate (an unpaired U+DC00-U+DFFF)";
      }
    }
    return null;
  }

  /** A platform handler: a query parameter that cannot be stored or searched for is a 400. */
  static void checkQuery(RoutingContext ctx) {
    for (Map.Entry<String, String> param : ctx.queryParams()) {
      String problem = problem(param.getKey());
      if (problem == null) {
        problem = problem(param.getValue());
      }
      if (problem != null) {
        ctx.fail(Violations.of(param.getKey().replace("\0", ""), problem));
        return;
      }
    }
    ctx.next();
  }

  /** A key as a reader can see it: what cannot be stored shown as its escape. */
  static String visible(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              && i + 1 < key.length()
              && Character.isLowSurrogate(key.charAt(i + 1));
      if (paired) {
        out.append(c).append(key.charAt(++i));
      } else if (c == 0 || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private StorableText() {}
}
