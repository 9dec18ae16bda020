package io.taskbus.recurrence;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The everyday choices a task form offers, each short for an RRULE. The day, weekday or date comes
 * from the task's due date, as in RFC 5545 (FREQ=MONTHLY alone repeats the due date's day of
 * month).
 *
 * <p>monthly and yearly default to SKIP=BACKWARD: a task due on the 31st then falls on the last day
 * of shorter months, and one due on 29 February on the 28th in common years. RFC 5545's own default
 * (OMIT) silently drops those months, which for a bill or a report is the wrong surprise. {@code
 * "skip": "omit"} asks for the RFC default.
 */
public enum Preset {
  DAILY("daily", "FREQ=DAILY", false),
  WEEKDAYS("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", false),
  WEEKLY("weekly", "FREQ=WEEKLY", false),
  MONTHLY("monthly", "FREQ=MONTHLY", true),
  YEARLY("yearly", "FREQ=YEARLY", true);

  private final String json;
  private final String rule;
  private final boolean monthEnds;

  Preset(String json, String rule, boolean monthEnds) {
    this.json = json;
    this.rule = rule;
    this.monthEnds = monthEnds;
  }

  public String json() {
    return json;
  }

  /** Whether the preset can land on a day some months lack, so SKIP applies. */
  public boolean hasMonthEnds() {
    return monthEnds;
  }

  /**
   * The RRULE for this preset. {@code skip} is omit, backward or forward, or null for the default;
   * it is only accepted where {@link #hasMonthEnds()}. weekdays with an interval of 2 means every
   * other week, Monday to Friday.
   */
  public String rule(int interval, String skip) {
    if (interval < 1 || interval > RuleParser.MAX_INTERVAL) {
      throw new RecurrenceException(
          "interval", "must be a whole number from 1 to " + RuleParser.MAX_INTERVAL);
    }
    if (skip != null && !monthEnds) {
      throw new RecurrenceException("skip", "only applies to the monthly and yearly presets");
    }
    StringBuilder out = new StringBuilder(rule);
    if (interval != 1) {
      out.append(";INTERVAL=").append(interval);
    }
    String chosen = skip == null ? "BACKWARD" : skip.toUpperCase(Locale.ROOT);
    if (!chosen.matches("OMIT|BACKWARD|FORWARD")) {
      throw new RecurrenceException("skip", "must be one of omit, backward, forward");
    }
    if (monthEnds && !chosen.equals("OMIT")) {
      out.append(";SKIP=").append(chosen);
    }
    return out.toString();
  }

  public static Preset fromJson(String value) {
    for (Preset preset : values()) {
      if (preset.json.equals(value)) {
        return preset;
      }
    }
    throw new RecurrenceException(
        "preset",
        "must be one of "
            + Arrays.stream(values()).map(Preset::json).collect(Collectors.joining(", ")));
  }
}
