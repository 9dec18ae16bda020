package io.taskbus.api;

import io.vertx.core.json.JsonArray;

/** A client error with everything an RFC 9457 problem document needs. */
public class ApiException extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;
  private final JsonArray errors;

  public ApiException(int status, String slug, String title, String detail, JsonArray errors) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = errors;
  }

  public ApiException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, null);
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not-found", "Not Found", what + " does not exist");
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "bad-request", "Bad Request", detail);
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public JsonArray errors() {
    return errors;
  }
}
