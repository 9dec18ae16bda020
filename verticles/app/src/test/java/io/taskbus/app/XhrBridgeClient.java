package io.taskbus.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A bridge client on SockJS's xhr-streaming or xhr-polling transport, those sockjs-client falls
 * back to where a WebSocket cannot pass: a session spread over many HTTP requests ({@code
 * .../xhr_streaming} or {@code .../xhr} to read, {@code .../xhr_send} to write), each carrying the
 * token. Written with the JDK's HTTP client, so nothing of Vert.x or SockJS is on the client side.
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

  /** The close frame's text ({@code c[code,"reason"]}), or what else ended the reading. */
  final CompletableFuture<String> closed = new CompletableFuture<>();

  /** Completed by the open frame ({@code o}). */
  private final CompletableFuture<Void> opened = new CompletableFuture<>();

  private final Thread reader;

  /** The stream being read, closed to stop reading. */
  private volatile InputStream stream;

  private XhrBridgeClient(int port, String session, String token, boolean streaming) {
    this.port = port;
    this.session = session;
    this.token = token;
    this.reader = new Thread(streaming ? this::stream : this::poll, "xhr-bridge-" + session);
    reader.setDaemon(true);
  }

  /** A new session on xhr-polling. */
  static XhrBridgeClient polling(int port, String token) throws Exception {
    return open(port, token, false);
  }

  /** A new session on xhr-streaming. */
  static XhrBridgeClient streaming(int port, String token) throws Exception {
    return open(port, token, true);
  }

  /** Opens a new session; fails unless the server opens it ({@code o}) within 10 s. */
  private static XhrBridgeClient open(int port, String token, boolean streaming) throws Exception {
    XhrBridgeClient client =
        new XhrBridgeClient(port, UUID.randomUUID().toString().replace("-", ""), token, streaming);
    client.reader.start();
    try {
      client.opened.get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      client.close();
      throw new IllegalStateException("the session did not open: " + client.closed.getNow(""), e);
    }
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

  /** Long-polls until the session closes: one SockJS frame per answer. */
  private void poll() {
    try {
      while (!closed.isDone()) {
        HttpResponse<String> answer = post(port, session, "xhr", token, null);
        if (answer.statusCode() != 200) {
          end(answer.statusCode() + " " + answer.body());
        } else {
          read(answer.body().strip());
        }
      }
    } catch (InterruptedException e) {
      end("closed by the client");
    } catch (IOException e) {
      end(e.toString());
    }
  }

  /**
   * Reads one stream after another until the session closes: SockJS frames a line each, after a
   * prelude of {@code h}s; the server ends a stream after so many bytes, and the client opens the
   * next.
   */
  private void stream() {
    try {
      while (!closed.isDone()) {
        HttpResponse<InputStream> answer =
            once()
                .send(
                    request(port, session, "xhr_streaming", token, null),
                    HttpResponse.BodyHandlers.ofInputStream());
        stream = answer.body();
        if (answer.statusCode() != 200) {
          end(answer.statusCode() + " " + new String(stream.readAllBytes(), UTF_8));
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, UTF_8))) {
          for (String line; !closed.isDone() && (line = lines.readLine()) != null; ) {
            read(line.strip());
          }
        }
      }
    } catch (InterruptedException e) {
      end("closed by the client");
    } catch (IOException e) {
      end(closed.isDone() ? "closed by the client" : e.toString());
    }
  }

  /**
   * One SockJS frame: {@code o} open, {@code h} heartbeat, {@code a[...]} messages, {@code c}
   * close.
   */
  private void read(String frame) {
    if (frame.startsWith("o")) {
      opened.complete(null);
    } else if (frame.startsWith("a")) {
      for (Object text : new JsonArray(frame.substring(1))) {
        frames.add(new JsonObject((String) text));
      }
    } else if (frame.startsWith("c")) {
      end(frame);
    }
  }

  private void end(String why) {
    closed.complete(why);
    opened.completeExceptionally(new IllegalStateException(why));
  }

  @Override
  public void close() {
    end("closed by the client");
    reader.interrupt();
    InputStream reading = stream;
    if (reading != null) {
      try {
        reading.close();
      } catch (IOException alreadyClosed) {
        // nothing more to read either way
      }
    }
  }
}
