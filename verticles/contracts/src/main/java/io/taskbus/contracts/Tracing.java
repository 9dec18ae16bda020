package io.taskbus.contracts;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.Collections;
import java.util.function.Supplier;

/**
 * The spans of the event path that no library makes: a change's trace context goes from the HTTP
 * request into its outbox row ({@code traceparent}), from there into the Kafka record's header, and
 * from the record to the event-bus request a subscription makes, where Vert.x's own tracing takes
 * over again. Everything here is a no-op until the launcher {@link #install installs} an SDK.
 */
public final class Tracing {

  /** The W3C Trace Context header, in a Kafka record as in HTTP. */
  public static final String TRACEPARENT = "traceparent";

  private static volatile OpenTelemetry openTelemetry = OpenTelemetry.noop();
  private static volatile Tracer tracer = openTelemetry.getTracer("io.taskbus");
  private static volatile boolean enabled;

  /** From now on spans are made and exported by this SDK. */
  public static void install(OpenTelemetry sdk) {
    openTelemetry = sdk;
    tracer = sdk.getTracer("io.taskbus");
    enabled = true;
  }

  public static boolean enabled() {
    return enabled;
  }

  /** The current span's context as a traceparent value, or "" when there is none. */
  public static String currentTraceparent() {
    return enabled ? traceparent(Span.current()) : "";
  }

  /** The span's context as a traceparent value, or "" when it is not a valid one. */
  public static String traceparent(Span span) {
    if (!span.getSpanContext().isValid()) {
      return "";
    }
    StringBuilder value = new StringBuilder();
    W3CTraceContextPropagator.getInstance()
        .inject(
            Context.root().with(span),
            value,
            (carrier, key, v) -> {
              if (TRACEPARENT.equals(key) && carrier != null) {
                carrier.append(v);
              }
            });
    return value.toString();
  }

  /**
   * A span whose parent is the given traceparent (none: a new trace), started now; the caller ends
   * it. Invalid while tracing is off.
   */
  public static Span start(String name, SpanKind kind, String parent) {
    if (!enabled) {
      return Span.getInvalid();
    }
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(parentContext(parent)).startSpan();
  }

  /**
   * Runs {@code work} on a context of its own with the span current, so what it sends on the event
   * bus carries the span; ends the span with the work's outcome.
   */
  public static <T> Future<T> within(Vertx vertx, Span span, Supplier<Future<T>> work) {
    if (!span.getSpanContext().isValid()) {
      return work.get();
    }
    // a context of its own: Vert.x's tracing finds the current span in the context's locals, and
    // the verticle's context is shared by everything it does
    ContextInternal own = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    Promise<T> result = own.promise();
    own.dispatch(
        v -> {
          try (Scope ignored = Context.current().with(span).makeCurrent()) {
            work.get().onComplete(result);
          } catch (RuntimeException e) {
            result.fail(e);
          }
        });
    return result.future().onComplete(ar -> end(span, ar.cause()));
  }

  /** Ends the span, marked as an error when {@code failure} is not null. */
  public static void end(Span span, Throwable failure) {
    if (failure != null) {
      span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }
    span.end();
  }

  private static Context parentContext(String traceparent) {
    if (traceparent == null || traceparent.isEmpty()) {
      return Context.root();
    }
    return W3CTraceContextPropagator.getInstance()
        .extract(Context.root(), traceparent, SINGLE_HEADER);
  }

  private static final TextMapGetter<String> SINGLE_HEADER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return Collections.singleton(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
          return TRACEPARENT.equals(key) ? carrier : null;
        }
      };

  private Tracing() {}
}
