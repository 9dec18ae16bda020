package io.taskbus.api.query;

import io.taskbus.api.query.FilterLexer.Token;
import io.taskbus.api.query.FilterLexer.Type;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Recursive descent over the grammar in {@link FilterLanguage}, writing SQL as it goes. */
final class FilterParser {

  private static final Set<String> KEYWORDS =
      Set.of("completed", "open", "overdue", "today", "due", "created", "updated");
  private static final String PRIORITIES = "low, medium or high";

  private final FilterLexer lexer;
  private final ZoneId zone;
  private final Instant now;
  private final DueConditions due;
  private final TaskConditions task;
  private int depth;
  private int terms;
  private boolean namesStatus;

  FilterParser(String input, ZoneId zone, Instant now, SqlParams params) {
    this.lexer = new FilterLexer(input);
    this.zone = zone;
    this.now = now;
    this.due = new DueConditions(params, zone);
    this.task = new TaskConditions(params, zone);
  }

  String parse() {
    String sql = or();
    Token t = lexer.peek();
    if (t.type() == Type.RPAREN) {
      throw new FilterSyntaxException("unmatched ')' at position " + t.position(), t.position());
    }
    if (t.type() != Type.END) {
      throw expected("'&' or '|'", t);
    }
    return sql;
  }

  /** Whether the filter parsed so far has a {@code completed} or {@code open} term. */
  boolean namesStatus() {
    return namesStatus;
  }

  private String or() {
    List<String> parts = new ArrayList<>(List.of(and()));
    while (lexer.peek().type() == Type.OR) {
      lexer.next();
      parts.add(and());
    }
    return group(parts, " OR ");
  }

  private String and() {
    List<String> parts = new ArrayList<>(List.of(unary()));
    while (lexer.peek().type() == Type.AND) {
      lexer.next();
      parts.add(unary());
    }
    return group(parts, " AND ");
  }

  private String unary() {
    int negations = 0;
    while (lexer.peek().type() == Type.NOT) {
      lexer.next();
      negations++;
    }
    String sql = primary();
    for (int i = 0; i < negations; i++) {
      // NOT of NULL is NULL: "not due before Friday" must include tasks without a due date
      sql = "((" + sql + ") IS NOT TRUE)";
    }
    return sql;
  }

  private String primary() {
    Token t = lexer.peek();
    if (t.type() == Type.LPAREN) {
      lexer.next();
      if (++depth > FilterLanguage.MAX_DEPTH) {
        throw new FilterSyntaxException(
            "parentheses nested deeper than "
                + FilterLanguage.MAX_DEPTH
                + " levels at position "
                + t.position(),
            t.position());
      }
      String inner = or();
      Token close = lexer.peek();
      if (close.type() != Type.RPAREN) {
        throw expected("')'", close);
      }
      lexer.next();
      depth--;
      return inner;
    }
    if (t.type() == Type.WORD || t.type() == Type.STRING) {
      return term();
    }
    throw expected("a term", t);
  }

  private String term() {
    Token t = lexer.next();
    if (++terms > FilterLanguage.MAX_TERMS) {
      throw new FilterSyntaxException(
          "too many terms at position "
              + t.position()
              + " (at most "
              + FilterLanguage.MAX_TERMS
              + ")",
          t.position());
    }
    String word = t.type() == Type.WORD ? t.text().toLowerCase(Locale.ROOT) : "";
    switch (word) {
      case "completed":
        namesStatus = true;
        return task.completed(true);
      case "open":
        namesStatus = true;
        return task.completed(false);
      case "overdue":
        return due.overdue(now);
      case "today":
        return due.dueToday(now);
      case "due":
      case "created":
      case "updated":
        return comparison(t, word);
      default:
        break;
    }
    if (isField(t)) {
      return field(t, word.substring(0, word.indexOf(':')));
    }
    return fullText(t);
  }

  private String comparison(Token field, String column) {
    Token opToken = lexer.peek();
    if (opToken.type() != Type.OP) {
      throw expected("<, <=, >, >= or = after '" + field.text() + "'", opToken);
    }
    lexer.next();
    Comparison op = Comparison.ofSymbol(opToken.text()).orElseThrow();
    Token b = lexer.peek();
    if (b.type() != Type.WORD && b.type() != Type.STRING) {
      throw expected("a date (such as today, 2026-12-24 or 7d)", b);
    }
    lexer.next();
    DueBound bound;
    try {
      bound = DueBound.parse(b.text(), zone, now);
    } catch (DueBoundException e) {
      throw new FilterSyntaxException(
          "invalid date at position " + b.position() + ": " + e.getMessage(), b.position());
    }
    switch (column) {
      case "due":
        return due.compare(op, bound);
      case "created":
        return task.created(op, bound);
      default:
        return task.updated(op, bound);
    }
  }

