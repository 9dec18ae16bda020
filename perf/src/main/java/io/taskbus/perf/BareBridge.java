package io.taskbus.perf;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import java.time.Instant;

/**
 * The baseline of perf/run-fanout.sh: a bare Vert.x SockJS event-bus bridge, no authentication, no
 * Origin check, no per-connection guard, no presence, no taskbus logic; just what a Vert.x
 * application needs to push to browsers. The same SockJS settings as the taskbus bridge (ping
 * timeout, heartbeat, no write handler per socket), the same HTTP server options, one instance per
 * core like the app's HTTP verticle. {@code POST /publish/<user>} takes an event envelope, stamps
 * its {@code time} and publishes it on {@code user.<user>.tasks}: the stand-in for taskbus's
 * commit, outbox, Kafka and live subscription.
 *
 * <pre>java -cp taskbus-perf.jar io.taskbus.perf.BareBridge --port 8090 [--instances 0]</pre>
 */
public final class BareBridge extends VerticleBase {

  private final int port;
  private final long pingTimeout;
  private final long heartbeat;

  private BareBridge(int port, long pingTimeout, long heartbeat) {
    this.port = port;
    this.pingTimeout = pingTimeout;
    this.heartbeat = heartbeat;
  }

  public static void main(String[] args) {
    Options o = Options.parseOrExit(args, Options.defaults("port", "8090", "instances", "0",
        "ping-timeout-ms", "30000", "heartbeat-ms", "25000"));
    int instances = o.integer("instances") > 0 ? o.integer("instances")
        : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    long pingTimeout = o.longValue("ping-timeout-ms");
    long heartbeat = o.longValue("heartbeat-ms");
    vertx.deployVerticle(() -> new BareBridge(o.integer("port"), pingTimeout, heartbeat),
            new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare bridge listening on 127.0.0.1:" + o.integer("port")
            + " (" + instances + " instances)"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health/ready").handler(ctx -> ctx.end("ok"));
    router.post("/publish/:user").handler(BodyHandler.create(false).setBodyLimit(65_536));
    router.post("/publish/:user").handler(ctx -> {
      String user = ctx.pathParam("user");
      JsonObject envelope = ctx.body().asJsonObject();
      envelope.put("time", Instant.now().toString());
      vertx.eventBus().publish("user." + user + ".tasks", envelope);
      ctx.response().setStatusCode(201).end();
    });
    SockJSBridgeOptions bridge = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("user\\..+"))
        .setPingTimeout(pingTimeout);
    SockJSHandlerOptions sockJs = new SockJSHandlerOptions().setRegisterWriteHandler(false)
        .setHeartbeatInterval(heartbeat);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, sockJs).bridge(bridge));
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
            .setMaxWebSocketFrameSize(65_536).setMaxWebSocketMessageSize(65_536)
            .setCompressionSupported(true))
        .requestHandler(router).listen();
  }
}
