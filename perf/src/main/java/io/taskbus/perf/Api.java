package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls the scenarios make: sign in ({@code /api/v1/dev/token}), create a task (the create
 * scenario), GET a URI such as a search (the search scenario).
 */
final class Api {

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final long IDLE_TIMEOUT_MS = 30_000;

  /**
   * What one request returned: the HTTP status, for a create on 201 the new task's id, and an
   * error text unless it succeeded.
   */
  record Outcome(int status, String taskId, String error) {
    boolean created() {
      return status == 201 && taskId != null;
    }

    /** A create that created, or a GET answered 200. */
    boolean ok() {
      return created() || (status == 200 && error == null);
    }
  }

  final String host;
  final int port;
  final List<String> users = new ArrayList<>();
  final List<String> tokens = new ArrayList<>();
  private final List<MultiMap> createHeaders = new ArrayList<>();
  private final HttpClientAgent client;

  /** @param connections the most HTTP/1.1 connections; requests beyond them wait (and it counts) */
  Api(Vertx vertx, String baseUrl, int connections) {
    URI uri = URI.create(baseUrl);
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : 80;
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true)
            .setPipelining(false).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
  }

  /** Signs users {@code perf-u0 .. perf-u(n-1)} in; the names are the pgbench script's too. */
  Future<Void> signIn(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("perf-u" + i);
    }
    return signIn(names);
  }

  /** Signs these users in; user number i in {@link #create} and {@link #get} is names[i]. */
  Future<Void> signIn(List<String> names) {
    List<Future<String>> all = new ArrayList<>();
    for (String user : names) {
      users.add(user);
      all.add(client.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setURI("/api/v1/dev/token").putHeader(HttpHeaders.CONTENT_TYPE, JSON))
          .compose(req -> req.send(new JsonObject().put("user", user).toBuffer()))
          .compose(resp -> resp.body().map(body -> {
            if (resp.statusCode() != 200) {
              throw new IllegalStateException("sign-in as " + user + ": HTTP " + resp.statusCode()
                  + " " + body);
            }
            return new JsonObject(body).getString("token");
          })));
    }
    return Future.all(all).map(v -> {
      for (Future<String> token : all) {
        tokens.add(token.result());
        createHeaders.add(MultiMap.caseInsensitiveMultiMap()
            .add(HttpHeaders.CONTENT_TYPE, JSON)
            .add(HttpHeaders.AUTHORIZATION, "Bearer " + token.result()));
      }
      return null;
    });
  }

  /** Takes the users and tokens another client signed in: the same people on another process. */
  void signedInAs(Api other) {
    users.addAll(other.users);
    tokens.addAll(other.tokens);
    createHeaders.addAll(other.createHeaders);
  }

  /** POST /api/v1/tasks as user number {@code user}; never fails, an error is an outcome. */
  Future<Outcome> create(int user, String title) {
    return create(user, Buffer.buffer("{\"title\":\"" + title + "\"}"));
  }

  /** Create number n as the users in turn, titled "{@code label} n". */
  Request creates(String label) {
    return n -> create((int) (n % users.size()), label + " " + n);
  }

  /** POST /api/v1/tasks with this JSON body as user number {@code user}; never fails. */
  Future<Outcome> create(int user, Buffer body) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/tasks")
            .setHeaders(createHeaders.get(user)).setIdleTimeout(IDLE_TIMEOUT_MS))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> outcome(resp.statusCode(),
            resp.getHeader(HttpHeaders.LOCATION), b)))
        .recover(e -> Future.succeededFuture(new Outcome(-1, null,
            e.getClass().getSimpleName() + ": " + e.getMessage())));
  }

  /**
   * POST {@code uri} without a body as user number {@code user} (e.g. complete a task); never
   * fails: status 200 and no error when it succeeded.
   */
  Future<Outcome> post(int user, String uri) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(createHeaders.get(user))
        .remove(HttpHeaders.CONTENT_TYPE);
    return send(HttpMethod.POST, uri, headers);
  }

  /** The whole body read; an error is an outcome with status -1 (200 and no error: success). */
  private Future<Outcome> send(HttpMethod method, String uri, MultiMap headers) {
    return client.request(new RequestOptions().setMethod(method).setURI(uri)
            .setHeaders(headers).setIdleTimeout(IDLE_TIMEOUT_MS))
        .compose(req -> req.send())
        // a 200's body is not looked at: dropped as it arrives rather than gathered into a copy
        .compose(resp -> resp.statusCode() == 200
            ? resp.handler(chunk -> {}).end().map(v -> new Outcome(200, null, null))
            : resp.body().map(b -> new Outcome(resp.statusCode(), null,
                b.length() > 200 ? b.getString(0, 200) : b.toString())))
        .recover(e -> Future.succeededFuture(new Outcome(-1, null,
            e.getClass().getSimpleName() + ": " + e.getMessage())));
  }


  /**
   * GET {@code uri} as user number {@code user}, reading the whole body; never fails, an error is
   * an outcome (status 200 and no error when it succeeded).
   */
  Future<Outcome> get(int user, String uri) {
    return send(HttpMethod.GET, uri, createHeaders.get(user));
  }


  /** GET {@code uri} as user number {@code user}: the status and the body (for checks). */
  Future<io.vertx.core.http.HttpResponseHead> getBody(int user, String uri, Buffer into) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(uri)
            .setHeaders(createHeaders.get(user)).setIdleTimeout(IDLE_TIMEOUT_MS))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> {
          into.appendBuffer(b);
          return resp;
        }));
  }

  private static Outcome outcome(int status, String location, Buffer body) {
    if (status != 201) {
      return new Outcome(status, null, body.length() > 200 ? body.getString(0, 200) : body.toString());
    }
    String id = location == null ? null : location.substring(location.lastIndexOf('/') + 1);
    if (id == null || id.isEmpty()) {
      id = new JsonObject(body).getString("id");
    }
    return new Outcome(status, id, null);
  }

  /** The app's Prometheus lines starting with {@code prefix}: series (name and labels) to value. */
  Future<java.util.Map<String, Double>> metrics(String prefix) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/metrics"))
        .compose(req -> req.send())
        .compose(resp -> resp.body())
        .map(body -> {
          java.util.Map<String, Double> values = new java.util.TreeMap<>();
          for (String line : body.toString().split("\n")) {
            int space = line.lastIndexOf(' ');
            if (line.startsWith(prefix) && space > 0) {
              try {
                values.put(line.substring(0, space).trim(),
                    Double.parseDouble(line.substring(space + 1).trim()));
              } catch (NumberFormatException ignored) {
                // not a sample line
              }
            }
          }
          return values;
        })
        .otherwise(e -> java.util.Map.of());
  }

  Future<Void> close() {
    return client.close();
  }
}
