package io.taskbus.recurrence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Set;

/**
 * How a task repeats: an RRULE (normalised, without the {@code RRULE:} prefix), whether the next
 * occurrence counts from the schedule or from the completion, and what to do when the next one is
 * already overdue. Always valid: every way of making one checks the rule.
 *
 * <p>JSON: {@code {"rule": "FREQ=MONTHLY;BYMONTHDAY=31", "mode": "schedule", "overdue": "skip"}} or
 * a preset, {@code {"preset": "weekdays", "interval": 2}} (see {@link Preset}). {@code mode} is
 * {@code schedule} (default) or {@code completion}; {@code overdue} is {@code skip} (default) or
 * {@code catch-up}. Skipping is the default because completing a long-ignored daily task should not
 * leave a queue of overdue copies behind it.
 */
public final class Recurrence {

  private static final Set<String> FIELDS =
      Set.of("rule", "preset", "interval", "skip", "mode", "overdue", "exceptions");

  /** Enough for a year of weekly changes; pruned as the series passes them. */
  static final int MAX_EXCEPTIONS = 100;

  private final String rule;
  private final RecurrenceMode mode;
  private final OverduePolicy overdue;
  private final Rule parsed;
  private final JsonArray exceptions;

  private Recurrence(
      Rule parsed, RecurrenceMode mode, OverduePolicy overdue, JsonArray exceptions) {
    this.rule = parsed.text();
    this.mode = mode;
    this.overdue = overdue;
    this.parsed = parsed;
    this.exceptions = exceptions;
  }

  /**
   * A recurrence from its parts, e.g. as stored.
   *
   * @throws RecurrenceException when the rule is not one a task can use
   */
  public static Recurrence of(String rule, RecurrenceMode mode, OverduePolicy overdue) {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(overdue, "overdue");
    Rule parsed = RuleParser.parse(rule);
    if (mode == RecurrenceMode.COMPLETION && parsed.count() != null) {
      // Each completion starts the rule afresh, so there is no series to count along.
      throw new RecurrenceException(
          "rule", "COUNT cannot be used with mode completion; use UNTIL to end the series");
    }
    return new Recurrence(parsed, mode, overdue, new JsonArray());
  }

  /**
   * The same rule with these exceptions (skipped or moved occurrences, see {@link SeriesPlan}).
   * Their shape is checked here; whether each names an occurrence of the series needs the anchor.
   *
   * @throws RecurrenceException when they are malformed, too many, or the mode is completion
   */
  public Recurrence withExceptions(JsonArray exceptions) {
    if (exceptions.size() > MAX_EXCEPTIONS) {
      throw new RecurrenceException(
          "exceptions", "at most " + MAX_EXCEPTIONS + " skipped or moved occurrences per series");
    }
    if (!exceptions.isEmpty() && mode == RecurrenceMode.COMPLETION) {
      // In completion mode the next date depends on when the last one is done: there is no
      // future occurrence to skip or move.
      throw new RecurrenceException(
          "exceptions",
          "skipping or moving a future occurrence needs"
              + " mode schedule; in mode completion the next date follows the completion");
    }
    for (Object item : exceptions) {
      SeriesPlan.checkShape(item);
    }
    return new Recurrence(parsed, mode, overdue, exceptions.copy());
  }

  /**
   * Reads the API's JSON form.
   *
   * @throws RecurrenceException naming the field at fault
   */
  public static Recurrence parse(JsonObject json) {
    if (json == null) {
      throw new RecurrenceException("recurrence", "must be an object");
    }
    for (String name : json.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new RecurrenceException(
            name,
            "is not a recurrence field; use rule or preset (with interval and skip), mode, overdue");
      }
    }
    RecurrenceMode mode =
        json.getValue("mode") == null
            ? RecurrenceMode.SCHEDULE
            : RecurrenceMode.fromJson(text(json, "mode"));
    OverduePolicy overdue =
        json.getValue("overdue") == null
            ? OverduePolicy.SKIP_TO_FUTURE
            : OverduePolicy.fromJson(text(json, "overdue"));
    Recurrence recurrence = of(ruleText(json), mode, overdue);
    Object exceptions = json.getValue("exceptions");
    if (exceptions == null) {
      return recurrence;
    }
    if (!(exceptions instanceof JsonArray array)) {
      throw new RecurrenceException("exceptions", "must be an array");
    }
    return recurrence.withExceptions(array);
  }

  private static String ruleText(JsonObject json) {
    boolean hasRule = json.getValue("rule") != null;
    boolean hasPreset = json.getValue("preset") != null;
    if (hasRule && hasPreset) {
      throw new RecurrenceException("preset", "cannot be set together with rule");
    }
    if (hasRule) {
      for (String presetOnly : new String[] {"interval", "skip"}) {
        if (json.getValue(presetOnly) != null) {
          throw new RecurrenceException(
              presetOnly,
              "only goes with a preset; write "
                  + presetOnly.toUpperCase(java.util.Locale.ROOT)
                  + " into the rule instead");
        }
      }
      return text(json, "rule");
    }
    if (!hasPreset) {
      throw new RecurrenceException(
          "rule", "is required, or a preset: daily, weekdays, weekly, monthly, yearly");
    }
    Preset preset = Preset.fromJson(text(json, "preset"));
    return preset.rule(
        interval(json.getValue("interval")),
        json.getValue("skip") == null ? null : text(json, "skip"));
  }

  private static int interval(Object value) {
    if (value == null) {
      return 1;
    }
    if (value instanceof Number n
        && n.doubleValue() == Math.rint(n.doubleValue())
        && n.doubleValue() >= 1
        && n.doubleValue() <= RuleParser.MAX_INTERVAL) {
      return n.intValue();
    }
    throw new RecurrenceException(
        "interval", "must be a whole number from 1 to " + RuleParser.MAX_INTERVAL);
  }

  private static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value instanceof String s) {
      return s;
    }
    throw new RecurrenceException(field, "must be a string");
  }

  /** The normalised RRULE, e.g. {@code RSCALE=GREGORIAN;FREQ=MONTHLY;SKIP=BACKWARD}. */
  public String rule() {
    return rule;
  }

  public RecurrenceMode mode() {
    return mode;
  }

  public OverduePolicy overdue() {
    return overdue;
  }

  Rule parsed() {
    return parsed;
  }

  /** The skipped and moved occurrences, as stored: {@code [{occurrence, skip | to}]}. */
  public JsonArray exceptions() {
    return exceptions.copy();
  }

  /** The JSON form; a preset comes back as the rule it stands for. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject().put("rule", rule).put("mode", mode.json()).put("overdue", overdue.json());
    return exceptions.isEmpty() ? json : json.put("exceptions", exceptions.copy());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Recurrence r
        && r.rule.equals(rule)
        && r.mode == mode
        && r.overdue == overdue
        && r.exceptions.equals(exceptions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rule, mode, overdue, exceptions);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
