package io.taskbus.api.query;

/** A date expression that {@link DueBound#parse} cannot read; the message says why. */
public class DueBoundException extends IllegalArgumentException {

  public DueBoundException(String message) {
    super(message);
  }
}
