package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TaskInputTest {

  @Test
  void trimsTitleAndDefaultsPriority() {
    TaskInput input = TaskInput.forCreate(new JsonObject().put("title", "  call mum "));
    assertEquals("call mum", input.title);
    assertEquals("medium", input.priority);
  }

  @Test
  void fiveHundredCharactersAfterTrimmingAreFine() {
    TaskInput.forCreate(new JsonObject().put("title", " " + "a".repeat(500) + " "));
    ApiException e = assertThrows(ApiException.class,
        () -> TaskInput.forCreate(new JsonObject().put("title", "a".repeat(501))));
    assertEquals(400, e.status());
  }

  @Test
  void listsEveryBadField() {
    ApiException e = assertThrows(ApiException.class, () -> TaskInput.forCreate(
        new JsonObject().put("description", 5).put("priority", "HIGH").put("x", true)));
    assertEquals(4, e.errors().size(), e.errors().encode());
  }

  @Test
  void uuidV7IsTimeOrderedAndVersioned() {
    var a = Uuids.v7(1_000);
    var b = Uuids.v7(2_000);
    assertEquals(7, a.version());
    assertEquals(2, a.variant());
    assertEquals(-1, a.toString().compareTo(b.toString()) < 0 ? -1 : 1);
    assertEquals(null, Uuids.parse("nope"));
  }
}
