package io.taskbus.bridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BridgeGuardTest {

  @Test
  void aUserMayListenOnlyOnItsOwnChannels() {
    assertTrue(BridgeGuard.ownChannel("alice", "user.alice.tasks"));
    assertTrue(BridgeGuard.ownChannel("alice", "user.alice.notifications"));
    assertFalse(BridgeGuard.ownChannel("alice", "user.bob.tasks"));
    assertFalse(BridgeGuard.ownChannel("alice", "user.alice.secrets"));
    // a prefix match would let "alice" hear "alice.x", a different user
    assertFalse(BridgeGuard.ownChannel("alice", "user.alice.x.tasks"));
    assertFalse(BridgeGuard.ownChannel("alice", "user.alice"));
    assertFalse(BridgeGuard.ownChannel("alice", "taskbus.audit.events"));
    assertFalse(BridgeGuard.ownChannel("alice", null));
    assertFalse(BridgeGuard.ownChannel(null, "user.null.tasks"));
  }
}
