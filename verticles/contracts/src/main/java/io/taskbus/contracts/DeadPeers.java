package io.taskbus.contracts;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.vertx.sqlclient.SqlConnectOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.Connection;
import io.vertx.sqlclient.internal.SqlConnectionInternal;

/**
 * Gives a database connection's socket the same dead-peer timeout its server got at connect (the
 * {@code tcp_user_timeout} property): in a network partition a query whose bytes stay
 * unacknowledged fails after it, instead of after the kernel's quarter of an hour of
 * retransmissions. vertx-sql-client 5.0 takes no TCP options for PostgreSQL connections (its driver
 * drops the pool's NetClientOptions), so this reaches the socket through the client's internal
 * {@code SocketConnectionBase}: the one use of it, pinned by {@code DeadPeersTest}.
 */
public final class DeadPeers {

  /** The connect property that holds the timeout in milliseconds, for the server and for us. */
  public static final String TIMEOUT_PROPERTY = "tcp_user_timeout";

  /**
   * Sets the timeout on the connection's socket; false when there is none to set or the transport
   * cannot (NIO: there the kernel's own timeout stays).
   */
  public static boolean detect(SqlConnection conn, SqlConnectOptions options) {
    String timeout = options.getProperties().get(TIMEOUT_PROPERTY);
    if (timeout == null || !(conn instanceof SqlConnectionInternal internal)) {
      return false;
    }
    Connection connection = internal.unwrap();
    while (!(connection instanceof SocketConnectionBase) && connection.unwrap() != connection) {
      connection = connection.unwrap();
    }
    if (!(connection instanceof SocketConnectionBase socket)) {
      return false;
    }
    Channel channel = socket.socket().channelHandlerContext().channel();
    return channel instanceof EpollSocketChannel
        && channel
            .config()
            .setOption(EpollChannelOption.TCP_USER_TIMEOUT, Integer.parseInt(timeout));
  }

  private DeadPeers() {}
}
