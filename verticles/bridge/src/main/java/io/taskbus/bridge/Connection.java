package io.taskbus.bridge;

import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/**
 * One bridge connection's budget: message rate, registrations, how long its token holds, and the
 * outbound bytes written to it that its socket has not taken yet.
 */
final class Connection {

  final String user;
  final SockJSSocket socket;
  private final double perSecond;
  private final double burst;
  private double tokens;
  private long refilledAt = System.nanoTime();
  int registrations;
  long expiryTimer = -1;
  private long unsentBytes;
  private boolean tooSlow;

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

  /**
   * Counts a frame about to be written; false when the bytes written before it and not yet taken by
   * the socket already reach {@code limit}: the client reads too slowly, and nothing more is queued
   * for it (then and for every later frame).
   */
  boolean queue(int bytes, long limit) {
    if (tooSlow || unsentBytes >= limit) {
      tooSlow = true;
      return false;
    }
    unsentBytes += bytes;
    return true;
  }

  /** A frame counted by {@link #queue} left the process (or failed to, the socket being closed). */
  void sent(int bytes) {
    unsentBytes -= bytes;
  }

  boolean tooSlow() {
    return tooSlow;
  }

  long unsentBytes() {
    return unsentBytes;
  }

  void cancelExpiry(Vertx vertx) {
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
    }
  }
}
