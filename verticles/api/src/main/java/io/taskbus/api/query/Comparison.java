package io.taskbus.api.query;

import java.util.Optional;

/** How a task's due, creation or update time is compared with a {@link DueBound}. */
public enum Comparison {
  BEFORE("<"),
  AT_OR_BEFORE("<="),
  AFTER(">"),
  AT_OR_AFTER(">="),
  ON("=");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in the filter language and in SQL. */
  public String symbol() {
    return symbol;
  }

  public static Optional<Comparison> ofSymbol(String symbol) {
    for (Comparison c : values()) {
      if (c.symbol.equals(symbol)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
