package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VToDo;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.ExDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /api/v1/tasks.ics read back by a calendar library, as a calendar app would read it. */
class CalendarExportIT {

  static {
    // the same ical4j class-initialisation order the exporter forces (see CalendarExport)
    try {
      Class.forName("net.fortuna.ical4j.model.TemporalAdapter");
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,recurrence");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  static JsonObject created(HttpResponse<String> response) {
    assertEquals(201, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  @Test
  void tasksBecomeVtodosWithRruleDueAlarmsAndOnlyTheCallersOwn() throws Exception {
    String user = TestSystem.uniqueUser("ics");
    String other = TestSystem.uniqueUser("ics-other");
    JsonObject rent =
        created(
            system.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "pay rent")
                    .put("priority", "high")
                    .put("tags", new JsonArray().add("home").add("money"))
                    .put("dueAt", "2026-01-31T09:00:00-05:00")
                    .put("timeZone", "America/New_York")
                    .put("recurrence", new JsonObject().put("rule", "FREQ=MONTHLY;BYMONTHDAY=31"))
                    .put(
                        "reminders",
                        new JsonArray()
                            .add(new JsonObject().put("before", "PT15M"))
                            .add(new JsonObject().put("at", "2026-01-30T08:00:00Z")))
                    .encode()));
    String skipped = "2026-03-31T09:00:00-04:00";
    var skip =
        system.call(
            "POST",
            "/api/v1/tasks/"
                + rent.getString("id")
                + "/occurrences/"
                + URLEncoder.encode(skipped, StandardCharsets.UTF_8)
                + "/skip",
            user,
            null);
    assertEquals(200, skip.statusCode(), skip.body());
    JsonObject dentist =
        created(
            system.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "dentist")
                    .put("priority", "low")
                    .put("dueDate", "2026-12-24")
                    .encode()));
    assertEquals(
        200,
        system
            .call("POST", "/api/v1/tasks/" + dentist.getString("id") + "/complete", user, null)
            .statusCode());
    String trashed = system.createTask(user, "thrown away").getString("id");
    assertEquals(204, system.call("DELETE", "/api/v1/tasks/" + trashed, user, null).statusCode());
    system.createTask(other, "someone else's");

    HttpResponse<String> response = system.get("/api/v1/tasks.ics", user);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(
        "text/calendar; charset=utf-8",
        response.headers().firstValue("Content-Type").orElseThrow());
    Calendar calendar = new CalendarBuilder().build(new StringReader(response.body()));
    List<VToDo> todos = calendar.getComponents(Component.VTODO);
    assertEquals(
        3,
        todos.size(),
        "the series, its one existing occurrence, the dentist:\n" + response.body());
    Map<String, List<VToDo>> byTitle =
        todos.stream().collect(Collectors.groupingBy(t -> text(t, Property.SUMMARY).orElseThrow()));
    assertEquals(
        List.of("dentist", "pay rent"),
        byTitle.keySet().stream().sorted().toList(),
        "neither the trashed task nor another user's");

    VToDo series =
        byTitle.get("pay rent").stream()
            .filter(t -> t.getProperty(Property.RRULE).isPresent())
            .findFirst()
            .orElseThrow();
    assertEquals("FREQ=MONTHLY;BYMONTHDAY=31", text(series, Property.RRULE).orElseThrow());
    assertEquals(
        ZonedDateTime.parse("2026-01-31T09:00-05:00[America/New_York]").toInstant(),
        instant(series, Property.DTSTART),
        "the series starts at its first occurrence");
    assertEquals("America/New_York", tzid(series, Property.DTSTART));
    ExDate<?> exdate = series.<ExDate<?>>getProperty(Property.EXDATE).orElseThrow();
    assertEquals("America/New_York", exdate.getParameter(Parameter.TZID).orElseThrow().getValue());
    assertEquals(
        List.of(Instant.parse("2026-03-31T13:00:00Z")),
        exdate.getDates().stream().map(d -> ((ZonedDateTime) d).toInstant()).toList(),
        "the skipped occurrence");
    assertEquals(series.getUid(), byTitle.get("pay rent").get(1).getUid());

