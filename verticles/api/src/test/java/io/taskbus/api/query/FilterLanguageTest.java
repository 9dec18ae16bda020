package io.taskbus.api.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterLanguageTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Instant NOW = OffsetDateTime.parse("2026-03-08T00:05:00-05:00").toInstant();

  private SqlParams params = new SqlParams();

  private String compile(String filter) {
    params = new SqlParams();
    return FilterLanguage.compile(filter, NEW_YORK, NOW, params);
  }

  private FilterSyntaxException error(String filter) {
    return assertThrows(FilterSyntaxException.class, () -> compile(filter));
  }

  private void assertError(String filter, int position, String message) {
    FilterSyntaxException e = error(filter);
    assertEquals(message, e.getMessage());
    assertEquals(position, e.position(), message);
  }

  @Test
  void andBindsTighterThanOr() {
    assertEquals(
        "(priority = $1 OR (priority = $2 AND priority = $3))",
        compile("priority:low | priority:medium & priority:high"));
    assertEquals(List.of("low", "medium", "high"), params.values());
    assertEquals(
        "((priority = $1 AND priority = $2) OR priority = $3)",
        compile("priority:low & priority:medium | priority:high"));
  }

  @Test
  void parenthesesGroup() {
    assertEquals(
        "((priority = $1 OR priority = $2) AND priority = $3)",
        compile("(priority:low | priority:medium) & priority:high"));
    assertEquals("NOT completed", compile("((((open))))"));
  }

  @Test
  void negationBindsTightestAndTreatsUnknownAsFalse() {
    assertEquals(
        "(((completed) IS NOT TRUE) AND priority = $1)", compile("!completed & priority:low"));
    assertEquals(
        "(((priority = $1 OR priority = $2)) IS NOT TRUE)",
        compile("!(priority:low | priority:high)"));
    assertEquals("((((completed) IS NOT TRUE)) IS NOT TRUE)", compile("!!completed"));
  }

  @Test
  void wordsAreSynonymsOfOperatorsInAnyCase() {
    String symbols = compile("priority:low | priority:medium & !completed");
    List<Object> symbolParams = params.values();
    assertEquals(symbols, compile("priority:low OR priority:medium And NOT completed"));
    assertEquals(symbolParams, params.values());
    assertEquals(symbols, compile("Priority:LOW or PRIORITY:Medium and not COMPLETED"));
  }

  @Test
  void onlyAStatusTermTakesTheDefaultStatusAway() {
    for (String filter : List.of("completed", "tag:x & !open", "(OPEN | completed) & due < 7d")) {
      assertEquals(
          "all", FilterLanguage.compiled(filter, NEW_YORK, NOW, new SqlParams()).defaultStatus());
    }
    // quoted, a tag or a word in a search, the word is no status term; overdue implies open itself
    for (String filter :
        List.of("\"completed\"", "tag:completed", "tag:open & overdue", "reopened", "today")) {
      assertEquals(
          "open",
          FilterLanguage.compiled(filter, NEW_YORK, NOW, new SqlParams()).defaultStatus(),
          filter);
    }
  }

  @Test
  void termsCompileToTheirConditions() {
    assertEquals("completed", compile("completed"));
    assertEquals("NOT completed", compile("open"));
    assertEquals("(due_date IS NOT NULL OR due_at IS NOT NULL)", compile("has:due"));
    assertEquals("(due_date IS NULL AND due_at IS NULL)", compile("no:due"));
    assertEquals("(NOT completed AND (due_date < $1 OR due_at < $2))", compile("overdue"));
    assertEquals("(due_date = $1 OR (due_at >= $2 AND due_at < $3))", compile("today"));
    assertEquals("priority = ANY($1)", compile("priority:high,Medium,high"));
    assertArrayEquals(new String[] {"high", "medium"}, (String[]) params.values().get(0));
  }

  @Test
  void tagsAreLowerCasedAndMayBeQuoted() {
    assertEquals("tags @> $1", compile("tag:Work"));
    assertArrayEquals(new String[] {"work"}, (String[]) params.values().get(0));
    compile("tag:\"  Home Office \"");
    assertArrayEquals(new String[] {"home office"}, (String[]) params.values().get(0));
    compile("tag:" + "x".repeat(50));
  }

  @Test
  void comparisonsTakeEveryOperatorAndBound() {
    assertEquals("(due_date < $1 OR due_at < $2)", compile("due < 7d"));
    assertEquals("(due_date <= $1 OR due_at < $2)", compile("due<=2026-03-08"));
    assertEquals("(due_date > $1 OR due_at >= $2)", compile("due>tomorrow"));
    assertEquals("(due_date >= $1 OR due_at >= $2)", compile("due >= \"2026-12-24T09:00-05:00\""));
    assertEquals("created_at > $1", compile("created > -1d"));
    assertEquals(List.of(OffsetDateTime.parse("2026-03-07T05:05Z")), params.values());
    assertEquals("(updated_at >= $1 AND updated_at < $2)", compile("UPDATED = yesterday"));
  }

  @Test
  void adjacentWordsAndStringsAreOneSearch() {
    assertEquals(
        "(search @@ websearch_to_tsquery('simple', $1) AND priority = $2)",
        compile("buy milk & priority:high"));
    assertEquals(List.of("buy milk", "high"), params.values());
    compile("\"oat milk\" fresh 10:30 c++");
    assertEquals(List.of("\"oat milk\" fresh 10:30 c++"), params.values());
    compile("\"say \\\"hi\\\" \\\\ bye\"");
    assertEquals(List.of("\"say  hi  \\ bye\""), params.values());
    compile("\"today\" \"due\"");
    assertEquals(List.of("\"today\" \"due\""), params.values());
  }

  @Test
  void valuesNeverReachTheSqlText() {
    String attack = "x'); DROP TABLE tasks; --";
    String sql = compile("\"" + attack + "\" | tag:\"" + attack + "\"");
    assertEquals("(search @@ websearch_to_tsquery('simple', $1) OR tags @> $2)", sql);
    assertFalse(sql.contains("DROP"));
    assertEquals("\"" + attack + "\"", params.values().get(0));
  }

  @Test
  void placeholdersContinueFromTheStartIndexAndNothingIsAddedOnError() {
    SqlParams p = new SqlParams(3);
    p.add("user-1");
    assertEquals(
        "(priority = $4 AND tags @> $5)",
        FilterLanguage.compile("priority:low & tag:a", NEW_YORK, NOW, p));
    assertThrows(
        FilterSyntaxException.class,
        () -> FilterLanguage.compile("priority:low & tag:a & (", NEW_YORK, NOW, p));
    assertEquals(3, p.values().size());
    assertEquals("$6", p.add("next"));
  }

  @Test
  void errorsSayWhatWasExpectedWhereAndWhatWasFound() {
    assertError(
        "(tag:work | tag:home) & (due",
        28,
        "expected <, <=, >, >= or = after 'due' at position 28 but found end of input");
    assertError(
        "(tag:work | tag:home | today", 28, "expected ')' at position 28 but found end of input");
    assertError(
        "priority:urgent",
        9,
        "unknown priority 'urgent' at position 9 (expected low, medium or high)");
    assertError(
        "priority:high,urgent",
        14,
        "unknown priority 'urgent' at position 14 (expected low, medium or high)");
    assertError(
        "priority:high,", 14, "missing priority at position 14 (expected low, medium or high)");
    assertError("priority:", 9, "missing priority at position 9 (expected low, medium or high)");
    assertError("colour:red", 0, "unknown field 'colour:' at position 0");
    assertError("open & Colour:\"red\"", 7, "unknown field 'Colour:' at position 7");
    assertError("", 0, "expected a term at position 0 but found end of input");
    assertError("open & & completed", 7, "expected a term at position 7 but found '&'");
    assertError("open |", 6, "expected a term at position 6 but found end of input");
    assertError("!", 1, "expected a term at position 1 but found end of input");
    assertError("< today", 0, "expected a term at position 0 but found '<'");
    assertError("open)", 4, "unmatched ')' at position 4");
    assertError(
        "priority:high tag:work", 14, "expected '&' or '|' at position 14 but found 'tag:work'");
    assertError(
        "buy today",
        4,
        "expected '&' or '|' at position 4 but found 'today'"
            + " (to search for the word, put it in quotes)");
    assertError(
        "due today",
        4,
        "expected <, <=, >, >= or = after 'due' at position 4 but found"
            + " 'today' (to search for the word, put it in quotes)");
    assertError(
        "due <",
        5,
        "expected a date (such as today, 2026-12-24 or 7d) at position 5 but found end of input");
    assertError(
        "due = (today)",
        6,
        "expected a date (such as today, 2026-12-24 or 7d) at position 6 but found '('");
    assertError(
        "due < 2026-02-30", 6, "invalid date at position 6: '2026-02-30' is not a valid date");
    assertError(
        "created > 3y",
        10,
        "invalid date at position 10: unknown time unit 'y' in '3y' (expected d, w, h or m)");
    assertError(
        "open & \"milk",
        12,
        "expected '\"' at position 12 but found end of input"
            + " (the string opened at position 7 is not closed)");
    assertError("tag:", 4, "expected a tag label at position 4 but found end of input");
    assertError("tag: work", 4, "expected a tag label at position 4 but found white space");
    assertError("tag:(work)", 4, "expected a tag label at position 4 but found '('");
    assertError("tag:\"  \"", 4, "empty tag label at position 4");
    assertError("tag:" + "x".repeat(51), 4, "tag label at position 4 is longer than 50 characters");
    assertError("has:dates", 4, "expected 'due' at position 4 but found 'dates'");
    assertError("no:", 3, "expected 'due' at position 3 but found nothing");
    assertError("open | \"\"", 7, "empty quoted string at position 7");
  }

  @Test
  void inputIsAtMostOneThousandCharacters() {
    compile("x".repeat(1000));
    assertError(
        "x".repeat(1001),
        1000,
        "the filter is too long at position 1000:"
            + " at most 1000 characters are allowed, found 1001");
  }

  @Test
  void parenthesesNestAtMostTwentyDeep() {
    assertEquals("completed", compile("(".repeat(20) + "completed" + ")".repeat(20)));
    assertError(
        "(".repeat(21) + "completed" + ")".repeat(21),
        20,
        "parentheses nested deeper than 20 levels at position 20");
    assertError(
        "(open) & " + "(".repeat(21) + "open" + ")".repeat(21),
        29,
        "parentheses nested deeper than 20 levels at position 29");
  }

  @Test
  void atMostFiftyTerms() {
    String fifty = String.join(" & ", java.util.Collections.nCopies(50, "open"));
    compile(fifty);
    compile("buy milk and eggs & " + fifty.substring("open & ".length() * 2));
    assertError(
        fifty + " | open",
        fifty.length() + 3,
        "too many terms at position " + (fifty.length() + 3) + " (at most 50)");
  }
}
