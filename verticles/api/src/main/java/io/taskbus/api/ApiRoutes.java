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

  /**
   * @param devTokens when true (embedded default without a configured key only), anyone can get
   *     a token for any user name at {@code POST /dev/token}
   */
  public static Router create(Vertx vertx, Pool pool, JWTAuth auth, JsonObject config,
      boolean devTokens) {
    Router router = Router.router(vertx);
    int bodyLimit = config.getInteger("bodyLimit", 65_536);
    router.route().handler(RequestIds::assign);
    router.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
    if (devTokens) {
      router.post("/dev/token").handler(new DevTokenHandler(auth));
    }
    router.route().handler(JWTAuthHandler.create(auth)).handler(SubjectCheck::require);

    TaskHandlers tasks = new TaskHandlers(new TaskRepository(pool), vertx.eventBus());
    router.post("/tasks").handler(tasks::create);
    router.get("/tasks").handler(tasks::list);
    router.get("/tasks/:id").handler(tasks::get);
    router.delete("/tasks/:id").handler(tasks::delete);
    router.post("/tasks/:id/complete").handler(tasks::complete);
    router.get("/tasks/:id/history").handler(tasks::history);

    router.route().handler(new MethodCheck(router)::handle);
    router.route().failureHandler(Problems::handleFailure);
    return router;
  }
}
