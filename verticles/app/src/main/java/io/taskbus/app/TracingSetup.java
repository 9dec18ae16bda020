package io.taskbus.app;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.taskbus.contracts.ConfigValues;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The OpenTelemetry SDK, when an OTLP endpoint is set ({@code tracing.endpoint}, or the standard
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}); none
 * otherwise, so a process that exports nowhere makes no spans at all. The SDK's own configuration
 * reads every other {@code OTEL_*} variable (protocol, sampler, service name, resource attributes)
 * as the specification defines them; what is set here are only defaults they override.
 */
final class TracingSetup {

  private static final AttributeKey<String> ROLES = AttributeKey.stringKey("taskbus.roles");

  /** The SDK, or null when tracing is off. */
  static OpenTelemetrySdk create(JsonObject config, Set<String> roles, Map<String, String> env) {
    String endpoint = ConfigValues.section(config, "tracing").getString("endpoint", "");
    boolean standard =
        present(env, "OTEL_EXPORTER_OTLP_ENDPOINT")
            || present(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            || System.getProperty("otel.exporter.otlp.endpoint") != null
            || System.getProperty("otel.exporter.otlp.traces.endpoint") != null;
    if (endpoint.isBlank() && !standard) {
      return null;
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", "taskbus");
    // the JDK's HTTP client sends OTLP/HTTP; gRPC would need another sender on the class path
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    if (!endpoint.isBlank()) {
      defaults.put("otel.exporter.otlp.endpoint", endpoint);
    }
    // traces only: metrics have /metrics, logs go to the console
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults)
        .addResourceCustomizer(
            (resource, properties) ->
                resource.merge(Resource.create(Attributes.of(ROLES, String.join(",", roles)))))
        // closed with the process's Vert.x, after the last spans
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  private static boolean present(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }

  private TracingSetup() {}
}
