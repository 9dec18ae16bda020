package io.taskbus.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The api's work that does not come over HTTP, once per process: the occurrence commands other
 * verticles send over the bus (see {@link OccurrenceCommands}), and housekeeping: purging trashed
 * tasks after the retention period (each with its {@code task.purged} event) and forgetting
 * idempotency keys older than a day. Safe with several replicas: every purge locks its row and
 * skips what is already gone.
 */
public class ApiBackgroundVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ApiBackgroundVerticle.class);
  private static final String EXPIRED =
      "SELECT id, user_id FROM tasks"
          + " WHERE deleted_at < now() - make_interval(days => $1) ORDER BY deleted_at LIMIT 100";

  private final Pool pool;
  private long timer;
  private io.vertx.core.eventbus.MessageConsumer<JsonObject> commands;

  public ApiBackgroundVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    ApiSettings settings = ApiSettings.from(config());
    int retentionDays = settings.trashRetentionDays();
    long every = settings.housekeepingIntervalMs();
    timer = vertx.setPeriodic(1_000, every, id -> housekeeping(retentionDays));
    commands = OccurrenceCommands.listen(vertx, pool);
    return commands.completion();
  }

  Future<Integer> housekeeping(int retentionDays) {
    UserDb db = new UserDb(pool);
    TaskService service = new TaskService();
    return pool.query(Idempotency.PURGE)
        .execute()
        .compose(v -> pool.preparedQuery(EXPIRED).execute(Tuple.of(retentionDays)))
        .compose(
            rows -> {
              Future<Integer> chain = Future.succeededFuture(0);
              for (Row row : rows) {
                String user = row.getString("user_id");
                chain =
                    chain.compose(
                        n ->
                            db.tx(user, conn -> service.purge(conn, user, row.getUUID("id")))
                                .map(n + 1));
              }
              return chain;
            })
        .onSuccess(
            n -> {
              if (n > 0) {
                log.info("purged {} tasks from the trash after {} days", n, retentionDays);
              }
            })
        .onFailure(e -> log.warn("housekeeping failed: {}", e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return commands.unregister();
  }
}
