package io.taskbus.app;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bridge client's side of the event-bus bridge protocol, whichever SockJS transport carries its
 * frames: what it sends, and the frames it reads, in order, waited for by type.
 */
abstract class BridgeFrames implements AutoCloseable {

  /** Every frame read, in order. */
  final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

  /** Frames read while waiting for something else, read first by {@link #next}. */
  private final ArrayDeque<JsonObject> held = new ArrayDeque<>();

  /** Sends one frame of the bridge protocol ({@code type}, {@code address}, ...). */
  abstract void send(JsonObject frame);

  @Override
  public abstract void close();

  void register(String address) {
    send(new JsonObject().put("type", "register").put("address", address));
  }

  /**
   * Registers and returns once the server has made the registration. The bridge protocol does not
   * acknowledge one, but the server handles a connection's frames in order and answers a
   * registration it refuses with an err frame: so a refused registration sent right after, and its
   * err frame, mark the point where the first is in place. That is this process's event bus; on a
   * clustered one the other members learn of it later (see ClusterIT).
   */
  void registerAndAwait(String address) throws InterruptedException {
    register(address);
    register("user.not-" + java.util.UUID.randomUUID() + ".tasks"); // nobody's own address
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (frame == null) {
        throw new AssertionError("the bridge did not answer a refused registration in 10 s");
      }
      if ("err".equals(frame.getString("type"))) {
        return;
      }
      held.add(frame); // a push that came meanwhile is still for the test to read
    }
  }

  /** The next frame of the given type, or null when none arrives in time. */
  JsonObject next(String type, Duration timeout) throws InterruptedException {
    while (!held.isEmpty()) {
      JsonObject frame = held.poll();
      if (type.equals(frame.getString("type"))) {
        return frame;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      JsonObject frame = frames.poll(left, TimeUnit.NANOSECONDS);
      if (frame != null && type.equals(frame.getString("type"))) {
        return frame;
      }
    }
  }
}
