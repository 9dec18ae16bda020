package io.taskbus.api.query;

import java.util.ArrayList;
import java.util.List;

/** Positional parameters for a statement built piece by piece; values never enter the SQL text. */
public final class SqlParams {

  private final List<Object> values = new ArrayList<>();
  private final int start;

  public SqlParams(int start) {
    this.start = start;
  }

  /** Records the value and returns its placeholder, e.g. {@code $3}. */
  public String add(Object value) {
    values.add(value);
    return "$" + (start + values.size() - 1);
  }

  public List<Object> values() {
    return values;
  }
}
