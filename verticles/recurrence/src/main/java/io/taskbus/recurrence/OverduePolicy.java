package io.taskbus.recurrence;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What happens when the next occurrence of a series is already in the past. */
public enum OverduePolicy {
  /** Create the occurrence right after the last one even if it is overdue, so none is lost. */
  CATCH_UP("catch-up"),
  /** Skip the missed ones and create the first occurrence that is not yet overdue. */
  SKIP_TO_FUTURE("skip");

  private final String json;

  OverduePolicy(String json) {
    this.json = json;
  }

  /** The value in the API's JSON. */
  public String json() {
    return json;
  }

  static OverduePolicy fromJson(String value) {
    for (OverduePolicy policy : values()) {
      if (policy.json.equals(value)) {
        return policy;
      }
    }
    throw new RecurrenceException(
        "overdue",
        "must be one of "
            + Arrays.stream(values()).map(OverduePolicy::json).collect(Collectors.joining(", ")));
  }
}
