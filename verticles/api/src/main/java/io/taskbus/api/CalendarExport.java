package io.taskbus.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.DateList;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.model.TextList;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VToDo;
import net.fortuna.ical4j.model.parameter.Related;
import net.fortuna.ical4j.model.parameter.TzId;
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
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.model.property.RecurrenceId;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Trigger;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableAction;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * The caller's tasks as an iCalendar (RFC 5545) document of VTODOs; the one place ical4j is used.
 *
 * <p>A task that does not recur is one VTODO. A series in schedule mode is one recurring VTODO (UID
 * = the series id) whose DTSTART is the series start and RRULE its rule, skipped occurrences as
 * EXDATE; every occurrence that exists as a task, and every moved one, is an override of it (same
 * UID, RECURRENCE-ID = which occurrence) with its own due and state. A series in completion mode
 * has no fixed dates, so its occurrences are exported as plain VTODOs. Timed dues carry TZID with a
 * VTIMEZONE; all-day ones are DATE values. Reminders are VALARMs, relative ones related to the due
 * (RELATED=END: a VTODO's end is its due).
 *
 * <p>Rendering is CPU and classpath I/O (ical4j reads its zone definitions): call it off the event
 * loop.
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

  /** The document for these tasks (live ones, any order). */
  static String render(List<Task> tasks) {
    return new CalendarExport().calendar(tasks);
  }

  private String calendar(List<Task> tasks) {
    Calendar calendar = new Calendar();
    calendar.add(new ProdId(PRODID));
    calendar.add(ImmutableVersion.VERSION_2_0);
    calendar.add(ImmutableCalScale.GREGORIAN);
    Map<UUID, List<Task>> series = new LinkedHashMap<>();
    List<VToDo> todos = new ArrayList<>();
    for (Task task : tasks) {
      if (task.series() != null
          && "schedule".equals(task.series().recurrence().getString("mode"))) {
        series.computeIfAbsent(task.series().id(), id -> new ArrayList<>()).add(task);
      } else {
        todos.add(single(task));
      }
    }
    series.forEach((id, occurrences) -> todos.addAll(series(id, occurrences)));
    for (String zone : usedZones) {
      calendar.add(zones.getTimeZone(zone).getVTimeZone());
    }
    todos.forEach(calendar::add);
    StringWriter out = new StringWriter();
    try {
      new CalendarOutputter(false).output(calendar, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private VToDo single(Task task) {
    VToDo todo = todo(task.id().toString(), task);
    due(todo, task);
    state(todo, task);
    return todo;
  }

  /** The recurring VTODO of a series, then an override per occurrence that exists or moved. */
  private List<VToDo> series(UUID id, List<Task> occurrences) {
    // the latest occurrence carries the series as it is now (a rule changed "from now on" too)
    Task latest =
        occurrences.stream().max((a, b) -> a.createdAt().compareTo(b.createdAt())).orElseThrow();
    Task.Series series = latest.series();
    String uid = id.toString();
    VToDo master = todo(uid, latest);
    Temporal start = local(series.start(), latest.timeZone());
    master.add(new DtStart<>(tz(start), wall(start)));
    master.add(new Due<>(tz(start), wall(start)));
    master.add(new RRule<>(new Recur<>(series.recurrence().getString("rule"))));
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
        out.add(moved);
      } else {
        master.add(new ExDate<>(tz(occurrence), new DateList<>(wall(occurrence))));
      }
    }
    master.add(ImmutableStatus.VTODO_NEEDS_ACTION);
    alarms(master, latest);
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
      alarms(todo, task);
    }
  }

  private static void alarms(VToDo todo, Task task) {
    for (Object item : task.reminders()) {
      JsonObject reminder = (JsonObject) item;
      Trigger trigger;
      if (reminder.containsKey("at")) {
        trigger = new Trigger(OffsetDateTime.parse(reminder.getString("at")).toInstant());
      } else {
        trigger = new Trigger(Duration.parse(reminder.getString("before")).negated());
        trigger.add(Related.END);
      }
      VAlarm alarm = new VAlarm();
      alarm.add(trigger);
      alarm.add(ImmutableAction.DISPLAY);
      alarm.add(new Description(task.title()));
      todo.add(alarm);
    }
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

  /** The TZID of a zoned time; none for a date, an instant (UTC) or a floating time. */
  private static ParameterList tz(Temporal value) {
    return value instanceof ZonedDateTime z
        ? new ParameterList(List.of(new TzId(z.getZone().getId())))
        : new ParameterList();
  }

  /** A series start as stored: a local date, or a local date-time in the task's zone. */
  private Temporal local(String start, String zone) {
    if (start.length() == 10) {
      return LocalDate.parse(start);
    }
    return java.time.LocalDateTime.parse(start).atZone(zone(zone));
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
