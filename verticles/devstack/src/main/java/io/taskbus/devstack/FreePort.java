package io.taskbus.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks loopback ports the kernel considers free right now. */
final class FreePort {

  private FreePort() {}

  static int pick() {
    try (ServerSocket socket = new ServerSocket()) {
      // without SO_REUSEADDR the port would sit in TIME_WAIT for the server that binds it next
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
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
