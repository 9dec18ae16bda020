package io.taskbus.app;

import io.taskbus.contracts.ConfigValues;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TLS with mutual authentication between the members of the clustered event bus ({@code
 * eventbus.tls}): each member presents its certificate and accepts only peers whose certificate the
 * CA signed, both ways, so a process without such a certificate neither sends to nor receives from
 * the others. Member addresses are pod IPs, so certificates are not matched to host names: the
 * private CA is what admits a member.
 */
final class EventBusTls {

  private static final List<String> KEYS = List.of("certPath", "keyPath", "caPath");

  /**
   * Sets TLS on the options when {@code eventbus.tls} names the files.
   *
   * @return whether it did
   */
  static boolean apply(EventBusOptions options, JsonObject tls) {
    Map<String, String> paths = new LinkedHashMap<>();
    for (String key : KEYS) {
      String value = ConfigValues.optionalString(tls, key);
      if (value != null && !value.isBlank()) {
        paths.put(key, value);
      }
    }
    if (paths.isEmpty()) {
      return false;
    }
    if (paths.size() < KEYS.size()) {
      List<String> missing = new ArrayList<>(KEYS);
      missing.removeAll(paths.keySet());
      throw new IllegalArgumentException(
          "eventbus.tls needs certPath, keyPath and caPath together; missing: "
              + missing.stream().map(k -> "eventbus.tls." + k).toList());
    }
    for (Map.Entry<String, String> path : paths.entrySet()) {
      if (!Files.isReadable(Path.of(path.getValue()))) {
        throw new IllegalArgumentException(
            "eventbus.tls." + path.getKey() + " " + path.getValue() + " is not a readable file");
      }
    }
    options
        .setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(paths.get("certPath"))
                .setKeyPath(paths.get("keyPath")))
        .setTrustOptions(new PemTrustOptions().addCertPath(paths.get("caPath")))
        .setClientAuth(ClientAuth.REQUIRED);
    return true;
  }

  private EventBusTls() {}
}
