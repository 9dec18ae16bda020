package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaValidatorsOnceTest {

  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void loadTheDocument() {
    vertx = Vertx.vertx();
    contract = OpenAPIContract.from(vertx, OpenApiDocument.load().forValidator()).await();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private static JsonSchema parameter(String operationId, String name) {
    Operation operation = contract.operation(operationId);
    return operation.getParameters().stream()
        .filter(p -> p.getName().equals(name))
        .map(Parameter::getSchema)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void eachSchemaGetsOneValidatorForEveryRequest() {
    SchemaRepository once = new SchemaValidatorsOnce(contract).getSchemaRepository();
    JsonSchema limit = parameter("listTasks", "limit");
    JsonSchema cursor = parameter("listTasks", "cursor");
    assertSame(once.validator(limit), once.validator(limit));
    assertNotSame(once.validator(limit), once.validator(cursor));
    // the library's own repository makes a new one each time: what this class saves
    assertNotSame(
        contract.getSchemaRepository().validator(limit),
        contract.getSchemaRepository().validator(limit));
  }

  @Test
  void aKeptValidatorJudgesAsANewOneWould() {
    SchemaRepository once = new SchemaValidatorsOnce(contract).getSchemaRepository();
    SchemaRepository library = contract.getSchemaRepository();
    JsonSchema limit = parameter("listTasks", "limit");
    for (Object value : new Object[] {0, 1, 50, 200, 201, -3, "50", 1.5}) {
      boolean expected = library.validator(limit).validate(value).getValid();
      // asked twice: the kept validator has no memory of the value before
      assertEquals(expected, once.validator(limit).validate(value).getValid(), "limit " + value);
      assertEquals(expected, once.validator(limit).validate(value).getValid(), "limit " + value);
    }
    assertTrue(once.validator(limit).validate(50).getValid());
    assertFalse(once.validator(limit).validate(201).getValid());
  }
}
