package io.taskbus.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * A user's calendar subscription: {@code POST /calendar-feed} makes (or replaces) a secret feed
 * URL, {@code GET} says whether one exists, {@code DELETE} revokes it; {@code GET
 * /calendar-feed/{secret}.ics} serves the same document as {@code GET /tasks.ics} to whoever holds
 * the URL (calendar apps cannot send a bearer token). Every feed request looks its secret up again,
 * so a rotated or revoked URL stops working with the commit that replaced it.
 */
final class CalendarFeedHandlers {

  private static final String SAVE =
      """
      INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)
      ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = now()
      RETURNING created_at""";
  private static final String STATUS = "SELECT created_at FROM calendar_feeds WHERE user_id = $1";
  private static final String REVOKE = "DELETE FROM calendar_feeds WHERE user_id = $1";

  /** Before anyone is known, so with the pool's own role rather than a user's scope. */
  private static final String OWNER = "SELECT user_id FROM calendar_feeds WHERE token_hash = $1";

  private static final String SUFFIX = ".ics";

  /** Requests with unknown secrets share one bucket per client address. */
  private static final String MISS_KEY = "calendar-feed-miss ";

  private final Pool pool;
  private final UserDb db;
  private final SeriesRules rules;
  private final RateLimiter limiter;
  private final String publicBaseUrl;

  CalendarFeedHandlers(
      Pool pool, UserDb db, SeriesRules rules, RateLimiter limiter, String publicBaseUrl) {
    this.pool = pool;
    this.db = db;
    this.rules = rules;
    this.limiter = limiter;
    this.publicBaseUrl = publicBaseUrl;
  }

  /**
   * A new secret URL, replacing the user's previous one; shown this once (only its hash is kept).
   */
  void create(RoutingContext ctx) {
    String user = TaskHandlers.user(ctx);
    String token = CalendarFeedTokens.generate();
    String url = base(ctx) + ctx.request().path() + "/" + token + SUFFIX;
    db.tx(
            user,
            conn ->
                conn.preparedQuery(SAVE)
                    .execute(Tuple.of(user, Buffer.buffer(CalendarFeedTokens.hash(token)))))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(Databases.translate(ar.cause()));
                return;
              }
              ctx.response().setStatusCode(201);
              Responses.json(
                  ctx,
                  new JsonObject()
                      .put("url", url)
                      .put("webcalUrl", "webcal" + url.substring(url.indexOf("://")))
                      .put("createdAt", createdAt(ar.result().iterator().next())));
            });
  }

  void status(RoutingContext ctx) {
    String user = TaskHandlers.user(ctx);
    db.read(user, STATUS, Tuple.of(user))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(Databases.translate(ar.cause()));
                return;
              }
              var rows = ar.result().iterator();
              Responses.json(
                  ctx,
                  new JsonObject()
                      .put("active", rows.hasNext())
                      .put("createdAt", rows.hasNext() ? createdAt(rows.next()) : null));
            });
  }

  void revoke(RoutingContext ctx) {
    String user = TaskHandlers.user(ctx);
    db.tx(user, conn -> conn.preparedQuery(REVOKE).execute(Tuple.of(user)))
        .onComplete(Responses.noContent(ctx));
  }

  /** The feed itself: the owner's tasks, or a 404 for a secret that is not (or no longer) one. */
  void serve(RoutingContext ctx) {
    String feed = ctx.pathParam("feed");
    String token =
        feed != null && feed.endsWith(SUFFIX)
            ? feed.substring(0, feed.length() - SUFFIX.length())
            : null;
    Future<String> owner =
        CalendarFeedTokens.wellFormed(token)
            ? pool.preparedQuery(OWNER)
                .execute(Tuple.of(Buffer.buffer(CalendarFeedTokens.hash(token))))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0))
            : Future.succeededFuture();
    owner
        .compose(
            user -> {
              if (user == null) {
                limiter.require(ctx, MISS_KEY + ctx.request().remoteAddress().hostAddress());
                throw ApiException.notFound("calendar feed");
              }
              limiter.require(ctx, user);
              return CalendarDocument.of(db, ctx.vertx(), rules, user);
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(Databases.translate(ar.cause()));
              } else {
                // the URL is the credential: keep shared caches from storing the document
                ctx.response().putHeader("Cache-Control", "private, no-cache");
                CalendarDocument.send(ctx, ar.result());
              }
            });
  }

  /**
   * Where clients reach this server: {@code api.publicBaseUrl} when set (behind a reverse proxy),
   * else this request's own scheme and {@code Host}. Forwarded headers are not trusted.
   */
  private String base(RoutingContext ctx) {
    if (publicBaseUrl != null && !publicBaseUrl.isBlank()) {
      return publicBaseUrl.endsWith("/")
          ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
          : publicBaseUrl;
    }
    HostAndPort authority = ctx.request().authority();
    if (authority == null) {
      throw ApiException.badRequest(
          "The request has no Host header to build the feed URL from; send one (or configure"
              + " api.publicBaseUrl)");
    }
    return ctx.request().scheme() + "://" + authority;
  }

  private static String createdAt(Row row) {
    return IsoText.instant(row.getOffsetDateTime("created_at").toInstant());
  }
}
