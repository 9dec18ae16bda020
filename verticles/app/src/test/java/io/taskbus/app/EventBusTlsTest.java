package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventBusTlsTest {

  /** Where a test's (empty) files are; JUnit deletes it after each test. */
  @TempDir Path dir;

  @Test
  void offUntilConfigured() {
    EventBusOptions options = new EventBusOptions();
    JsonObject unset = new JsonObject().putNull("certPath").putNull("keyPath").putNull("caPath");
    assertFalse(EventBusTls.apply(options, unset));
    assertFalse(options.isSsl());
  }

  @Test
  void allThreeFilesMeanTlsWithClientCertificates() throws Exception {
    EventBusOptions options = new EventBusOptions();
    assertTrue(EventBusTls.apply(options, files("cert", "key", "ca")));
    assertTrue(options.isSsl());
    assertEquals(ClientAuth.REQUIRED, options.getClientAuth());
  }

  @Test
  void aPartialConfigurationNamesWhatIsMissing() throws Exception {
    JsonObject partial = files("cert", "key", "ca").putNull("caPath");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EventBusTls.apply(new EventBusOptions(), partial));
    assertTrue(e.getMessage().contains("eventbus.tls.caPath"), e.getMessage());
  }

  private JsonObject files(String... names) throws Exception {
    JsonObject tls = new JsonObject();
    String[] keys = {"certPath", "keyPath", "caPath"};
    for (int i = 0; i < names.length; i++) {
      tls.put(keys[i], Files.createFile(dir.resolve(names[i] + ".pem")).toString());
    }
    return tls;
  }
}
