package io.taskbus.api;

import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract as {@link InlineValidation} gives it to vertx-openapi's validator, with one schema
 * validator per schema, made once. vertx-openapi asks the schema repository for a new validator for
 * every parameter and body it checks, and each copies the document's map of schemas (a twentieth of
 * the event loops' samples in a profile of the fan-out scenario). A validator only reads that map
 * once made, so one serves every request on every event loop. The contract's schemas are fixed
 * objects (a parameter's or media type's field), so they are told apart by identity: a schema is a
 * JsonObject, whose equality is a deep comparison.
 */
final class SchemaValidatorsOnce implements OpenAPIContract {

  private final OpenAPIContract contract;
  private final SchemaRepository repository;

  SchemaValidatorsOnce(OpenAPIContract contract) {
    this.contract = contract;
    this.repository = new Repository(contract.getSchemaRepository());
  }

  @Override
  public SchemaRepository getSchemaRepository() {
    return repository;
  }

  @Override
  public Operation operation(String operationId) {
    return contract.operation(operationId);
  }

  @Override
  public List<Operation> operations() {
    return contract.operations();
  }

  @Override
  public List<Path> getPaths() {
    return contract.getPaths();
  }

  @Override
  public JsonObject getRawContract() {
    return contract.getRawContract();
  }

  @Override
  public OpenAPIVersion getVersion() {
    return contract.getVersion();
  }

  @Override
  public List<Server> getServers() {
    return contract.getServers();
  }

  @Override
  public Path findPath(String path) {
    return contract.findPath(path);
  }

  @Override
  public Operation findOperation(String path, HttpMethod method) {
    return contract.findOperation(path, method);
  }

  @Override
  public List<SecurityRequirement> getSecurityRequirements() {
    return contract.getSecurityRequirements();
  }

  @Override
  public SecurityScheme securityScheme(String name) {
    return contract.securityScheme(name);
  }

  /** A schema, equal only to itself. */
  private record Same(JsonSchema schema) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Same same && same.schema == schema;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(schema);
    }
  }

  /** The document's repository, keeping the validator it made for each schema. */
  private static final class Repository implements SchemaRepository {

    private final SchemaRepository repository;
    private final Map<Same, Validator> made = new ConcurrentHashMap<>();

    Repository(SchemaRepository repository) {
      this.repository = repository;
    }

    @Override
    public Validator validator(JsonSchema schema) {
      Same key = new Same(schema);
      Validator known = made.get(key);
      return known != null ? known : made.computeIfAbsent(key, k -> repository.validator(schema));
    }

    @Override
    public SchemaRepository dereference(JsonSchema schema) throws SchemaException {
      return repository.dereference(schema);
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) throws SchemaException {
      return repository.dereference(uri, schema);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs) {
      return repository.preloadMetaSchema(fs);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs, Draft draft) {
      return repository.preloadMetaSchema(fs, draft);
    }

    @Override
    public Validator validator(String ref) {
      return repository.validator(ref);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      return repository.validator(ref, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return repository.validator(schema, options, dereference);
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return repository.resolve(schema);
    }

    @Override
    public JsonSchema find(String pointer) {
      return repository.find(pointer);
    }
  }
}
