package io.taskbus.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks loopback ports the kernel considers free right now, below its ephemeral range (32768 and up
 * on Linux, 49152 and up elsewhere): every client socket and every bind to port 0 draw from that
 * range, so a port picked there could be taken by someone else before the server that is to bind it
 * starts.
 */
final class FreePort {

  private static final int FROM = 20_000;
  private static final int COUNT = 10_000;

  private FreePort() {}

  static int pick() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = FROM + ThreadLocalRandom.current().nextInt(COUNT);
      if (isFree(port)) {
        return port;
      }
    }
    throw new UncheckedIOException(
        new IOException("no free loopback port in " + FROM + "-" + (FROM + COUNT - 1)));
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // without SO_REUSEADDR the port would sit in TIME_WAIT for the server that binds it next
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  static int pickOtherThan(int taken) {
    int port;
    do {
      port = pick();
    } while (port == taken);
    return port;
  }
}
