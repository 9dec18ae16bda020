package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.function.Function;

/**
 * Runs a generator on a Vert.x of one event loop, on epoll where there is one (it must not
 * compete with the system under test for the cores) and waits for its result; long blocked-loop
 * warnings are off, the load is ours.
 */
final class OneLoop {

  static <R> R run(Function<Vertx, Future<R>> generator) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setMaxEventLoopExecuteTime(2_000_000_000L).setPreferNativeTransport(true));
    try {
      Promise<R> done = Promise.promise();
      vertx.getOrCreateContext().runOnContext(v -> generator.apply(vertx).onComplete(done));
      return done.future().await();
    } finally {
      vertx.close().await();
    }
  }

  private OneLoop() {}
}
