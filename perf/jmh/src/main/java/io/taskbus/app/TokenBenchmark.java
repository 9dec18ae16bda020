package io.taskbus.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A request's bearer token checked again, as every API request and bridge connection does: {@link
 * #identityCached} is taskbus's {@link Identity} (an HS256 secret, the default leeway), which
 * remembers a verified token until its {@code exp}; {@link #library} is vertx-auth-jwt's {@link
 * JWTAuth} with the same key and checks, verifying the signature and claims every time. The token
 * is a development sign-in's ({@code sub}, {@code iat}, {@code exp} an hour later).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenBenchmark {

  private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes-0123";

  /** conf/taskbus.yaml's {@code auth.leewaySeconds}. */
  private static final int LEEWAY_SECONDS = 30;

  private Vertx vertx;
  private Identity identity;
  private JWTAuth library;
  private TokenCredentials credentials;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    identity =
        Identity.create(
                vertx,
                new JsonObject().put("jwtSecret", SECRET).put("leewaySeconds", LEEWAY_SECONDS))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    library =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET))
                .setJWTOptions(new JWTOptions().setLeeway(LEEWAY_SECONDS)));
    String token =
        Identity.hs256(vertx, SECRET)
            .generateToken(
                new JsonObject().put("sub", "perf-u0"), new JWTOptions().setExpiresInSeconds(3600));
    credentials = new TokenCredentials(token);
    // the token is seen before: the first call verifies it and remembers it
    String mine = subject(identity.authenticate(credentials));
    String theirs = subject(library.authenticate(credentials));
    if (!"perf-u0".equals(mine) || !mine.equals(theirs)) {
      throw new IllegalStateException("subjects " + mine + " and " + theirs);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public User identityCached() {
    return user(identity.authenticate(new TokenCredentials(credentials.getToken())));
  }

  @Benchmark
  public User library() {
    return user(library.authenticate(new TokenCredentials(credentials.getToken())));
  }

  /** Both complete at once for an HS256 token: no waiting. */
  private static User user(Future<User> future) {
    if (!future.succeeded()) {
      throw new IllegalStateException("not verified: " + future.cause());
    }
    return future.result();
  }

  private static String subject(Future<User> future) {
    return user(future).subject();
  }
}
