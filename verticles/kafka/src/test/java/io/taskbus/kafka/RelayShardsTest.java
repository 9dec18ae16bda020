package io.taskbus.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelayShardsTest {

  @Test
  void everyShardHasAHolderAndNoRelayHoldsMoreThanItsShare() {
    assertEquals(16, RelayShards.fairShare(16, 1));
    assertEquals(8, RelayShards.fairShare(16, 2));
    assertEquals(6, RelayShards.fairShare(16, 3), "6 + 6 + 4: the third takes what is left");
    assertEquals(1, RelayShards.fairShare(16, 40), "more relays than shards: one each at most");
    assertEquals(16, RelayShards.fairShare(16, 0), "before it counts itself, a relay is alone");
    for (int shards = 1; shards <= 64; shards++) {
      for (int relays = 1; relays <= 20; relays++) {
        int share = RelayShards.fairShare(shards, relays);
        assertEquals(true, share * relays >= shards, shards + " shards, " + relays + " relays");
        assertEquals(true, (share - 1) * relays < shards, "not more than needed");
      }
    }
  }

  @Test
  void theCountIsCheckedAndPartOfTheLockKey() {
    assertThrows(IllegalArgumentException.class, () -> new RelayShards(0));
    assertThrows(IllegalArgumentException.class, () -> new RelayShards(RelayShards.MAX_SHARDS + 1));
    assertEquals(RelayShards.BASE + 16, new RelayShards(16).shardClass());
    assertEquals(
        "(hashtext(user_id) & 2147483647) % 16 = ANY($1)",
        new RelayShards(16).where(),
        "the expression of V13's index outbox_shard_16, or the drain cannot use it");
  }

  @Test
  void aNotificationNamesTheShardOfItsRowsByTheirUsersHash() {
    assertEquals(15, new RelayShards(16).ofHash("2147483647"));
    assertEquals(2, new RelayShards(5).ofHash("2147483647"));
    assertEquals(0, new RelayShards(16).ofHash("0"));
    assertNull(new RelayShards(16).ofHash(""), "a notification of an earlier schema: any shard");
    assertNull(new RelayShards(16).ofHash(null));
    assertNull(new RelayShards(16).ofHash("not a hash"));
  }

  @Test
  void theLockTableSaysHowManyRelaysLiveAndWhichShardsAreFree() {
    RelayShards four = new RelayShards(4);
    int base = RelayShards.BASE;
    RelayShards.Snapshot seen =
        four.snapshot(
            List.of(
                new long[] {RelayShards.MEMBERS + 4, 101},
                new long[] {RelayShards.MEMBERS + 4, 202},
                new long[] {RelayShards.MEMBERS + 16, 303},
                new long[] {base + 4, 1},
                new long[] {base + 4, 3},
                new long[] {RelayShards.GATE, 0},
                new long[] {42, 7}));
    assertEquals(
        2, seen.members(), "one membership lock per relay; one of another count shares nothing");
    assertEquals(List.of(0, 2), seen.free());
    assertEquals(false, seen.otherCounts(), "the gate and others' locks are no shards");
    assertEquals(
        true,
        four.snapshot(List.of(new long[] {base + 16, 3})).otherCounts(),
        "a relay of 16 shards holds one");
  }
}
