package io.taskbus.api;

import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The token's subject is the user id: it keys rows, Kafka records and bus addresses, so a token
 * without a usable one is as good as none.
 */
final class SubjectCheck {

  static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_@.+-]{1,128}");

  static void require(RoutingContext ctx) {
    String subject = ctx.user() == null ? null : ctx.user().subject();
    if (subject == null || !USER_ID.matcher(subject).matches()) {
      ctx.fail(401);
      return;
    }
    ctx.next();
  }

  private SubjectCheck() {}
}
