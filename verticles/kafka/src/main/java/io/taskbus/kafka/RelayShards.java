package io.taskbus.kafka;

import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * How the outbox is split between relays, and what PostgreSQL's lock table says about who drains
 * what. A user's rows are in shard {@code (hashtext(user_id) & 2147483647) % shards}, computed when
 * read, so a user is in one shard for a given count. Every lock is a session advisory lock of the
 * two-key form on the relay's own connection, so it vanishes with that connection:
 *
 * <ul>
 *   <li>a shard: key {@code BASE + shards}, the shard's number; the count is part of the key, so
 *       relays of different counts never mistake each other's shards for their own;
 *   <li>membership: key {@code MEMBERS + shards}, the backend's pid; the live relays of a count are
 *       these locks' holders, and share that count's shards (a relay of another count takes none of
 *       them);
 *   <li>the gate: key {@code BASE + GATE}, held only while a relay takes shards: it makes "no relay
 *       holds shards of another count" and taking shards one step.
 * </ul>
 */
final class RelayShards {

  /** "tb" in the high half: the two-key advisory locks of the relay. */
  static final int BASE = 0x74620000;

  static final int MAX_SHARDS = 4096;
  static final int MEMBERS = BASE + 0x2000;
  static final int GATE = BASE + 0xFFFF;

  /**
   * Every granted two-key advisory lock in this database, with whether this connection holds it.
   */
  static final String LOCKS =
      "SELECT classid::text::bigint AS class, objid::text::bigint AS obj FROM pg_locks"
          + " WHERE locktype = 'advisory' AND objsubid = 2 AND granted"
          + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

  private final int shards;

  RelayShards(int shards) {
    if (shards < 1 || shards > MAX_SHARDS) {
      throw new IllegalArgumentException(
          "relay.shards must be 1 to " + MAX_SHARDS + ", not " + shards);
    }
    this.shards = shards;
  }

  int count() {
    return shards;
  }

  /** The first key of this count's shard locks. */
  int shardClass() {
    return BASE + shards;
  }

  /** The first key of this count's membership locks. */
  int memberClass() {
    return MEMBERS + shards;
  }

  /** The condition a row of one of the shards in {@code $1} meets. */
  String where() {
    return "(hashtext(user_id) & 2147483647) % " + shards + " = ANY($1)";
  }

  /**
   * The shard of the rows a commit's notification announces: its payload is their users' {@code
   * hashtext(user_id) & 2147483647} (V14). Null when the payload names none (a notification of an
   * earlier schema), so the relay looks in all its shards.
   */
  Integer ofHash(String payload) {
    if (payload == null || payload.isEmpty()) {
      return null;
    }
    try {
      return (int) (Long.parseLong(payload) % shards);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** At most this many shards per relay: every shard has a holder, none holds more than needed. */
  static int fairShare(int shards, int members) {
    return (shards + Math.max(1, members) - 1) / Math.max(1, members);
  }

  /** The lock table as a relay sees it. */
  record Snapshot(int members, boolean otherCounts, List<Integer> free) {}

  Snapshot read(Iterable<Row> rows) {
    List<long[]> locks = new ArrayList<>();
    for (Row row : rows) {
      locks.add(new long[] {row.getLong("class"), row.getLong("obj")});
    }
    return snapshot(locks);
  }

  /** From the locks as pairs of keys. */
  Snapshot snapshot(List<long[]> locks) {
    int members = 0;
    boolean otherCounts = false;
    TreeSet<Integer> taken = new TreeSet<>();
    for (long[] lock : locks) {
      long cls = lock[0];
      long obj = lock[1];
      if (cls == memberClass()) {
        members++;
      } else if (cls == shardClass()) {
        taken.add((int) obj);
      } else if (cls > BASE && cls <= BASE + MAX_SHARDS) {
        otherCounts = true;
      }
    }
    List<Integer> free = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      if (!taken.contains(s)) {
        free.add(s);
      }
    }
    return new Snapshot(members, otherCounts, free);
  }
}
