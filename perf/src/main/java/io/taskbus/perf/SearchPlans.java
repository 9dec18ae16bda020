package io.taskbus.perf;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of the searches exactly as the app builds it: loads the app's jar in its own class
 * loader and calls its {@code TaskQuery.parse} (package-private, by reflection), so the plans shown
 * are those of the statement the API sends, with its parameters. Three modes:
 *
 * <ul>
 *   <li>{@code --mode script}: a psql script that runs each search as the API does (role
 *       taskbus_user, taskbus.user set, a prepared statement with the same parameters), counts
 *       its matches, and prints {@code EXPLAIN (ANALYZE, BUFFERS)} of the fifth execution (a
 *       custom plan) and of the sixth (from then on PostgreSQL may switch to a generic plan, which
 *       a pooled connection then keeps using);
 *   <li>{@code --mode summary --input FILE}: one paragraph per search from psql's output: the
 *       indexes used, sequential scans, sorts, rows filtered out, execution time;
 *   <li>{@code --mode sql --search NAME}: that search's SQL text and parameters (run-search.sh
 *       checks perf/pgbench/search-tasks.sql against the default page's).
 * </ul>
 */
public final class SearchPlans {

  static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("mode", "script");
    DEFAULTS.put("app-jar", "");
    DEFAULTS.put("user", "perf-heavy");
    DEFAULTS.put("tag", "work");
    DEFAULTS.put("rare-tag", "bills");
    DEFAULTS.put("words", "budget,passport,ref4242");
    DEFAULTS.put("filter", Searches.DEFAULT_FILTER);
    DEFAULTS.put("search", "default");
    DEFAULTS.put("input", "");
    DEFAULTS.put("title", "");
  }

  private SearchPlans() {}

  public static void main(String[] args) throws Exception {
    Options o = new Options(args, DEFAULTS);
    switch (o.string("mode")) {
      case "script" -> System.out.print(script(o));
      case "sql" -> {
        Built b = build(o, Searches.named(Searches.of(o), o.string("search")).variants().get(0));
        System.out.println(b.sql);
        System.out.println(literals(b.params));
      }
      case "summary" -> System.out.print(summary(Files.readString(Path.of(o.string("input"))),
          o.string("title")));
      default -> throw new IllegalArgumentException("--mode script, summary or sql");
    }
  }

  /** A statement and its parameters, as TaskQuery made them. */
  record Built(String sql, List<Object> params) {}

  static Built build(Options o, Searches.Variant v) throws Exception {
    if (o.string("app-jar").isEmpty()) {
      throw new IllegalArgumentException("--app-jar is needed (the taskbus.jar whose SQL to use)");
    }
    URLClassLoader loader = loader(o.string("app-jar"));
    Class<?> multiMap = loader.loadClass("io.vertx.core.MultiMap");
    Object query = multiMap.getMethod("caseInsensitiveMultiMap").invoke(null);
    Method add = multiMap.getMethod("add", String.class, String.class);
    for (String[] p : v.params()) {
      add.invoke(query, p[0], p[1]);
    }
    Class<?> taskQuery = loader.loadClass("io.taskbus.api.TaskQuery");
    Method parse = taskQuery.getDeclaredMethod("parse", String.class, multiMap, Instant.class);
    parse.setAccessible(true);
    Object built = parse.invoke(null, o.string("user"), query, Instant.now());
    Field sql = taskQuery.getDeclaredField("sql");
    Field params = taskQuery.getDeclaredField("params");
    sql.setAccessible(true);
    params.setAccessible(true);
    @SuppressWarnings("unchecked")
    List<Object> values = new ArrayList<>((List<Object>) params.get(built));
    return new Built((String) sql.get(built), values);
  }

  private static URLClassLoader cached;

  private static URLClassLoader loader(String jar) throws IOException {
    if (cached == null) {
      cached = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
    }
    return cached;
  }

  static String script(Options o) throws Exception {
    StringBuilder s = new StringBuilder();
    s.append("\\set ON_ERROR_STOP 1\n\\pset pager off\nSET client_min_messages = warning;\n");
    int n = 0;
    for (Searches.Search search : Searches.of(o)) {
      for (Searches.Variant v : search.all()) {
        n++;
        Built b = build(o, v);
        String args = literals(b.params);
        // the WHERE part, for the count; its parameters are all but the last (the LIMIT)
        int where = b.sql.indexOf(" FROM tasks WHERE ");
        int order = b.sql.lastIndexOf(" ORDER BY ");
        String count = "SELECT count(*) AS matching FROM tasks WHERE "
            + b.sql.substring(where + " FROM tasks WHERE ".length(), order);
        String countArgs = literals(b.params.subList(0, b.params.size() - 1));
        s.append("\\echo '### ").append(search.name()).append(" | ").append(quote(v.label(), false))
            .append(" | GET /api/v1/tasks?").append(quote(v.readable(), false)).append("'\n");
        s.append("\\echo '## SQL: ").append(quote(b.sql, false)).append("'\n");
        s.append("\\echo '## parameters: ").append(quote(args, false)).append("'\n");
        s.append("BEGIN;\n");
        s.append("SELECT set_config('role', 'taskbus_user', true), set_config('taskbus.user', ")
            .append(quote(o.string("user"), true)).append(", true) \\g /dev/null\n");
        s.append("PREPARE search_").append(n).append(" AS ").append(b.sql).append(";\n");
        s.append(countArgs.isEmpty() ? "" : "PREPARE count_" + n + " AS " + count + ";\n");
        s.append("\\echo '## matches (live, of this user)'\n");
        s.append(countArgs.isEmpty() ? count + ";\n"
            : "EXECUTE count_" + n + "(" + countArgs + ");\n");
        for (int i = 0; i < 4; i++) {
          s.append("EXECUTE search_").append(n).append('(').append(args).append(") \\g /dev/null\n");
        }
        s.append("\\echo '## plan: fifth execution (custom plan)'\n");
        s.append("EXPLAIN (ANALYZE, BUFFERS) EXECUTE search_").append(n).append('(').append(args)
            .append(");\n");
        s.append("\\echo '## plan: sixth execution (what a warm pooled connection runs)'\n");
        s.append("EXPLAIN (ANALYZE, BUFFERS) EXECUTE search_").append(n).append('(').append(args)
            .append(");\n");
        s.append("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'search_")
            .append(n).append("';\n");
        s.append("COMMIT;\nDEALLOCATE ALL;\n");
      }
    }
    return s.toString();
  }

  private static String literals(List<Object> params) {
    List<String> out = new ArrayList<>();
    for (Object p : params) {
      if (p instanceof Integer || p instanceof Long || p instanceof Boolean) {
        out.add(p.toString());
      } else if (p instanceof String[] array) {
        StringBuilder a = new StringBuilder("{");
        for (String e : array) {
          a.append(a.length() > 1 ? "," : "").append('"')
              .append(e.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        out.add(quote(a.append('}').toString(), true));
      } else if (p instanceof String || p instanceof OffsetDateTime || p instanceof LocalDate
          || p instanceof UUID) {
        out.add(quote(p.toString(), true));
      } else {
        throw new IllegalArgumentException("no literal for " + p.getClass());
      }
    }
    return String.join(", ", out);
  }

  private static String quote(String s, boolean wrap) {
    String q = s.replace("'", "''");
    return wrap ? "'" + q + "'" : q;
  }

  // ---- summary of psql's output

  private static final Pattern INDEX = Pattern.compile(
      "(Index Only Scan(?: Backward)? using|Index Scan(?: Backward)? using|Bitmap Index Scan on) (\\S+)");
  private static final Pattern SEQ = Pattern.compile("Seq Scan on (\\S+)");
  private static final Pattern REMOVED = Pattern.compile("Rows Removed by Filter: (\\d+)");
  private static final Pattern EXEC = Pattern.compile("Execution Time: ([0-9.]+) ms");
  private static final Pattern SORT = Pattern.compile("Sort Method: (\\S+(?: \\S+)?)");
  private static final Pattern PLANS = Pattern.compile("^\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*$",
      Pattern.MULTILINE);
  private static final Pattern MATCHING = Pattern.compile("matching\\s*\\n-+\\n\\s*(\\d+)");

  static String summary(String psql, String title) {
    StringBuilder out = new StringBuilder();
    if (!title.isEmpty()) {
      out.append(title).append('\n');
    }
    String[] blocks = psql.split("(?m)^### ");
    for (int i = 1; i < blocks.length; i++) {
      String block = blocks[i];
      String head = block.substring(0, block.indexOf('\n'));
      String[] h = head.split(" \\| ", 3);
      Matcher m = MATCHING.matcher(block);
      String matching = m.find() ? m.group(1) : "?";
      int custom = block.indexOf("## plan: fifth");
      int warm = block.indexOf("## plan: sixth");
      if (custom < 0 || warm < 0) {
        out.append(String.format(Locale.ROOT, "   %-7s %s: no plan (see the full output)%n", h[0],
            h.length > 2 ? h[2] : head));
        continue;
      }
      String customPlan = block.substring(custom, warm);
      String warmPlan = block.substring(warm);
      Matcher pm = PLANS.matcher(warmPlan);
      String kind = "?";
      if (pm.find()) {
        kind = Integer.parseInt(pm.group(1)) > 0 ? "generic" : "custom";
      }
      out.append(String.format(Locale.ROOT, "   %-7s %s  (%s live matches of user)%n", h[0],
          h.length > 2 ? h[2] : head, matching));
      out.append("           5th execution, custom plan: ").append(describe(customPlan)).append('\n');
      out.append("           6th execution, ").append(kind).append(" plan:  ")
          .append(describe(warmPlan)).append('\n');
    }
    return out.toString();
  }

  /** "Index Scan Backward using x (filter removed n rows); no sort; 1.23 ms" */
  static String describe(String plan) {
    Set<String> used = new LinkedHashSet<>();
    Matcher m = INDEX.matcher(plan);
    while (m.find()) {
      used.add(m.group(1) + " " + m.group(2));
    }
    Matcher s = SEQ.matcher(plan);
    while (s.find()) {
      used.add("Seq Scan on " + s.group(1));
    }
    long removed = 0;
    Matcher r = REMOVED.matcher(plan);
    while (r.find()) {
      removed += Long.parseLong(r.group(1));
    }
    Matcher sort = SORT.matcher(plan);
    String sorts = sort.find() ? "sort (" + sort.group(1) + ")" : "no sort";
    Matcher e = EXEC.matcher(plan);
    String ms = e.find() ? e.group(1) + " ms" : "? ms";
    boolean bitmapAnd = plan.contains("BitmapAnd");
    return (used.isEmpty() ? "no scan found" : String.join(" + ", used))
        + (bitmapAnd ? " (BitmapAnd)" : "")
        + String.format(Locale.ROOT, "; rows removed by filters %d; %s; %s", removed, sorts, ms)
        + (plan.contains("JIT:") ? "; JIT compiled" : "");
  }
}
