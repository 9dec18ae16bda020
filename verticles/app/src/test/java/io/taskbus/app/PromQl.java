package io.taskbus.app;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric and label names a PromQL expression (an alert's or a dashboard panel's) refers to,
 * read without a PromQL parser in five steps:
 *
 * <ol>
 *   <li>string literals are emptied (a label value such as {@code "heap"} is no name), and so are
 *       Grafana variables ({@code $namespace}, {@code ${datasource}});
 *   <li>range and subquery brackets ({@code [5m]}, {@code [1h:1m]}) are dropped;
 *   <li>grouping clauses ({@code by}, {@code without}, {@code on}, {@code ignoring}, {@code
 *       group_left}, {@code group_right} with their parenthesised lists) are taken out, their
 *       labels noted as grouping labels;
 *   <li>selectors' braces are taken out, the label names of their matchers noted for the name
 *       before them;
 *   <li>every identifier left is a metric name unless it is followed by {@code (} (a function or an
 *       aggregation) or is one of PromQL's keywords.
 * </ol>
 *
 * <p>So every name is a metric unless PromQL's grammar says otherwise: a misspelled metric is
 * reported, never mistaken for a function. Names are kept as written: a histogram's {@code
 * _bucket}, {@code _count} and {@code _sum} and a timer's {@code _max} are series names of their
 * own in the exposition and are looked up as such, so a reference to a summary's quantiles where
 * the exposition has histogram buckets is caught too.
 */
final class PromQl {

  /** Keywords that look like identifiers (grouping keywords are taken out with their lists). */
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "offset", "bool", "atan2", "inf", "nan", "start", "end");

  private static final Pattern STRING =
      Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
  private static final Pattern GROUPING =
      Pattern.compile(
          "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][\\w:]*)?\\s*\\{([^}]*)}");
  private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_]\\w*)\\s*(?:=~|!~|!=|=)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w:.])([a-zA-Z_:][\\w:]*)(\\s*\\()?");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_]\\w*");

  /** What one expression refers to. */
  record References(
      Set<String> metrics, Map<String, Set<String>> selectorLabels, Set<String> groupingLabels) {}

  static References of(String expression) {
    String rest = STRING.matcher(expression).replaceAll("\"\"");
    rest = GRAFANA_VARIABLE.matcher(rest).replaceAll("");
    rest = RANGE.matcher(rest).replaceAll(" ");

    Set<String> grouping = new TreeSet<>();
    Matcher g = GROUPING.matcher(rest);
    while (g.find()) {
      Matcher label = LABEL.matcher(g.group(1));
      while (label.find()) {
        grouping.add(label.group());
      }
    }
    rest = g.replaceAll(" ");

    Map<String, Set<String>> selectorLabels = new HashMap<>();
    Matcher s = SELECTOR.matcher(rest);
    while (s.find()) {
      Set<String> labels = new TreeSet<>();
      Matcher m = MATCHER.matcher(s.group(2));
      while (m.find()) {
        labels.add(m.group(1));
      }
      String name = s.group(1) == null ? "" : s.group(1);
      selectorLabels.computeIfAbsent(name, k -> new TreeSet<>()).addAll(labels);
    }
    rest = s.replaceAll(" $1 ");

    Set<String> metrics = new TreeSet<>();
    Matcher i = IDENTIFIER.matcher(rest);
    while (i.find()) {
      boolean call = i.group(2) != null;
      if (!call && !KEYWORDS.contains(i.group(1).toLowerCase(java.util.Locale.ROOT))) {
        metrics.add(i.group(1));
      }
    }
    selectorLabels.keySet().retainAll(metrics);
    return new References(metrics, selectorLabels, grouping);
  }

  private PromQl() {}
}
