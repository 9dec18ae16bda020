package io.taskbus.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.sqlclient.Pool;

/**
 * The HTTP API under {@code /api/v1}, as a router the launcher mounts on the process's one HTTP
 * server (api and bridge may share a port, and a shared port round-robins whole connections).
 */
public final class ApiRoutes {

  private ApiRoutes() {}

  /** Per-process state shared by every HTTP event loop. */
  public static RateLimiter rateLimiter(JsonObject config) {
    JsonObject api = config.getJsonObject("api", new JsonObject());
    return new RateLimiter(api.getDouble("rateLimitPerSecond", 50.0),
        api.getDouble("rateLimitBurst", 100.0));
  }

  /**
   * @param devTokens when true (embedded default without a configured key only), anyone can get
   *     a token for any user name at {@code POST /dev/token}
   */
  public static Router create(Vertx vertx, Pool pool, JWTAuth auth, JsonObject config,
      boolean devTokens, RateLimiter limiter) {
    Router router = Router.router(vertx);
    int bodyLimit = config.getJsonObject("http").getInteger("bodyLimit", 65_536);
    router.route().handler(RequestIds::assign);
    router.route().handler(Accepts::json);
    router.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
    if (devTokens) {
      router.post("/dev/token").handler(new DevTokenHandler(auth));
    }
    router.route().handler(JWTAuthHandler.create(auth)).handler(SubjectCheck::require);
    router.route().handler(limiter::handle);

    UserDb db = new UserDb(pool);
    TaskHandlers tasks = new TaskHandlers(db);
    AuditHandlers audit = new AuditHandlers(db, vertx.eventBus());
    BulkHandler bulk = new BulkHandler();
    router.post("/tasks").handler(tasks::create);
    router.get("/tasks").handler(tasks::list);
    router.post("/tasks/bulk").handler(ctx -> {
      var body = Bodies.object(ctx);
      tasks.writeReply(ctx, conn -> bulk.run(conn, TaskHandlers.user(ctx),
          TaskHandlers.requestId(ctx), body));
    });
    router.get("/tasks/:id").handler(tasks::get);
    router.patch("/tasks/:id").handler(tasks::patch);
    router.delete("/tasks/:id").handler(tasks::delete);
    router.post("/tasks/:id/complete").handler(tasks::complete);
    router.post("/tasks/:id/reopen").handler(tasks::reopen);
    router.post("/tasks/:id/restore").handler(tasks::restore);
    router.put("/tasks/:id/tags").handler(tasks::replaceTags);
    router.get("/tasks/:id/history").handler(audit::history);
    router.get("/trash").handler(tasks::trash);
    router.get("/audit").handler(audit::audit);

    router.route().handler(new MethodCheck(router)::handle);
    router.route().failureHandler(Problems::handleFailure);
    return router;
  }
}
