package io.taskbus.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} on POSTs: the first request's response is stored in the same transaction
 * as its effect, and a retry with the same key and body gets that response again with nothing done
 * twice. Requests with the same key wait for each other (a transaction-scoped advisory lock), so
 * twenty parallel retries still create one task. Keys are kept 24 hours.
 */
final class Idempotency {

  static final String HEADER = "Idempotency-Key";
  static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final String LOCK =
      "SELECT pg_advisory_xact_lock(hashtextextended($1 || ' ' || $2, 0))";
  private static final String FIND =
      "SELECT request_hash, status, location, body, etag FROM idempotency_keys"
          + " WHERE user_id = $1 AND key = $2 AND created_at > now() - interval '24 hours'";
  private static final String STORE =
      """
      INSERT INTO idempotency_keys (user_id, key, request_hash, status, location, body, etag)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (user_id, key) DO UPDATE SET request_hash = excluded.request_hash,
        status = excluded.status, location = excluded.location, body = excluded.body,
        etag = excluded.etag, created_at = now()""";
  static final String PURGE =
      "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'";

  /** Runs {@code operation} once per key; a replay carries {@code replayed = true}. */
  static Future<Reply> run(
      SqlConnection conn,
      String user,
      String key,
      String requestHash,
      Supplier<Future<Reply>> operation) {
    if (key == null) {
      return operation.get();
    }
    if (!KEY.matcher(key).matches()) {
      return Future.failedFuture(
          new ApiException(
              400,
              "bad-idempotency-key",
              "Bad Request",
              "Idempotency-Key must be 1-255 visible ASCII characters"));
    }
    return conn.preparedQuery(LOCK)
        .execute(Tuple.of(user, key))
        .compose(v -> conn.preparedQuery(FIND).execute(Tuple.of(user, key)))
        .compose(
            rows -> {
              if (rows.size() > 0) {
                Row row = rows.iterator().next();
                if (!row.getString("request_hash").equals(requestHash)) {
                  return Future.failedFuture(
                      new ApiException(
                          422,
                          "idempotency-key-reused",
                          "Unprocessable Content",
                          "This Idempotency-Key was used with a different request in the last 24 hours"));
                }
                return Future.succeededFuture(
                    new Reply(
                            row.getInteger("status"),
                            new JsonObject(row.getString("body")),
                            row.getString("location"),
                            row.getString("etag"))
                        .asReplay());
              }
              return operation
                  .get()
                  .compose(
                      reply ->
                          conn.preparedQuery(STORE)
                              .execute(
                                  Tuple.of(
                                      user,
                                      key,
                                      requestHash,
                                      reply.status(),
                                      reply.location(),
                                      reply.body().encode(),
                                      reply.etag()))
                              .map(reply));
            });
  }

  static String hash(String method, String path, Buffer body) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        digest.update(body.getBytes());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Idempotency() {}
}
