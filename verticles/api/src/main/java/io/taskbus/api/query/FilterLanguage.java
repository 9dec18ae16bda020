package io.taskbus.api.query;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A small filter language for task search, in the spirit of Todoist's and Vikunja's filters:
 *
 * <pre>
 * priority:high &amp; (tag:work | tag:home) &amp; due &lt; 7d &amp; !completed
 * </pre>
 *
 * <p>Grammar (EBNF; keywords, field names and values are case-insensitive):
 *
 * <pre>
 * filter   = or ;
 * or       = and , { ( "|" | "or" ) , and } ;
 * and      = unary , { ( "&amp;" | "and" ) , unary } ;
 * unary    = ( "!" | "not" ) , unary | primary ;
 * primary  = "(" , or , ")" | term ;
 * term     = "completed" | "open"                   (* done or not *)
 *          | "overdue"                              (* open, and past its due *)
 *          | "today"                                (* due today *)
 *          | "has:due" | "no:due"
 *          | "priority:" , priority , { "," , priority }    (* any of them *)
 *          | "tag:" , ( word | string )             (* at most 50 characters *)
 *          | ( "due" | "created" | "updated" ) , op , bound
 *          | text , { text } ;                      (* one full-text search *)
 * priority = "low" | "medium" | "high" ;
 * op       = "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "=" ;
 * bound    = word | string ;      (* a DueBound: today, 2026-12-24, 2026-12-24T09:00Z, -3d ... *)
 * text     = word | string ;      (* a word that is no keyword and has no "name:" prefix *)
 * word     = wordchar , { wordchar } ;
 * wordchar = ? any character except white space and ( ) &amp; | ! &lt; &gt; = " ? ;
 * string   = '"' , { ? any character except " and \ ? | '\"' | '\\' } , '"' ;
 * </pre>
 *
 * <p>{@code !} binds tightest, then {@code &}, then {@code |}. Two terms need an operator between
 * them, except words and strings, which run together into one search of title and description
 * ({@code buy milk}: both words; {@code "buy milk"}: the phrase). To search for a keyword, quote
 * it. Due comparisons follow {@link DueConditions}; created and updated compare instants, with a
 * DATE bound standing for that day in the user's zone. A negation treats an unknown value as false:
 * {@code !(due < 7d)} includes tasks without a due date.
 *
 * <p>The limits keep a query cheap to plan and run: at most {@value #MAX_LENGTH} characters,
 * parentheses nested at most {@value #MAX_DEPTH} deep, at most {@value #MAX_TERMS} terms.
 */
public final class FilterLanguage {

  public static final int MAX_LENGTH = 1000;
  public static final int MAX_DEPTH = 20;
  public static final int MAX_TERMS = 50;

  /**
   * Compiles {@code filter} for a user in {@code zone} at {@code now} into one SQL boolean
   * expression over the tasks table, safe to join to other conditions with {@code AND}. Every value
   * goes to {@code params}; on error nothing is added to them.
   *
   * @throws FilterSyntaxException if the filter is malformed or over a limit
   */
  public static String compile(String filter, ZoneId zone, Instant now, SqlParams params) {
    return compiled(filter, zone, now, params).sql();
  }

  /**
   * A compiled filter: its SQL condition, and whether it says which tasks to take by status (has a
   * {@code completed} or {@code open} term), where a caller's default status would contradict it.
   */
  public record Compiled(String sql, boolean namesStatus) {

    /**
     * The status search takes when none is asked for, and a saved filter's count with it: open
     * tasks, unless the filter names a status itself; then the filter decides alone ({@code all}).
     */
    public String defaultStatus() {
      return namesStatus ? "all" : "open";
    }
  }

  /**
   * As {@link #compile}, also telling whether the filter names a status.
   *
   * @throws FilterSyntaxException if the filter is malformed or over a limit
   */
  public static Compiled compiled(String filter, ZoneId zone, Instant now, SqlParams params) {
    if (filter.length() > MAX_LENGTH) {
      throw new FilterSyntaxException(
          "the filter is too long at position "
              + MAX_LENGTH
              + ": at most "
              + MAX_LENGTH
              + " characters are allowed, found "
              + filter.length(),
          MAX_LENGTH);
    }
    int before = params.size();
    try {
      FilterParser parser = new FilterParser(filter, zone, now, params);
      String sql = parser.parse();
      return new Compiled(sql, parser.namesStatus());
    } catch (RuntimeException e) {
      params.truncate(before);
      throw e;
    }
  }

  private FilterLanguage() {}
}
