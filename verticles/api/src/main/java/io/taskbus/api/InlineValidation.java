package io.taskbus.api;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;

import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.InputTrustHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import java.util.HashMap;
import java.util.Map;

/**
 * The router's request validation, run on the event loop. vertx-openapi 5.0 validates every request
 * in {@code executeBlocking}: a wake-up of a worker thread and one of the event loop per request
 * (two futex and eventfd round trips, a tenth of the api's system time under load), for work that
 * takes microseconds (parameters; bodies are at most {@code http.bodyLimit}). The checks are the
 * library's own ({@link RequestValidatorImpl#validateParameter}, {@link
 * RequestValidatorImpl#validateBody}), in its order; a failure is the 400 its handler gives, which
 * {@link Problems} turns into a problem with every bad field.
 *
 * <p>{@code RequestValidatorImpl} is internal to vertx-openapi: this class is its one use, and
 * BadInputIT and ApiContractIT (every operation and its 400s against the document) pin what it
 * does.
 */
final class InlineValidation {

  private final RequestValidatorImpl validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();

  InlineValidation(Vertx vertx, OpenAPIContract contract) {
    validator = new RequestValidatorImpl(vertx, new SchemaValidatorsOnce(contract));
  }

  /** The handler that validates requests of {@code operation}, first among the route's handlers. */
  InputTrustHandler of(Operation operation) {
    return ctx ->
        extractor
            .extractValidatableRequest(ctx, operation)
            .onComplete(
                extracted -> {
                  if (extracted.failed()) {
                    ctx.fail(extracted.cause());
                    return;
                  }
                  ValidatedRequest validated;
                  try {
                    validated = validate(extracted.result(), operation);
                  } catch (ValidatorException invalid) {
                    ctx.fail(new HttpException(BAD_REQUEST.code(), invalid.getMessage(), invalid));
                    return;
                  } catch (RuntimeException e) {
                    // what the library's worker would have failed its future with
                    ctx.fail(e);
                    return;
                  }
                  ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
                  ctx.next();
                });
  }

  private ValidatedRequest validate(ValidatableRequest request, Operation operation) {
    Map<String, RequestParameter> cookies = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    for (Parameter param : operation.getParameters()) {
      String name = param.getName();
      switch (param.getIn()) {
        case COOKIE ->
            cookies.put(name, validator.validateParameter(param, request.getCookies().get(name)));
        case HEADER ->
            headers.put(name, validator.validateParameter(param, request.getHeaders().get(name)));
        case PATH ->
            path.put(
                name, validator.validateParameter(param, request.getPathParameters().get(name)));
        case QUERY ->
            query.put(name, validator.validateParameter(param, request.getQuery().get(name)));
      }
    }
    RequestParameter body = validator.validateBody(operation.getRequestBody(), request);
    return new ValidatedRequestImpl(cookies, headers, path, query, body);
  }
}
