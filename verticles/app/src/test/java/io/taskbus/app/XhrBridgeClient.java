package io.taskbus.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A bridge client on SockJS's xhr-polling transport, the one sockjs-client falls back to where a
 * WebSocket cannot pass: a session spread over many HTTP requests ({@code .../xhr} to read, {@code
 * .../xhr_send} to write), each carrying the token. Written with the JDK's HTTP client, so nothing
 * of Vert.x or SockJS is on the client side.
 */
final class XhrBridgeClient extends BridgeFrames {

  /**
   * A client of its own for each request: the server closes a poll's connection after answering it,
   * and a later request sent on a pooled connection being closed is lost to a reset.
   */
  private static HttpClient once() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  final int port;
  final String session;
  private final String token;

  /** The close frame's text ({@code c[code,"reason"]}), or the status that ended the polling. */
  final CompletableFuture<String> closed = new CompletableFuture<>();

  private final Thread poller;

  private XhrBridgeClient(int port, String session, String token) {
    this.port = port;
    this.session = session;
    this.token = token;
    this.poller = new Thread(this::poll, "xhr-bridge-" + session);
    poller.setDaemon(true);
  }

  /** Opens a new session; fails unless the server opens it ({@code o}). */
  static XhrBridgeClient connect(int port, String token) throws Exception {
    String session = UUID.randomUUID().toString().replace("-", "");
    HttpResponse<String> opened = post(port, session, "xhr", token, null);
    if (opened.statusCode() != 200 || !opened.body().startsWith("o")) {
      throw new IllegalStateException(
          "xhr session not opened: " + opened.statusCode() + " " + opened.body());
    }
    XhrBridgeClient client = new XhrBridgeClient(port, session, token);
    client.poller.start();
    return client;
  }

  /**
   * One request of a session's transport ({@code xhr}, {@code xhr_send}) as any client may make it,
   * with the token as the query parameter (none when null).
   */
  static HttpResponse<String> post(
      int port, String session, String transport, String token, String body)
      throws IOException, InterruptedException {
    return once()
        .send(request(port, session, transport, token, body), HttpResponse.BodyHandlers.ofString());
  }

  /** The status of an {@code xhr_streaming} request: a stream that opens stays open, unread. */
  static int streamStatus(int port, String session, String token)
      throws IOException, InterruptedException {
    HttpResponse<java.io.InputStream> stream =
        once()
            .send(
                request(port, session, "xhr_streaming", token, null),
                HttpResponse.BodyHandlers.ofInputStream());
    stream.body().close();
    return stream.statusCode();
  }

  private static HttpRequest request(
      int port, String session, String transport, String token, String body) {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/eventbus/000/"
                + session
                + "/"
                + transport
                + (token == null ? "" : "?token=" + token));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            // a poll is answered when there is something to read, at the latest with a heartbeat
            .timeout(Duration.ofSeconds(40))
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "text/plain;charset=UTF-8");
    }
    return request.build();
  }

  @Override
  void send(JsonObject frame) {
    try {
      HttpResponse<String> sent =
          post(port, session, "xhr_send", token, new JsonArray().add(frame.encode()).encode());
      if (sent.statusCode() != 204) {
        throw new IllegalStateException(
            "xhr_send: "
                + sent.statusCode()
                + " "
                + sent.body()
                + " (the session: "
                + closed.getNow("open")
                + ")");
      }
    } catch (IOException e) {
      throw new IllegalStateException("xhr_send failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Long-polls until the session closes: {@code a[...]} frames, {@code h} heartbeats. */
  private void poll() {
    try {
      while (!closed.isDone()) {
        HttpResponse<String> answer = post(port, session, "xhr", token, null);
        String body = answer.body().strip();
        if (answer.statusCode() != 200) {
          closed.complete(answer.statusCode() + " " + body);
        } else if (body.startsWith("a")) {
          for (Object text : new JsonArray(body.substring(1))) {
            frames.add(new JsonObject((String) text));
          }
        } else if (body.startsWith("c")) {
          closed.complete(body);
        }
      }
    } catch (InterruptedException e) {
      closed.complete("closed by the client");
    } catch (IOException e) {
      closed.complete(e.toString());
    }
  }

  @Override
  public void close() {
    closed.complete("closed by the client");
    poller.interrupt();
  }
}
