package io.taskbus.api;

import io.taskbus.contracts.TimeZones;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.Trigger;

/**
 * Reads an iCalendar document's VTODOs (RFC 5545) into task create bodies, the same JSON a client
 * would POST to {@code /tasks}, so one set of field rules ({@link TaskChanges#create}) applies.
 * What has no place in a task is reported per component ({@code index}, {@code uid}, the property
 * and why); the caller then imports nothing.
 *
 * <p>A recurring VTODO (RRULE) and its overrides (same UID, RECURRENCE-ID) become one task of a
 * series in schedule mode, from its first open occurrence on: that override (or the recurring VTODO
 * itself when none is open) gives the task its due and state, later open overrides that moved
 * become moved occurrences, EXDATEs after it skipped ones. Closed overrides (COMPLETED or
 * CANCELLED) are the series' history in the other app and are listed, not imported.
 *
 * <p>Parsing is CPU work: call it off the event loop.
 */
final class CalendarImport {

  static {
    // CalendarExport's own initialiser puts ical4j's classes in the order they need (see there)
    try {
      Class.forName(CalendarExport.class.getName(), true, CalendarImport.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One transaction creates them all: keep it to a size a request can hold. */
  static final int MAX_TODOS = 500;

  /** Properties a task keeps, or bookkeeping of the other app that means nothing here. */
  private static final Set<String> KNOWN =
      Set.of(
          "UID",
          "DTSTAMP",
          "CREATED",
          "LAST-MODIFIED",
          "SEQUENCE",
          "CLASS",
          "PERCENT-COMPLETE",
          "COMPLETED",
          "STATUS",
          "PRIORITY",
          "SUMMARY",
          "DESCRIPTION",
          "DUE",
          "DTSTART",
          "DURATION",
          "RRULE",
          "EXDATE",
          "RECURRENCE-ID",
          "CATEGORIES");

  private static final Set<String> ALARM_KNOWN =
      Set.of("ACTION", "TRIGGER", "DESCRIPTION", "SUMMARY", "ATTENDEE", "UID", "ACKNOWLEDGED");

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd");
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

  /** A task to create: its create body, its completion time when done, the components it holds. */
  record Draft(JsonObject body, Instant completedAt, List<Integer> indexes, String uid) {}

  /** A closed occurrence of a series, not imported. */
  record History(int index, String uid, String status) {}

  record Result(List<Draft> drafts, List<History> history, Violations problems) {}

  private final ZoneId zone;
  private final Violations problems = new Violations();
  private final List<Draft> drafts = new ArrayList<>();
  private final List<History> history = new ArrayList<>();

  private CalendarImport(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * @param zone where floating times are, and the zone of tasks whose due names no IANA zone
   * @throws ApiException 400 when the text is not iCalendar at all
   */
  static Result read(String text, ZoneId zone) {
    Calendar calendar;
    try {
      calendar = new CalendarBuilder().build(new StringReader(text));
    } catch (ParserException | IOException | RuntimeException e) {
      throw ApiException.badRequest("The body is not an iCalendar document: " + e.getMessage());
    }
    CalendarImport reader = new CalendarImport(zone);
    reader.readAll(calendar);
    return new Result(reader.drafts, reader.history, reader.problems);
  }

  /** A component and where it is: its position among the calendar's non-VTIMEZONE components. */
  private record Entry(int index, Component component, String uid) {}

  private void readAll(Calendar calendar) {
    Map<String, List<Entry>> byUid = new LinkedHashMap<>();
    int index = 0;
    int todos = 0;
    for (Component component : calendar.getComponents()) {
      if (component.getName().equals(Component.VTIMEZONE)) {
        continue;
      }
      int at = index++;
      String uid = text(component, Property.UID).orElse(null);
      if (!component.getName().equals(Component.VTODO)) {
        report(at, uid, component.getName(), "is not a task: only VTODOs are imported");
        continue;
      }
      todos++;
      byUid
          .computeIfAbsent(uid == null ? "#" + at : uid, k -> new ArrayList<>())
          .add(new Entry(at, component, uid));
    }
    if (todos == 0 && problems.isEmpty()) {
      throw Violations.of("body", "holds no VTODO");
    }
    if (todos > MAX_TODOS) {
      throw Violations.of("body", "holds " + todos + " VTODOs; at most " + MAX_TODOS + " at once");
    }
    byUid.values().forEach(this::group);
  }

  /** The components of one UID: a task, or a series with its overrides. */
  private void group(List<Entry> entries) {
    List<Entry> masters = new ArrayList<>();
    List<Entry> overrides = new ArrayList<>();
    for (Entry e : entries) {
      (e.component().getProperty(Property.RECURRENCE_ID).isPresent() ? overrides : masters).add(e);
    }
    if (masters.size() > 1) {
      for (Entry extra : masters.subList(1, masters.size())) {
        report(extra, "UID", "is used by another VTODO of this document");
      }
      return;
    }
    if (masters.isEmpty()) {
      for (Entry orphan : overrides) {
        report(orphan, "RECURRENCE-ID", "overrides an occurrence of a VTODO the document lacks");
      }
      return;
    }
    Entry master = masters.get(0);
    if (overrides.isEmpty() || master.component().getProperty(Property.RRULE).isEmpty()) {
      for (Entry orphan : overrides) {
        report(orphan, "RECURRENCE-ID", "overrides an occurrence of a VTODO that does not recur");
      }
      if (overrides.isEmpty()) {
        single(master, master, List.of());
      }
      return;
    }
    series(master, overrides);
  }

  private void series(Entry master, List<Entry> overrides) {
    List<Entry> open = new ArrayList<>();
    for (Entry o : overrides) {
      String status = status(o.component());
      if (status.equals("COMPLETED") || status.equals("CANCELLED")) {
        history.add(new History(o.index(), o.uid(), status));
      } else {
        open.add(o);
      }
    }
    open.sort(
        Comparator.comparing(
            o -> instantOf(o, o.component().getProperty(Property.RECURRENCE_ID).orElseThrow())));
    Entry current = open.isEmpty() ? master : open.get(0);
    single(current, master, open.isEmpty() ? List.of() : open.subList(1, open.size()));
  }

  /**
   * One task from {@code entry}; {@code master} is the recurring VTODO it belongs to (itself when
   * alone) and {@code moved} the later open overrides of its series.
   */
  private void single(Entry entry, Entry master, List<Entry> moved) {
    Component todo = entry.component();
    int before = problemCount();
    checkProperties(entry);
    if (master != entry) {
      checkProperties(master);
    }
    moved.forEach(this::checkProperties);
    JsonObject body = new JsonObject();
    body.put("title", text(todo, Property.SUMMARY).orElse(text(master, Property.SUMMARY)));
    optional(todo, master, Property.DESCRIPTION)
        .ifPresent(d -> body.put("description", d.getValue()));
    optional(todo, master, Property.PRIORITY)
        .ifPresent(p -> body.put("priority", priority(entry, p.getValue())));
    JsonArray tags = new JsonArray();
    List<Property> categories = todo.getProperties(Property.CATEGORIES);
    for (Property c :
        categories.isEmpty() ? master.component().getProperties(Property.CATEGORIES) : categories) {
      for (String tag : c.getValue().split("(?<!\\\\),")) {
        tags.add(tag.replace("\\,", ","));
      }
    }
    if (!tags.isEmpty()) {
      body.put("tags", tags);
    }
    Temporal due = due(entry, master);
    if (due instanceof LocalDate date) {
      body.put("dueDate", date.toString());
    } else if (due instanceof ZonedDateTime at) {
      body.put("dueAt", at.toOffsetDateTime().toString()).put("timeZone", at.getZone().getId());
    }
    Optional<Property> rule = master.component().getProperty(Property.RRULE);
    if (rule.isPresent()) {
      if (master.component().getProperties(Property.RRULE).size() > 1) {
        report(master, "RRULE", "is given more than once; a task follows one rule");
      }
      if (due == null) {
        report(master, "RRULE", "needs a DUE or DTSTART for the series to start from");
      }
      JsonObject recurrence =
          new JsonObject().put("rule", rule.get().getValue()).put("mode", "schedule");
      JsonArray exceptions = exceptions(master, moved, due);
      if (!exceptions.isEmpty()) {
        recurrence.put("exceptions", exceptions);
      }
      body.put("recurrence", recurrence);
    }
    JsonArray reminders = reminders(entry, due);
    if (reminders.isEmpty() && entry != master) {
      reminders = reminders(master, due);
    }
    if (!reminders.isEmpty()) {
      body.put("reminders", reminders);
    }
    String status = status(todo);
    if (status.equals("CANCELLED")) {
      report(entry, "STATUS", "CANCELLED has no place in a task; delete it or mark it done");
    }
    Instant completedAt = null;
    if (status.equals("COMPLETED")) {
      if (rule.isPresent()) {
        report(
            entry,
            "STATUS",
            "COMPLETED on a whole recurring VTODO: taskbus would start its next occurrence;"
                + " import it open, or without its RRULE");
      }
      completedAt =
          todo.<DateProperty<?>>getProperty(Property.COMPLETED)
              .map(c -> instantOf(entry, c))
              .orElse(TaskService.now());
    }
    if (problemCount() == before) {
      List<Integer> indexes = new ArrayList<>(List.of(entry.index()));
      if (master != entry) {
        indexes.add(master.index());
      }
      moved.forEach(m -> indexes.add(m.index()));
      drafts.add(new Draft(body, completedAt, indexes, entry.uid()));
    }
  }

  /** COMPLETED also when only the completion time or 100 percent says so (some apps do that). */
  private static String status(Component todo) {
    String status = text(todo, Property.STATUS).orElse("NEEDS-ACTION").toUpperCase(Locale.ROOT);
    if (todo.getProperty(Property.COMPLETED).isPresent()
        || text(todo, Property.PERCENT_COMPLETE).map("100"::equals).orElse(false)) {
      return status.equals("CANCELLED") ? status : "COMPLETED";
    }
    return status;
  }

  private void checkProperties(Entry entry) {
    for (Property p : entry.component().getProperties()) {
      String name = p.getName().toUpperCase(Locale.ROOT);
      if (!KNOWN.contains(name) && !name.startsWith("X-")) {
        report(entry, name, "has no place in a taskbus task");
      }
    }
  }

  /** RFC 5545: 1-4 high, 5 medium, 6-9 low, 0 undefined. */
  private String priority(Entry entry, String value) {
    try {
      int p = Integer.parseInt(value.strip());
      if (p >= 0 && p <= 9) {
        return p == 0 || p == 5 ? "medium" : p < 5 ? "high" : "low";
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    report(entry, "PRIORITY", "must be 0 to 9");
    return null;
  }

  /**
   * DUE, else DTSTART + DURATION, else (for a recurring VTODO, whose set DTSTART anchors) DTSTART:
   * a LocalDate, a ZonedDateTime in the task's zone, or null.
   */
  private Temporal due(Entry entry, Entry master) {
    Optional<Property> due = entry.component().getProperty(Property.DUE);
    if (due.isPresent()) {
      return value(entry, due.get(), "DUE");
    }
    Optional<Property> start = entry.component().getProperty(Property.DTSTART);
    if (start.isEmpty()) {
      return null;
    }
    Temporal from = value(entry, start.get(), "DTSTART");
    Optional<Property> duration = entry.component().getProperty(Property.DURATION);
    if (duration.isPresent() && from != null) {
      return from.plus(amount(entry, duration.get().getValue(), "DURATION"));
    }
    return master.component().getProperty(Property.RRULE).isPresent() ? from : null;
  }

  /**
   * A DATE, or a DATE-TIME: with a TZID naming an IANA zone, that wall-clock time in the JDK's
   * rules for it; in UTC or with another TZID (a custom VTIMEZONE, a Windows name), its instant in
   * the import's zone; floating, that wall-clock time in the import's zone.
   */
  private Temporal value(Entry entry, Property property, String name) {
    String text = property.getValue().strip();
    try {
      if (isDate(property)) {
        return LocalDate.parse(text, DATE);
      }
      if (text.endsWith("Z")) {
        return LocalDateTime.parse(text.substring(0, text.length() - 1), LOCAL)
            .atZone(java.time.ZoneOffset.UTC)
            .withZoneSameInstant(zone);
      }
      LocalDateTime local = LocalDateTime.parse(text, LOCAL);
      Optional<Parameter> tzid = property.getParameter(Parameter.TZID);
      if (tzid.isEmpty()) {
        return local.atZone(zone);
      }
      String id = tzid.get().getValue();
      if (TimeZones.isRegion(id)) {
        return local.atZone(TimeZones.of(id));
      }
      if (property instanceof DateProperty<?> date
          && date.getDate() instanceof ZonedDateTime defined) {
        return defined.withZoneSameInstant(zone);
      }
      report(entry, name, "names the time zone " + id + ", which the document does not define");
    } catch (DateTimeException e) {
      report(entry, name, "is not a date or date-time: " + text);
    }
    return null;
  }

  private static boolean isDate(Property property) {
    return property
            .getParameter(Parameter.VALUE)
            .map(v -> v.getValue().equalsIgnoreCase("DATE"))
            .orElse(false)
        || property.getValue().strip().length() == 8;
  }

  private Instant instantOf(Entry entry, Property property) {
    Temporal t = value(entry, property, property.getName());
    if (t instanceof LocalDate date) {
      return date.atStartOfDay(zone).toInstant();
    }
    return t == null ? Instant.EPOCH : ((ZonedDateTime) t).toInstant();
  }

  /**
   * EXDATEs after the task's due as skipped occurrences, and later open overrides whose due differs
   * from their occurrence as moved ones; written as the API writes occurrences.
   */
  private JsonArray exceptions(Entry master, List<Entry> moved, Temporal due) {
    JsonArray exceptions = new JsonArray();
    if (due == null) {
      return exceptions;
    }
    for (Property exdate : master.component().getProperties(Property.EXDATE)) {
      for (String one : exdate.getValue().split(",")) {
        Temporal skipped = value(master, copyValue(exdate, one), "EXDATE");
        if (skipped != null && after(skipped, due)) {
          exceptions.add(new JsonObject().put("occurrence", occurrence(skipped)).put("skip", true));
        }
      }
    }
    for (Entry m : moved) {
      Temporal occurrence =
          value(
              m, m.component().getProperty(Property.RECURRENCE_ID).orElseThrow(), "RECURRENCE-ID");
      Temporal to = due(m, master);
      if (occurrence != null && to != null && !occurrence(occurrence).equals(occurrence(to))) {
        exceptions.add(
            new JsonObject().put("occurrence", occurrence(occurrence)).put("to", occurrence(to)));
      }
    }
    return exceptions;
  }

  private static boolean after(Temporal a, Temporal b) {
    if (a instanceof LocalDate x && b instanceof LocalDate y) {
      return x.isAfter(y);
    }
    if (a instanceof ZonedDateTime x && b instanceof ZonedDateTime y) {
      return x.toInstant().isAfter(y.toInstant());
    }
    return false;
  }

  private static String occurrence(Temporal t) {
    return t instanceof LocalDate date
        ? date.toString()
        : IsoText.offsetDateTime(((ZonedDateTime) t).toInstant(), ((ZonedDateTime) t).getZone());
  }

  /** One value of a multi-valued date property, with the property's parameters. */
  private static Property copyValue(Property property, String value) {
    return new net.fortuna.ical4j.model.property.XProperty(
        property.getName(),
        new net.fortuna.ical4j.model.ParameterList(property.getParameters()),
        value);
  }

  /**
   * VALARMs as reminders: an absolute TRIGGER at its instant; a relative one before the due
   * (RELATED END, or START when DTSTART is absent or the due's own time), or, related to a DTSTART
   * earlier than the due, by the same distance before the due. ACTION:NONE is no alarm (RFC 9074).
   */
  private JsonArray reminders(Entry entry, Temporal due) {
    JsonArray reminders = new JsonArray();
    for (VAlarm alarm :
        ((net.fortuna.ical4j.model.component.VToDo) entry.component()).getAlarms()) {
      if (text(alarm, Property.ACTION).map("NONE"::equalsIgnoreCase).orElse(false)) {
        continue;
      }
      for (Property p : alarm.getProperties()) {
        String name = p.getName().toUpperCase(Locale.ROOT);
        if (!ALARM_KNOWN.contains(name) && !name.startsWith("X-")) {
          report(entry, "VALARM", name + " has no place in a taskbus reminder");
        }
      }
      Optional<Trigger> found = alarm.getProperty(Property.TRIGGER);
      if (found.isEmpty()) {
        report(entry, "VALARM", "has no TRIGGER");
        continue;
      }
      Trigger trigger = found.get();
      boolean absolute =
          trigger
              .getParameter(Parameter.VALUE)
              .map(v -> v.getValue().equalsIgnoreCase("DATE-TIME"))
              .orElse(false);
      if (absolute) {
        Temporal at = value(entry, trigger, "VALARM");
        if (at instanceof ZonedDateTime z) {
          reminders.add(new JsonObject().put("at", z.toInstant().toString()));
        }
        continue;
      }
      Duration offset = duration(amount(entry, trigger.getValue(), "VALARM"));
      boolean relatedToEnd =
          trigger
              .getParameter(Parameter.RELATED)
              .map(r -> r.getValue().equalsIgnoreCase("END"))
              .orElse(false);
      if (!relatedToEnd) {
        offset = offset.minus(startToDue(entry, due));
      }
      if (offset.compareTo(Duration.ZERO) > 0) {
        report(
            entry,
            "VALARM",
            "fires after the due (" + trigger.getValue() + "); taskbus reminds before it or at it");
        continue;
      }
      reminders.add(new JsonObject().put("before", offset.negated().toString()));
    }
    return reminders;
  }

  /** How long before the due the VTODO starts (zero without a DTSTART). */
  private Duration startToDue(Entry entry, Temporal due) {
    Optional<Property> start = entry.component().getProperty(Property.DTSTART);
    if (start.isEmpty() || due == null) {
      return Duration.ZERO;
    }
    Temporal from = value(entry, start.get(), "DTSTART");
    if (from == null) {
      return Duration.ZERO;
    }
    return Duration.between(instant(from), instant(due));
  }

  private Instant instant(Temporal t) {
    return t instanceof LocalDate date
        ? date.atStartOfDay(zone).toInstant()
        : ((ZonedDateTime) t).toInstant();
  }

  private TemporalAmount amount(Entry entry, String text, String name) {
    try {
      return net.fortuna.ical4j.model.TemporalAmountAdapter.parse(text.strip()).getDuration();
    } catch (RuntimeException e) {
      report(entry, name, "is not a duration: " + text);
      return Duration.ZERO;
    }
  }

  /** Days and weeks as exact 24 hours: taskbus's reminders are exact durations. */
  private static Duration duration(TemporalAmount amount) {
    if (amount instanceof Duration d) {
      return d;
    }
    Period p = (Period) amount;
    return Duration.ofDays(p.toTotalMonths() * 30 + p.getDays());
  }

  private static Optional<String> text(Component component, String name) {
    return component.getProperty(name).map(p -> ((Property) p).getValue());
  }

  private static String text(Entry entry, String name) {
    return text(entry.component(), name).orElse(null);
  }

  private static Optional<Property> optional(Component todo, Entry master, String name) {
    Optional<Property> own = todo.getProperty(name);
    return own.isPresent() ? own : master.component().getProperty(name);
  }

  private int problemCount() {
    return problems.size();
  }

  private void report(Entry entry, String property, String reason) {
    report(entry.index(), entry.uid(), property, reason);
  }

  private void report(int index, String uid, String property, String reason) {
    problems.add(
        "items[" + index + "]." + property,
        reason,
        new JsonObject().put("index", index).put("uid", uid).put("property", property));
  }
}
