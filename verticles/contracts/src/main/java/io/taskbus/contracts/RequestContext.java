package io.taskbus.contracts;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * The id of the HTTP request whose work is running, kept with the request's own Vert.x context
 * (each request runs on a duplicate of its event loop's), so every step of the request finds it, on
 * whatever callback it runs, and no other request sees it. The logs print it.
 */
public final class RequestContext {

  private static final String REQUEST_ID = "taskbus.requestId";

  /** Marks the current request context with the id. */
  public static void requestId(String id) {
    ContextInternal context = (ContextInternal) Vertx.currentContext();
    if (context != null && context.isDuplicate()) {
      context.putLocal(REQUEST_ID, id);
    }
  }

  /** The id of the request whose work is running on this thread now, or null. */
  public static String requestId() {
    ContextInternal context = (ContextInternal) Vertx.currentContext();
    return context != null && context.isDuplicate() ? context.getLocal(REQUEST_ID) : null;
  }

  private RequestContext() {}
}
