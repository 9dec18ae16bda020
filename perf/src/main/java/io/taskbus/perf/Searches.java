package io.taskbus.perf;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The searches of the search scenario, as query parameters of {@code GET /api/v1/tasks}: the same
 * definitions drive the HTTP load (their URIs) and the query plans (the SQL the app's own
 * TaskQuery builds from them, see {@link SearchPlans}).
 */
final class Searches {

  /** One request: a label for the report and its query parameters, in order. */
  record Variant(String label, List<String[]> params) {
    String uri() {
      StringBuilder uri = new StringBuilder("/api/v1/tasks");
      char sep = '?';
      for (String[] p : params) {
        uri.append(sep).append(encode(p[0])).append('=').append(encode(p[1]));
        sep = '&';
      }
      return uri.toString();
    }

    /** The query string as a person writes it, unencoded. */
    String readable() {
      StringBuilder q = new StringBuilder();
      for (String[] p : params) {
        q.append(q.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
      }
      return q.length() == 0 ? "(no parameters)" : q.toString();
    }
  }

  /**
   * A search of the scenario; its variants take turns in its load phase (the full-text search
   * cycles through words of different selectivity). {@code planOnly} variants are shown in the
   * query plans but not sent.
   */
  record Search(String name, String title, List<Variant> variants, List<Variant> planOnly) {
    List<Variant> all() {
      List<Variant> all = new ArrayList<>(variants);
      all.addAll(planOnly);
      return all;
    }
  }

  static final String DEFAULT_FILTER = "priority:high & (tag:work | tag:home) & due < 7d & !completed";

  /** tag, q, filter and default, from the options tag, rare-tag, words and filter. */
  static List<Search> of(Options o) {
    List<Search> all = new ArrayList<>();
    all.add(new Search("tag", "tag + status + sort by due",
        List.of(variant(o.string("tag"), "tag", o.string("tag"), "status", "open", "sort", "due")),
        o.string("rare-tag").isEmpty() ? List.of()
            : List.of(variant(o.string("rare-tag") + " (rare tag, plan only)", "tag",
                o.string("rare-tag"), "status", "open", "sort", "due"))));
    List<Variant> words = new ArrayList<>();
    for (String word : o.string("words").split(",")) {
      if (!word.isBlank()) {
        words.add(variant(word.strip(), "q", word.strip()));
      }
    }
    all.add(new Search("q", "full-text q", words, List.of()));
    all.add(new Search("filter", "the filter language",
        List.of(variant("filter", "filter", o.string("filter"))), List.of()));
    all.add(new Search("default", "GET /tasks, the default first page (limit 50)",
        List.of(variant("default")), List.of()));
    return all;
  }

  static Search named(List<Search> all, String name) {
    for (Search s : all) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no search named '" + name + "' (tag, q, filter, default)");
  }

  private static Variant variant(String label, String... pairs) {
    List<String[]> params = new ArrayList<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      params.add(new String[] {pairs[i], pairs[i + 1]});
    }
    return new Variant(label, params);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Searches() {}
}