  private String field(Token t, String name) {
    int colon = name.length();
    String value = t.text().substring(colon + 1);
    int at = t.position() + colon + 1;
    switch (name) {
      case "priority":
        return priority(value, at);
      case "tag":
        return tag(t, value, at);
      case "has":
      case "no":
        if (!value.equalsIgnoreCase("due")) {
          throw new FilterSyntaxException(
              "expected 'due' at position "
                  + at
                  + " but found "
                  + (value.isEmpty() ? "nothing" : "'" + value + "'"),
              at);
        }
        return due.hasDue(name.equals("has"));
      default:
        throw new FilterSyntaxException(
            "unknown field '" + t.text().substring(0, colon + 1) + "' at position " + t.position(),
            t.position());
    }
  }

  private String priority(String value, int at) {
    Set<String> priorities = new LinkedHashSet<>();
    int pos = at;
    for (String p : value.split(",", -1)) {
      if (p.isEmpty()) {
        throw new FilterSyntaxException(
            "missing priority at position " + pos + " (expected " + PRIORITIES + ")", pos);
      }
      String lower = p.toLowerCase(Locale.ROOT);
      if (!TaskConditions.PRIORITIES.contains(lower)) {
        throw new FilterSyntaxException(
            "unknown priority '" + p + "' at position " + pos + " (expected " + PRIORITIES + ")",
            pos);
      }
      priorities.add(lower);
      pos += p.length() + 1;
    }
    return task.priorityIn(priorities);
  }

  private String tag(Token t, String value, int at) {
    String label = value;
    if (value.isEmpty()) {
      Token quoted = lexer.peek();
      if (quoted.type() != Type.STRING || quoted.position() != t.end()) {
        throw new FilterSyntaxException(
            "expected a tag label at position "
                + at
                + " but found "
                + (quoted.position() == t.end() ? quoted.describe() : "white space"),
            at);
      }
      lexer.next();
      label = quoted.text();
    }
    label = Tags.normalize(label);
    if (label.isEmpty()) {
      throw new FilterSyntaxException("empty tag label at position " + at, at);
    }
    if (label.length() > Tags.MAX_LENGTH) {
      throw new FilterSyntaxException(
          "tag label at position " + at + " is longer than " + Tags.MAX_LENGTH + " characters", at);
    }
    return task.tagsAll(List.of(label));
  }

  /** Adjacent words and strings are one search, as typed into a search box. */
  private String fullText(Token first) {
    StringBuilder text = new StringBuilder(searchText(first));
    while (isPlainText(lexer.peek())) {
      text.append(' ').append(searchText(lexer.next()));
    }
    return task.fullText(text.toString());
  }

  private static String searchText(Token t) {
    if (t.type() == Type.WORD) {
      return t.text();
    }
    if (t.text().isBlank()) {
      throw new FilterSyntaxException(
          "empty quoted string at position " + t.position(), t.position());
    }
    // quotes keep their meaning for websearch_to_tsquery: the words as a phrase
    return '"' + t.text().replace('"', ' ') + '"';
  }

  private static boolean isPlainText(Token t) {
    return t.type() == Type.STRING
        || t.type() == Type.WORD
            && !KEYWORDS.contains(t.text().toLowerCase(Locale.ROOT))
            && !isField(t);
  }

  /** {@code name:...} with a name of letters; other colons, as in {@code 10:30}, are text. */
  private static boolean isField(Token t) {
    int colon = t.text().indexOf(':');
    if (t.type() != Type.WORD || colon <= 0) {
      return false;
    }
    for (int i = 0; i < colon; i++) {
      char c = t.text().charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        return false;
      }
    }
    return true;
  }

  private static String group(List<String> parts, String operator) {
    return parts.size() == 1 ? parts.get(0) : "(" + String.join(operator, parts) + ")";
  }

  private static FilterSyntaxException expected(String what, Token found) {
    String hint =
        found.type() == Type.WORD && KEYWORDS.contains(found.text().toLowerCase(Locale.ROOT))
            ? " (to search for the word, put it in quotes)"
            : "";
    return new FilterSyntaxException(
        "expected "
            + what
            + " at position "
            + found.position()
            + " but found "
            + found.describe()
            + hint,
        found.position());
  }
}
