package io.taskbus.api.query;

/**
 * A filter that does not compile. The message says what was expected and what was found, and {@link
 * #position()} where, for a client to point at.
 */
public class FilterSyntaxException extends RuntimeException {

  private final int position;

  public FilterSyntaxException(String message, int position) {
    // bad input from a user: the stack trace would say nothing and cost something
    super(message, null, false, false);
    this.position = position;
  }

  /** The 0-based offset of the offending character in the filter (in UTF-16 units). */
  public int position() {
    return position;
  }
}
