package io.taskbus.api.query;

import java.util.Locale;

/**
 * Splits a filter into tokens on demand, so errors come in reading order. A word is any run of
 * characters other than white space and the operator characters, which keeps dates such as {@code
 * 2026-12-24T09:00:00-05:00}, durations such as {@code -3d} and words such as {@code c++} whole.
 */
final class FilterLexer {

  enum Type {
    LPAREN,
    RPAREN,
    AND,
    OR,
    NOT,
    OP,
    WORD,
    STRING,
    END
  }

  /** {@code text} is the word as written, or a string's content without quotes and escapes. */
  record Token(Type type, String text, int position, int end, String source) {

    /** How an error message shows this token. */
    String describe() {
      if (type == Type.END) {
        return "end of input";
      }
      return "'" + (source.length() > 40 ? source.substring(0, 40) + "..." : source) + "'";
    }

    boolean isWord(String keyword) {
      return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }
  }

  private static final String OPERATOR_CHARS = "()&|!<>=\"";

  private final String input;
  private int pos;
  private Token peeked;

  FilterLexer(String input) {
    this.input = input;
  }

  Token peek() {
    if (peeked == null) {
      peeked = read();
    }
    return peeked;
  }

  Token next() {
    Token t = peek();
    peeked = null;
    return t;
  }

  private Token read() {
    while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (pos == input.length()) {
      return new Token(Type.END, "", start, start, "");
    }
    char c = input.charAt(pos);
    switch (c) {
      case '(':
        return symbol(Type.LPAREN, 1);
      case ')':
        return symbol(Type.RPAREN, 1);
      case '&':
        return symbol(Type.AND, 1);
      case '|':
        return symbol(Type.OR, 1);
      case '!':
        return symbol(Type.NOT, 1);
      case '<':
      case '>':
        return symbol(Type.OP, at(pos + 1) == '=' ? 2 : 1);
      case '=':
        return symbol(Type.OP, 1);
      case '"':
        return string();
      default:
        return word();
    }
  }

  private Token symbol(Type type, int length) {
    int start = pos;
    pos += length;
    String text = input.substring(start, pos);
    return new Token(type, text, start, pos, text);
  }

  private Token word() {
    int start = pos;
    while (pos < input.length()
        && !Character.isWhitespace(input.charAt(pos))
        && OPERATOR_CHARS.indexOf(input.charAt(pos)) < 0) {
      pos++;
    }
    String text = input.substring(start, pos);
    Type type =
        switch (text.toLowerCase(Locale.ROOT)) {
          case "and" -> Type.AND;
          case "or" -> Type.OR;
          case "not" -> Type.NOT;
          default -> Type.WORD;
        };
    return new Token(type, text, start, pos, text);
  }

  private Token string() {
    int start = pos++;
    StringBuilder text = new StringBuilder();
    while (pos < input.length()) {
      char c = input.charAt(pos++);
      if (c == '"') {
        return new Token(Type.STRING, text.toString(), start, pos, input.substring(start, pos));
      }
      if (c == '\\' && (at(pos) == '"' || at(pos) == '\\')) {
        c = input.charAt(pos++);
      }
      text.append(c);
    }
    throw new FilterSyntaxException(
        "expected '\"' at position "
            + pos
            + " but found end of input (the string opened at position "
            + start
            + " is not closed)",
        pos);
  }

  private char at(int i) {
    return i < input.length() ? input.charAt(i) : 0;
  }
}
