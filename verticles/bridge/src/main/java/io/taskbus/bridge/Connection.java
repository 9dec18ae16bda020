package io.taskbus.bridge;

import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** One bridge connection's budget: message rate, registrations, and how long its token holds. */
final class Connection {

  final String user;
  final SockJSSocket socket;
  private final double perSecond;
  private final double burst;
  private double tokens;
  private long refilledAt = System.nanoTime();
  int registrations;
  long expiryTimer = -1;

  Connection(String user, SockJSSocket socket, double perSecond, double burst) {
    this.user = user;
    this.socket = socket;
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
  }

  /** Takes one message from the budget; false when the client sends faster than allowed. */
  boolean allow() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
    refilledAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  void cancelExpiry(Vertx vertx) {
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
    }
  }
}