    VToDo first =
        byTitle.get("pay rent").stream()
            .filter(t -> t.getProperty(Property.RECURRENCE_ID).isPresent())
            .findFirst()
            .orElseThrow();
    assertEquals("20260131T090000", text(first, Property.DUE).orElseThrow());
    assertEquals(
        "America/New_York", tzid(first, Property.DUE), "a timed due is local time in its zone");
    assertEquals("1", text(first, Property.PRIORITY).orElseThrow());
    assertEquals("home,money", text(first, Property.CATEGORIES).orElseThrow());
    assertEquals("NEEDS-ACTION", text(first, Property.STATUS).orElseThrow());
    List<VAlarm> alarms = first.getAlarms();
    assertEquals(2, alarms.size());
    assertEquals("-PT15M", text(alarms.get(0), Property.TRIGGER).orElseThrow());
    assertEquals(
        "END",
        alarms
            .get(0)
            .getProperty(Property.TRIGGER)
            .orElseThrow()
            .getParameter(Parameter.RELATED)
            .orElseThrow()
            .getValue(),
        "relative to the due");
    assertEquals("20260130T080000Z", text(alarms.get(1), Property.TRIGGER).orElseThrow());
    assertEquals("DISPLAY", text(alarms.get(0), Property.ACTION).orElseThrow());

    VToDo done = byTitle.get("dentist").get(0);
    assertEquals(LocalDate.parse("2026-12-24"), date(done, Property.DUE), "all-day: a DATE");
    assertEquals(
        "DATE",
        done.getProperty(Property.DUE)
            .orElseThrow()
            .getParameter(Parameter.VALUE)
            .orElseThrow()
            .getValue());
    assertEquals("COMPLETED", text(done, Property.STATUS).orElseThrow());
    assertTrue(done.getProperty(Property.COMPLETED).isPresent());
    assertEquals("9", text(done, Property.PRIORITY).orElseThrow());
    assertNotNull(
        calendar.getComponent(Component.VTIMEZONE).orElse(null), "TZID needs its VTIMEZONE");
  }

  @Test
  void theExportNeedsATokenAndAnswersCalendarClients() throws Exception {
    HttpResponse<String> anonymous = system.get("/api/v1/tasks.ics", null);
    assertEquals(401, anonymous.statusCode());
    assertEquals(
        "application/problem+json", anonymous.headers().firstValue("Content-Type").orElseThrow());
    String user = TestSystem.uniqueUser("ics-accept");
    assertEquals(
        200,
        system
            .call("GET", "/api/v1/tasks.ics", user, null, "Accept", "text/calendar")
            .statusCode());
    assertEquals(
        406,
        system
            .call("GET", "/api/v1/tasks.ics", user, null, "Accept", "application/xml")
            .statusCode());
    HttpResponse<String> empty = system.get("/api/v1/tasks.ics", user);
    Calendar calendar = new CalendarBuilder().build(new StringReader(empty.body()));
    assertEquals(0, calendar.getComponents(Component.VTODO).size());
    assertEquals(
        405,
        system.call("PUT", "/api/v1/tasks.ics", user, "{}").statusCode(),
        "/tasks.ics is its own path (GET, and POST imports), not a task id");
  }

  private static Optional<String> text(Component component, String name) {
    return component.getProperty(name).map(Property::getValue);
  }

  private static String tzid(Component component, String name) {
    return component
        .getProperty(name)
        .orElseThrow()
        .getParameter(Parameter.TZID)
        .orElseThrow()
        .getValue();
  }

  private static Instant instant(Component component, String name) {
    Temporal value = component.<DateProperty<?>>getProperty(name).orElseThrow().getDate();
    return ((ZonedDateTime) value).toInstant();
  }

  private static LocalDate date(Component component, String name) {
    Temporal value = component.<DateProperty<?>>getProperty(name).orElseThrow().getDate();
    return (LocalDate) value;
  }
}
