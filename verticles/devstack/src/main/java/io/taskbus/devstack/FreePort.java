package io.taskbus.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers that bind them later (an embedded broker, a child process, a
 * container), free when picked and never handed out twice by one JVM. They come from below the
 * kernel's ephemeral range (32768 and up on Linux, 49152 and up elsewhere): every client socket and
 * every bind to port 0 draw from that range, so a port picked there could be taken before the
 * server binds it, and two picks in a row could even be the same port.
 */
public final class FreePort {

  private static final int FROM = 20_000;
  private static final int COUNT = 10_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePort() {}

  public static int pick() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = FROM + ThreadLocalRandom.current().nextInt(COUNT);
      if (HANDED_OUT.add(port) && isFree(port)) {
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
}
