package io.taskbus.api;

import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the OpenAPI validator's findings into the problem documents the handlers write: one error
 * per bad field, in plain words. The JSON Schema output names a failing field several times (the
 * property, the subschema, the keyword); the keyword that actually failed is the one kept.
 */
final class ValidationProblems {

  private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");
  private static final Pattern EXPECTED = Pattern.compile("Expected (.+)$");
  private static final Pattern NUMBER = Pattern.compile("(\\d+)\\D*$");

  /** Keywords that explain a failure, best first; the rest only say that something below failed. */
  private static final List<String> SPECIFIC =
      List.of(
          "required",
          "type",
          "enum",
          "const",
          "maxLength",
          "minLength",
          "maxItems",
          "minItems",
          "minimum",
          "maximum",
          "pattern",
          "format",
          "uniqueItems",
          "additionalProperties");

  static ApiException of(ValidatorException e) {
    if (e.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT
        || e.type() == ValidatorErrorType.MISSING_OPERATION) {
      return Problems.forStatus(415);
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("can't be decoded") && message.contains("body")) {
      return new ApiException(
          400, "malformed-json", "Malformed JSON", "The request body is not valid JSON");
    }
    String parameter = parameterName(message);
    if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      List<OutputUnit> units = new ArrayList<>();
      collect(schema.getOutputUnit(), units);
      Map<String, String[]> best = new LinkedHashMap<>();
      for (OutputUnit unit : units) {
        String keyword = keyword(unit);
        int rank = SPECIFIC.indexOf(keyword);
        if (rank < 0) {
          continue;
        }
        String field = field(unit, keyword, parameter);
        String[] current = best.get(field);
        if (current == null || rank < Integer.parseInt(current[0])) {
          best.put(field, new String[] {Integer.toString(rank), words(keyword, unit.getError())});
        }
      }
      if (!best.isEmpty()) {
        Violations v = new Violations();
        best.forEach((field, found) -> v.add(field, found[1]));
        return v.toException();
      }
    }
    return Violations.of(parameter, message);
  }

  private static void collect(OutputUnit unit, List<OutputUnit> all) {
    if (unit.getError() != null) {
      all.add(unit);
    }
    if (unit.getErrors() != null) {
      unit.getErrors().forEach(child -> collect(child, all));
    }
  }

  private static String keyword(OutputUnit unit) {
    String location = unit.getKeywordLocation();
    if (location == null) {
      return "";
    }
    return location.substring(location.lastIndexOf('/') + 1);
  }

  private static String field(OutputUnit unit, String keyword, String parameter) {
    String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
    String path = location.replaceFirst("^#?/?", "").replace('/', '.');
    if (keyword.equals("required")) {
      Matcher m = REQUIRED.matcher(String.valueOf(unit.getError()));
      if (m.find()) {
        return path.isEmpty() ? m.group(1) : path + "." + m.group(1);
      }
    }
    if (path.isEmpty()) {
      return parameter;
    }
    return parameter.equals("body") ? path : parameter + "." + path;
  }

  private static String words(String keyword, String error) {
    String text = String.valueOf(error);
    Matcher number = NUMBER.matcher(text);
    return switch (keyword) {
      case "required" -> "is required";
      case "type" -> {
        Matcher m = EXPECTED.matcher(text);
        yield m.find() ? "must be " + m.group(1).replace(", ", " or ") : text;
      }
      case "enum", "const" ->
          text.replace("Instance does not match any of", "must be one of")
              .replace("Instance does not match", "must be");
      case "maxLength" ->
          number.find() ? "must be at most " + number.group(1) + " characters" : text;
      case "minLength" -> "must not be empty";
      case "maxItems" -> number.find() ? "must have at most " + number.group(1) + " items" : text;
      case "minItems" -> number.find() ? "must have at least " + number.group(1) + " items" : text;
      case "additionalProperties" -> "is not a known field";
      default -> text;
    };
  }

  /** vertx-openapi names the parameter in its message: "... in parameter: limit". */
  private static String parameterName(String message) {
    int at = message.lastIndexOf("parameter");
    if (at >= 0) {
      String rest = message.substring(at + "parameter".length()).replaceFirst("^[^A-Za-z]*", "");
      String name = rest.split("[^A-Za-z0-9_-]")[0];
      if (!name.isEmpty()) {
        return name;
      }
    }
    return "body";
  }

  private ValidationProblems() {}
}
