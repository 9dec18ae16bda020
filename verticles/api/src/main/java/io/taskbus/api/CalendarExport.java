package io.taskbus.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.DateList;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.model.TextList;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VToDo;
import net.fortuna.ical4j.model.parameter.Related;
import net.fortuna.ical4j.model.parameter.TzId;
import net.fortuna.ical4j.model.parameter.Value;
import net.fortuna.ical4j.model.property.Categories;
import net.fortuna.ical4j.model.property.Completed;
import net.fortuna.ical4j.model.property.Created;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.Due;
import net.fortuna.ical4j.model.property.ExDate;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Priority;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.RDate;
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.model.property.RecurrenceId;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Trigger;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableAction;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * The caller's tasks as an iCalendar (RFC 5545) document of VTODOs; the one place ical4j is used.
 *
 * <p>A task that does not recur is one VTODO with its DUE. A series in schedule mode is one
 * recurring VTODO (UID = the series id) whose DTSTART is its first occurrence and whose RRULE (or,
 * for a rule no plain RFC 5545 rule matches, RDATE list) the rules engine gives ({@link
 * SeriesRules#calendar}); skipped occurrences are EXDATEs. Every occurrence that exists as a task,
 * and every moved one, is an override of it (same UID, RECURRENCE-ID = which occurrence) with its
 * own DUE and state. The recurring VTODO has no DUE: RFC 5545 wants a DUE later than DTSTART, and
 * each occurrence is due at the moment the rule gives it, so its start stands for its due (and its
 * reminders are related to the start). A series in completion mode has no fixed dates, so its
 * occurrences are exported as plain VTODOs. Timed values carry TZID with a VTIMEZONE; all-day ones
 * are DATE values. Reminders are VALARMs.
 *
 * <p>Rendering is CPU and classpath I/O (ical4j reads its zone definitions): {@link #export} runs
 * it off the event loop.
 */
final class CalendarExport {

  static {
    // ical4j 4.0.8 has a class-initialisation cycle: if TemporalComparator initialises before
    // TemporalAdapter, TemporalAdapter keeps a null comparator for the life of the JVM and every
    // zoned value fails. Initialising TemporalAdapter first resolves the cycle the right way round.
    try {
      Class.forName(
          "net.fortuna.ical4j.model.TemporalAdapter", true, CalendarExport.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A calendar client fetches the whole document each time: keep it to a sane size. */
  static final int MAX_TASKS = 10_000;

  private static final String PRODID = "-//taskbus//taskbus tasks//EN";

  private final TimeZoneRegistry zones = TimeZoneRegistryFactory.getInstance().createRegistry();
  private final TreeSet<String> usedZones = new TreeSet<>();

  private final Map<UUID, JsonObject> forms;

  private CalendarExport(Map<UUID, JsonObject> forms) {
    this.forms = forms;
  }

  /**
   * The document for these tasks (live ones, any order): asks the rules engine how to write each
   * series, then renders on a worker thread.
   */
  static Future<String> export(Vertx vertx, SeriesRules rules, List<Task> tasks) {
    List<Task> heads =
        new ArrayList<>(bySeries(tasks).values().stream().map(CalendarExport::latest).toList());
    List<Future<JsonObject>> asked =
        heads.stream()
            .map(
                head ->
                    rules
                        .calendar(head)
                        // a stored rule the engine refuses: its tasks are written alone, and the
                        // rest of the document still goes out
                        .recover(
                            e ->
                                e instanceof ApiException
                                    ? Future.succeededFuture(null)
                                    : Future.failedFuture(e)))
            .toList();
    return Future.all(asked)
        .compose(
            answered -> {
              Map<UUID, JsonObject> forms = new HashMap<>();
              for (int i = 0; i < heads.size(); i++) {
                forms.put(heads.get(i).series().id(), answered.resultAt(i));
              }
              return vertx.executeBlocking(() -> render(tasks, forms), false);
            });
  }

  /**
   * The document, with {@code forms} (by series id) as {@link SeriesRules#calendar} answers them;
   * the occurrences of a series without one are written as tasks of their own.
   */
  static String render(List<Task> tasks, Map<UUID, JsonObject> forms) {
    return new CalendarExport(forms).calendar(tasks);
  }

  /** The occurrences of series in schedule mode, by series; the rest are single VTODOs. */
  private static Map<UUID, List<Task>> bySeries(List<Task> tasks) {
    Map<UUID, List<Task>> series = new LinkedHashMap<>();
    for (Task task : tasks) {
      if (scheduled(task)) {
        series.computeIfAbsent(task.series().id(), id -> new ArrayList<>()).add(task);
      }
    }
    return series;
  }

  private static boolean scheduled(Task task) {
    return task.series() != null && "schedule".equals(task.series().recurrence().getString("mode"));
  }

  /** The latest occurrence carries the series as it is now (a rule changed "from now on" too). */
  private static Task latest(List<Task> occurrences) {
    return occurrences.stream().max((a, b) -> a.createdAt().compareTo(b.createdAt())).orElseThrow();
  }

  private String calendar(List<Task> tasks) {
    Calendar calendar = new Calendar();
    calendar.add(new ProdId(PRODID));
    calendar.add(ImmutableVersion.VERSION_2_0);
    calendar.add(ImmutableCalScale.GREGORIAN);
    List<VToDo> todos = new ArrayList<>();
    for (Task task : tasks) {
      if (!scheduled(task) || forms.get(task.series().id()) == null) {
        todos.add(single(task));
      }
    }
    bySeries(tasks)
        .forEach(
            (id, occurrences) -> {
              if (forms.get(id) != null) {
                todos.addAll(series(id, occurrences));
              }
            });
    for (String zone : usedZones) {
      calendar.add(zones.getTimeZone(zone).getVTimeZone());
    }
    todos.forEach(calendar::add);
    // ical4j's own writer folds at 75 characters, not octets: fold the unfolded text ourselves
    return ContentLines.fold(calendar.toString());
  }

  private VToDo single(Task task) {
    VToDo todo = todo(task.id().toString(), task);
    due(todo, task);
    state(todo, task);
    return todo;
  }

  /** The recurring VTODO of a series, then an override per occurrence that exists or moved. */
  private List<VToDo> series(UUID id, List<Task> occurrences) {
    Task latest = latest(occurrences);
    Task.Series series = latest.series();
    JsonObject form = forms.get(id);
    String uid = id.toString();
    VToDo master = todo(uid, latest);
    ParameterList zone = tz(latest);
    Temporal first = local(form.getString("start"));
    master.add(new DtStart<>(zone, first));
    List<Temporal> dates = new ArrayList<>();
    if (form.containsKey("rule")) {
      master.add(new RRule<>(new Recur<>(form.getString("rule"))));
    } else {
      // DTSTART among them: ical.js takes DTSTART as an occurrence only beside an RRULE
      form.getJsonArray("dates").forEach(d -> dates.add(local((String) d)));
    }
    Temporal start = local(series.start());
    if (!start.equals(first)) {
      // the series' first task was due before the rule's first occurrence: it belongs to the set
      dates.add(0, start);
    }
    if (!dates.isEmpty()) {
      master.add(new RDate<>(zone, new DateList<>(dates)));
    }
    List<VToDo> out = new ArrayList<>();
    out.add(master);
    JsonArray exceptions = series.recurrence().getJsonArray("exceptions", new JsonArray());
    for (Object item : exceptions) {
      JsonObject e = (JsonObject) item;
      Temporal occurrence = zoned(e.getString("occurrence"), latest.timeZone());
      if (e.containsKey("to")) {
        VToDo moved = todo(uid, latest);
        moved.add(new RecurrenceId<>(tz(occurrence), wall(occurrence)));
        Temporal to = zoned(e.getString("to"), latest.timeZone());
        moved.add(new Due<>(tz(to), wall(to)));
        moved.add(ImmutableStatus.VTODO_NEEDS_ACTION);
        alarms(moved, latest, Related.END);
        out.add(moved);
      } else {
        master.add(new ExDate<>(tz(occurrence), new DateList<>(wall(occurrence))));
      }
    }
    master.add(ImmutableStatus.VTODO_NEEDS_ACTION);
    alarms(master, latest, Related.START);
    for (Task task : occurrences) {
      if (task.series().occurrence() == null) {
        continue;
      }
      VToDo override = todo(uid, task);
      Temporal occurrence = zoned(task.series().occurrence(), task.timeZone());
      override.add(new RecurrenceId<>(tz(occurrence), wall(occurrence)));
      due(override, task);
      state(override, task);
      out.add(override);
    }
    return out;
  }

  private static VToDo todo(String uid, Task task) {
    VToDo todo = new VToDo(false);
    todo.add(new Uid(uid + "@taskbus"));
    todo.add(new DtStamp(task.updatedAt()));
    todo.add(new Created(task.createdAt()));
    todo.add(new LastModified(task.updatedAt()));
    todo.add(new Summary(task.title()));
    if (task.description() != null) {
      todo.add(new Description(task.description()));
    }
    // RFC 5545: 1-4 high, 5 medium, 6-9 low
    todo.add(
        new Priority(
            switch (task.priority()) {
              case "high" -> 1;
              case "low" -> 9;
              default -> 5;
            }));
    if (!task.tags().isEmpty()) {
      todo.add(new Categories(new TextList(task.tags())));
    }
    return todo;
  }

  private void due(VToDo todo, Task task) {
    if (task.dueDate() != null) {
      todo.add(new Due<>(task.dueDate()));
    } else if (task.dueAt() != null) {
      Temporal due =
          task.timeZone() == null ? task.dueAt() : task.dueAt().atZone(zone(task.timeZone()));
      todo.add(new Due<>(tz(due), wall(due)));
    }
  }

  /** Status, completion and (for an open task) its reminders. */
  private static void state(VToDo todo, Task task) {
    if (task.skipped()) {
      todo.add(ImmutableStatus.VTODO_CANCELLED);
    } else if (task.completed()) {
      todo.add(ImmutableStatus.VTODO_COMPLETED);
      todo.add(new Completed(task.completedAt()));
    } else {
      todo.add(ImmutableStatus.VTODO_NEEDS_ACTION);
      alarms(todo, task, Related.END);
    }
  }

  /**
   * A VALARM per reminder; one before the due is related to {@code related}, the property that
   * holds the due (END: DUE; START: the DTSTART of a recurring VTODO).
   */
  private static void alarms(VToDo todo, Task task, Related related) {
    for (Object item : task.reminders()) {
      JsonObject reminder = (JsonObject) item;
      Property trigger;
      if (reminder.containsKey("at")) {
        trigger = new Trigger(OffsetDateTime.parse(reminder.getString("at")).toInstant());
      } else {
        trigger =
            new XProperty(
                Property.TRIGGER,
                new ParameterList(List.of(related)),
                before(Duration.parse(reminder.getString("before"))));
      }
      VAlarm alarm = new VAlarm();
      alarm.add(trigger);
      alarm.add(ImmutableAction.DISPLAY);
      alarm.add(new Description(task.title()));
      todo.add(alarm);
    }
  }

  /**
   * The lead of a reminder as taskbus fires it: an exact duration before the due ({@code P1D} is
   * stored and fired as 24 hours, which across a DST change is not the same wall-clock time the day
   * before). RFC 5545 reads a duration in days or weeks as nominal, so hours, minutes and seconds
   * are written; ical4j's Trigger would turn 24 hours into {@code -P1D}, hence a plain property.
   */
  static String before(Duration lead) {
    Duration exact = lead.truncatedTo(ChronoUnit.SECONDS);
    return exact.isZero() ? "PT0S" : "-" + exact;
  }

  /**
   * A zoned time is written as its wall-clock time (from the JDK's zone rules) with a TZID naming
   * its zone. Given a ZonedDateTime, ical4j converts it through its own VTIMEZONE rules, which put
   * times an hour off in the week before some DST changes (America/New_York, March 2027-2029)
   * although the VTIMEZONE it writes is right; then EXDATEs and RECURRENCE-IDs matched nothing.
   */
  private static Temporal wall(Temporal value) {
    return value instanceof ZonedDateTime z ? z.toLocalDateTime() : value;
  }

  /**
   * The TZID of a zoned time, VALUE=DATE for a date (which EXDATE and RDATE need spelled out); none
   * for an instant (UTC) or a floating time.
   */
  private static ParameterList tz(Temporal value) {
    if (value instanceof LocalDate) {
      return new ParameterList(List.of(Value.DATE));
    }
    return value instanceof ZonedDateTime z
        ? new ParameterList(List.of(new TzId(z.getZone().getId())))
        : new ParameterList();
  }

  /**
   * A local date, or a local date-time in the series' zone as the rule gives it: a time that the
   * clocks skip that day is written as it is, and the reader moves it as RFC 5545 says (3.3.5).
   */
  private static Temporal local(String text) {
    return text.length() == 10 ? LocalDate.parse(text) : LocalDateTime.parse(text);
  }

  /** The TZID of a series' local date-times; VALUE=DATE for an all-day series. */
  private ParameterList tz(Task task) {
    if (task.dueDate() != null || task.timeZone() == null) {
      return new ParameterList(List.of(Value.DATE));
    }
    zone(task.timeZone());
    return new ParameterList(List.of(new TzId(task.timeZone())));
  }

  /** An occurrence as the API writes it: a date, or a date-time with offset shown in the zone. */
  private Temporal zoned(String occurrence, String zone) {
    if (occurrence.length() == 10) {
      return LocalDate.parse(occurrence);
    }
    Instant instant = OffsetDateTime.parse(occurrence).toInstant();
    return zone == null ? instant : instant.atZone(zone(zone));
  }

  private ZoneId zone(String id) {
    usedZones.add(id);
    return ZoneId.of(id);
  }
}
