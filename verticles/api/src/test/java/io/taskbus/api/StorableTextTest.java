package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class StorableTextTest {

  @Test
  void ordinaryTextAndPairedSurrogatesCanBeStored() {
    for (String fine : new String[] {"", "water the plants", "Grüße, 日本", "plants \ud83c\udf31"}) {
      assertNull(StorableText.problem(fine), fine);
    }
  }

  @Test
  void aNulOrALoneSurrogateCannot() {
    for (String bad :
        new String[] {"a\u0000b", "\u0000", "a\ud800b", "a\ud800", "\udc00a", "\ud83c\ud83c"}) {
      assertNotNull(StorableText.problem(bad), bad);
    }
  }

  @Test
  void aNameIsShownWithWhatCannotBeStoredAsItsEscape() {
    org.junit.jupiter.api.Assertions.assertEquals("q\\u0000", StorableText.visible("q\u0000"));
    org.junit.jupiter.api.Assertions.assertEquals("a\\ud800b", StorableText.visible("a\ud800b"));
    org.junit.jupiter.api.Assertions.assertEquals(
        "plants \ud83c\udf31", StorableText.visible("plants \ud83c\udf31"));
  }
}
