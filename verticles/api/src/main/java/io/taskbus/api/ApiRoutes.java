package io.taskbus.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/**
 * The HTTP API under {@code /api/v1}, built from its OpenAPI document (served at {@code
 * /api/v1/openapi.yaml}): the router validates every request against it before a handler runs. The
 * launcher mounts the result on the process's one HTTP server (api and bridge may share a port, and
 * a shared port round-robins whole connections).
 */
public final class ApiRoutes {

  private ApiRoutes() {}

  /** Per-process state shared by every HTTP event loop. */
  public static RateLimiter rateLimiter(JsonObject config) {
    ApiSettings settings = ApiSettings.from(config);
    return new RateLimiter(settings.rateLimitPerSecond(), settings.rateLimitBurst());
  }

  /**
   * @param devTokens when true (embedded default without a configured key only), anyone can get a
   *     token for any user name at {@code POST /dev/token}
   */
  public static Future<Router> create(
      Vertx vertx,
      Pool pool,
      JWTAuth auth,
      JsonObject config,
      boolean devTokens,
      RateLimiter limiter) {
    OpenApiDocument document = OpenApiDocument.load();
    AsyncApiDocument events = AsyncApiDocument.load();
    return OpenAPIContract.from(vertx, document.forValidator())
        .map(
            contract -> {
              // the router's own validation is off on every route: InlineValidation does it, with
              // its own extractor (the body handler's)
              RouterBuilder builder = RouterBuilder.create(vertx, contract);
              InlineValidation validation = new InlineValidation(vertx, contract);
              // its merge-patch media type is beyond the validator; TaskChanges.patch checks every
              // field
              Set<String> unvalidated =
                  Set.of(
                      "patchTask",
                      // vertx-openapi 5.0 built a new schema validator for every request body it
                      // checked, which took a fifth of the api's CPU under load (perf/README.md;
                      // SchemaValidatorsOnce now keeps one per schema); TaskChanges.create checks
                      // every field of a create (and rejects unknown ones) itself, so the hottest
                      // write skips the library's check
                      "createTask",
                      // as createTask and patchTask: SavedFilterChanges checks every field
                      "createFilter",
                      "patchFilter");
              for (OpenAPIRoute route : builder.getRoutes()) {
                route.setDoValidation(false);
                if (!unvalidated.contains(route.getOperation().getOperationId())) {
                  route.addHandler(validation.of(route.getOperation()));
                }
              }
              ApiSettings settings = ApiSettings.from(config);
              int bodyLimit = settings.bodyLimit();
              // platform handlers: Vert.x runs them before body, security and validation handlers
              builder.rootHandler((PlatformHandler) RequestIds::assign);
              QueueTime.PROCESS.configure(
                  settings.queueTargetMs(),
                  settings.queueIntervalMs(),
                  settings.maxInFlight(),
                  System.nanoTime());
              builder.rootHandler((PlatformHandler) new Admission(QueueTime.PROCESS)::handle);
              builder.rootHandler((PlatformHandler) Accepts::json);
              builder.rootHandler((PlatformHandler) StorableText::checkQuery);
              builder.rootHandler(BodyHandler.create(false).setBodyLimit(bodyLimit));
              builder
                  .security("bearer")
                  .httpHandler(new BearerTokenHandler(JWTAuthHandler.create(auth)));

              UserDb db = new UserDb(pool);
              SeriesRules rules = new SeriesRules(vertx.eventBus());
              TaskHandlers tasks = new TaskHandlers(db, rules);
              AuditHandlers audit = new AuditHandlers(db, vertx.eventBus());
              BulkHandler bulk = new BulkHandler();
              Handler<RoutingContext> devToken =
                  devTokens
                      ? new DevTokenHandler(auth)
                      : ctx -> ctx.fail(ApiException.notFound("development sign-in"));
              builder.getRoute("devToken").addHandler(devToken);
              on(builder, "listTasks", limiter, tasks::list);
              on(builder, "createTask", limiter, tasks::create);
              on(
                  builder,
                  "bulkTasks",
                  limiter,
                  ctx -> {
                    JsonObject body = Bodies.object(ctx);
                    tasks.writeReply(
                        ctx,
                        conn ->
                            bulk.run(
                                conn, TaskHandlers.user(ctx), TaskHandlers.requestId(ctx), body));
                  });
              on(builder, "getTask", limiter, tasks::get);
              on(builder, "patchTask", limiter, tasks::patch);
              on(builder, "deleteTask", limiter, tasks::delete);
              on(builder, "completeTask", limiter, tasks::complete);
              on(builder, "reopenTask", limiter, tasks::reopen);
              on(builder, "restoreTask", limiter, tasks::restore);
              on(builder, "replaceTags", limiter, tasks::replaceTags);
              on(builder, "taskHistory", limiter, audit::history);
              on(builder, "listTrash", limiter, tasks::trash);
              on(builder, "auditTrail", limiter, audit::audit);
              on(builder, "sync", limiter, new SyncHandler(db)::handle);
              on(builder, "taskSeries", limiter, tasks::series);
              on(builder, "taskOccurrences", limiter, tasks::occurrences);
              NotificationHandlers notifications = new NotificationHandlers(vertx.eventBus());
              on(builder, "listNotifications", limiter, notifications::list);
              on(builder, "unreadNotifications", limiter, notifications::unreadCount);
              on(builder, "readNotification", limiter, notifications::read);
              on(builder, "readAllNotifications", limiter, notifications::readAll);
              on(builder, "snoozeNotification", limiter, notifications::snooze);
              on(builder, "notificationSettings", limiter, notifications::settings);
              on(builder, "saveNotificationSettings", limiter, notifications::saveSettings);
              on(builder, "taskCounts", limiter, new TaskCountsHandler(db)::handle);
              SavedFilterHandlers filters = new SavedFilterHandlers(db, tasks);
              on(builder, "listFilters", limiter, filters::list);
              on(builder, "createFilter", limiter, filters::create);
              on(builder, "patchFilter", limiter, filters::patch);
              on(builder, "deleteFilter", limiter, filters::delete);
              on(builder, "exportCalendar", limiter, tasks::calendar);
              on(
                  builder,
                  "importCalendar",
                  limiter,
                  new CalendarImportHandler(tasks, rules)::handle);
              CalendarFeedHandlers feeds =
                  new CalendarFeedHandlers(
                      pool, db, rules, limiter, ApiSettings.from(config).publicBaseUrl());
              on(builder, "createCalendarFeed", limiter, feeds::create);
              on(builder, "calendarFeed", limiter, feeds::status);
              on(builder, "revokeCalendarFeed", limiter, feeds::revoke);
              // no bearer token: the secret in the path is the credential (rate-limited inside)
              builder.getRoute("serveCalendarFeed").addHandler(feeds::serve);
              on(builder, "skipTask", limiter, tasks::skip);
              on(builder, "skipOccurrence", limiter, ctx -> tasks.changeOccurrence(ctx, "skip"));
              on(builder, "moveOccurrence", limiter, ctx -> tasks.changeOccurrence(ctx, "move"));
              on(
                  builder,
                  "restoreOccurrence",
                  limiter,
                  ctx -> tasks.changeOccurrence(ctx, "restore"));
              for (OpenAPIRoute route : builder.getRoutes()) {
                route.addFailureHandler(Problems::handleFailure);
              }

              Router api = builder.createRouter();
              // public, and before the root handlers (which would want JSON)
              api.get("/openapi.yaml")
                  .order(-1)
                  .handler(
                      ctx ->
                          ctx.response()
                              .putHeader("Content-Type", "application/yaml")
                              .end(document.text()));
              // the events' (Kafka topics, bridge addresses) document, served the same way
              api.get("/asyncapi.yaml")
                  .order(-1)
                  .handler(
                      ctx ->
                          ctx.response()
                              .putHeader("Content-Type", "application/yaml")
                              .end(events.text()));
              api.route().handler(new MethodCheck(api)::handle);
              api.route().failureHandler(Problems::handleFailure);
              return api;
            });
  }

  /** Every authenticated operation: a usable subject, the user's rate limit, then the handler. */
  private static void on(
      RouterBuilder builder,
      String operation,
      RateLimiter limiter,
      Handler<RoutingContext> handler) {
    builder
        .getRoute(operation)
        .addHandler(SubjectCheck::require)
        .addHandler(limiter::handle)
        .addHandler(handler);
  }
}
