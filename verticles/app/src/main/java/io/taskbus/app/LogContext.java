package io.taskbus.app;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.taskbus.contracts.RequestContext;
import io.taskbus.contracts.Tracing;
import java.util.HashMap;
import java.util.Map;
import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * What each log event says about the work it belongs to: the request id and the trace and span ids
 * (the names of the Elastic Common Schema). A thread-local MDC would not do: a request's steps run
 * as callbacks on an event loop that serves thousands of requests between them; these live in the
 * request's own Vert.x context instead (RequestContext, and OpenTelemetry's Vert.x context
 * storage). Found by log4j through ServiceLoader.
 */
public final class LogContext implements ContextDataProvider {

  static final String REQUEST_ID = "http.request.id";
  static final String TRACE_ID = "trace.id";
  static final String SPAN_ID = "span.id";

  @Override
  public Map<String, String> supplyContextData() {
    String requestId = RequestContext.requestId();
    SpanContext span =
        Tracing.enabled() ? Span.current().getSpanContext() : SpanContext.getInvalid();
    if (requestId == null && !span.isValid()) {
      return Map.of();
    }
    Map<String, String> data = new HashMap<>(4);
    if (requestId != null) {
      data.put(REQUEST_ID, requestId);
    }
    if (span.isValid()) {
      data.put(TRACE_ID, span.getTraceId());
      data.put(SPAN_ID, span.getSpanId());
    }
    return data;
  }
}
