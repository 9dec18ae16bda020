package io.taskbus.bridge;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SockJS session belongs to the user who opened it. The non-WebSocket transports spread one
 * session over many HTTP requests ({@code /eventbus/<server>/<session>/xhr_streaming}, {@code
 * .../xhr}, {@code .../xhr_send}, ...), each authenticated on its own; without this, a user with a
 * valid token of their own could name another user's session id and read its pushes or write into
 * it. The first request of a session records its user; a request of another user is refused, so the
 * session id is no capability on its own. Per bridge process, like the sessions themselves (the
 * non-WebSocket transports need sticky sessions); the oldest entries go first when it is full, and
 * an entry unused for longer than a session can live is forgotten.
 */
final class SessionOwners implements Handler<RoutingContext> {

  /** {@code /<server>/<session>/<transport>} under the bridge's mount point. */
  private static final Pattern SESSION_PATH =
      Pattern.compile(
          ".*/[^/.]+/([^/.]+)/(?:xhr|xhr_send|xhr_streaming|eventsource|htmlfile|jsonp|jsonp_send|websocket)$");

  private static final int MAX_SESSIONS = 100_000;

  private final long idleMillis;
  private final Map<String, Owner> owners =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Owner> eldest) {
          return size() > MAX_SESSIONS
              || System.currentTimeMillis() - eldest.getValue().lastUsed > idleMillis;
        }
      };

  private static final class Owner {
    final String user;
    long lastUsed;

    Owner(String user, long now) {
      this.user = user;
      this.lastUsed = now;
    }
  }

  /**
   * @param idleMillis how long an unused session's owner is remembered: longer than SockJS keeps a
   *     session without a request
   */
  SessionOwners(long idleMillis) {
    this.idleMillis = idleMillis;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Matcher session = SESSION_PATH.matcher(ctx.normalizedPath());
    if (!session.matches() || ctx.user() == null) {
      ctx.next();
      return;
    }
    String user = ctx.user().subject();
    if (!owns(session.group(1), user, System.currentTimeMillis())) {
      BridgeProblems.send(
          ctx, 403, "forbidden", "Forbidden", "This bridge session belongs to another user");
      return;
    }
    ctx.next();
  }

  /** True when {@code user} opened the session, or opens it now. */
  synchronized boolean owns(String session, String user, long now) {
    Owner owner = owners.get(session);
    if (owner == null || now - owner.lastUsed > idleMillis) {
      owners.put(session, new Owner(user, now));
      return true;
    }
    if (!owner.user.equals(user)) {
      return false;
    }
    owner.lastUsed = now;
    return true;
  }
}
