package io.taskbus.recurrence;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where the next occurrence is counted from. */
public enum RecurrenceMode {
  /** From the series: the rule's own dates, whenever the task was completed. */
  SCHEDULE("schedule"),
  /** From the completion: the rule applied afresh from the day the task was completed. */
  COMPLETION("completion");

  private final String json;

  RecurrenceMode(String json) {
    this.json = json;
  }

  /** The value in the API's JSON. */
  public String json() {
    return json;
  }

  static RecurrenceMode fromJson(String value) {
    for (RecurrenceMode mode : values()) {
      if (mode.json.equals(value)) {
        return mode;
      }
    }
    throw new RecurrenceException(
        "mode",
        "must be one of "
            + Arrays.stream(values()).map(RecurrenceMode::json).collect(Collectors.joining(", ")));
  }
}
