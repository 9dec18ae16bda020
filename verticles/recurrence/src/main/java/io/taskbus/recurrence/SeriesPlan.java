package io.taskbus.recurrence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A schedule with its exceptions: single occurrences skipped or moved, the rest untouched (what RFC
 * 5545 does with EXDATE and RECURRENCE-ID). Stored in the recurrence as {@code "exceptions":
 * [{"occurrence": "2026-02-07", "skip": true}, {"occurrence": "2026-02-14", "to": "2026-02-16"}]},
 * keyed by the occurrence as the rule gives it. A skipped occurrence still counts towards COUNT, as
 * an EXDATE does; a moved one keeps its place in the series, so the occurrences after it do not
 * shift.
 */
public final class SeriesPlan {

  /** The occurrence to create next and when it is due (moved, or the occurrence itself). */
  public record Planned(Occurrence occurrence, Occurrence due) {}

  /** Every step but two passes an exception, so the walk is bounded by their number. */
  private static final int MAX_STEPS = 2 * Recurrence.MAX_EXCEPTIONS + 4;

  private final Schedule schedule;

  /** Occurrence → where it moved, or null when skipped. In series order. */
  private final Map<Occurrence, Occurrence> exceptions = new LinkedHashMap<>();

  public SeriesPlan(Schedule schedule) {
    this.schedule = schedule;
    for (Object item : schedule.recurrence().exceptions()) {
      JsonObject e = (JsonObject) item;
      Occurrence key = parse(e.getString("occurrence"), "exceptions.occurrence");
      exceptions.put(key, e.containsKey("to") ? parse(e.getString("to"), "exceptions.to") : null);
    }
  }

  /** The shape of one stored exception, before the anchor is known. */
  static void checkShape(Object item) {
    if (!(item instanceof JsonObject e)
        || !(e.getValue("occurrence") instanceof String)
        || !(Boolean.TRUE.equals(e.getValue("skip")) ^ e.getValue("to") instanceof String)
        || e.size() != 2) {
      throw new RecurrenceException(
          "exceptions",
          "each is {\"occurrence\": start, \"skip\": true} or {\"occurrence\": start, \"to\": start}");
    }
  }

  /**
   * The occurrence to create when {@code done} (the occurrence the closed task stood for, not its
   * possibly moved due) is completed or skipped at {@code now}: the next one by the rule, past
   * skipped ones, at its moved time if it was moved. With the overdue policy {@code skip}, one
   * whose (moved) due has passed is passed over too, jumping straight to the future.
   */
  public Optional<Planned> next(Occurrence done, Instant now) {
    Recurrence recurrence = schedule.recurrence();
    if (recurrence.mode() == RecurrenceMode.COMPLETION) {
      return schedule.nextFromCompletion(now).map(o -> new Planned(o, o));
    }
    Optional<Occurrence> candidate = schedule.next(done);
    boolean jumped = false;
    for (int step = 0; candidate.isPresent() && step < MAX_STEPS; step++) {
      Occurrence o = candidate.get();
      if (isSkipped(o)) {
        candidate = schedule.next(o);
        continue;
      }
      Occurrence due = movedTo(o).orElse(o);
      if (recurrence.overdue() != OverduePolicy.SKIP_TO_FUTURE || !schedule.isOverdue(due, now)) {
        return Optional.of(new Planned(o, due));
      }
      if (jumped) {
        // after the jump only an occurrence moved into the past is overdue: take the one after it
        candidate = schedule.next(o);
        continue;
      }
      // jump to the first occurrence not yet due, unless one on the way was moved into the future
      jumped = true;
      List<Occurrence> future = schedule.upcoming(now, 1);
      Occurrence first = future.isEmpty() ? null : future.get(0);
      Optional<Occurrence> movedAhead = movedIntoFuture(o, first, now);
      if (movedAhead.isPresent()) {
        return Optional.of(new Planned(movedAhead.get(), exceptions.get(movedAhead.get())));
      }
      candidate = Optional.ofNullable(first);
    }
    return Optional.empty();
  }

  /**
   * An occurrence between {@code after} and {@code before} that was moved to a time not yet past.
   */
  private Optional<Occurrence> movedIntoFuture(Occurrence after, Occurrence before, Instant now) {
    return exceptions.entrySet().stream()
        .filter(
            e ->
                e.getValue() != null
                    && compare(e.getKey(), after) > 0
                    && (before == null || compare(e.getKey(), before) < 0)
                    && !schedule.isOverdue(e.getValue(), now))
        .map(Map.Entry::getKey)
        .min(SeriesPlan::compare);
  }

  /**
   * The preview: up to {@code limit} occurrences from {@code from}, each {@code {"start"}}, a
   * skipped one with {@code "skipped": true}, a moved one at its new start with {@code
   * "movedFrom"}. The task's own occurrence shows at its due when that was changed.
   */
  public JsonArray preview(Instant from, int limit, Occurrence own, Occurrence ownDue) {
    JsonArray items = new JsonArray();
    for (Occurrence o : schedule.upcoming(from, limit)) {
      Occurrence moved = o.equals(own) && !own.equals(ownDue) ? ownDue : exceptions.get(o);
      if (isSkipped(o)) {
        items.add(o.toJson().put("skipped", true));
      } else if (moved != null) {
        items.add(moved.toJson().put("movedFrom", o.start()));
      } else {
        items.add(o.toJson());
      }
    }
    return items;
  }

  /**
   * The exceptions after skipping ({@code to} null) or moving the occurrence {@code start} of a
   * series whose open task stands for {@code own}; {@code restore} takes its exception away.
   *
   * @throws RecurrenceException (field {@code start} or {@code to}) naming what is wrong
   */
  public JsonArray change(Occurrence own, String start, String action, String to) {
    Occurrence key = parse(start, "start");
    if (schedule.recurrence().mode() == RecurrenceMode.COMPLETION) {
      schedule
          .recurrence()
          .withExceptions(
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("occurrence", key.start())
                          .put("skip", true))); // throws the reason
    }
    if (compare(key, own) <= 0) {
      throw new RecurrenceException(
          "start",
          key.start()
              + " is not after this task's occurrence "
              + own.start()
              + "; skip the open one with POST /tasks/{id}/skip, or change its due to"
              + " postpone it");
    }
    if (!isOccurrence(key)) {
      throw new RecurrenceException(
          "start",
          key.start()
              + " is not an occurrence of this series"
              + " (see GET /tasks/{id}/occurrences; the series may end before it)");
    }
    Map<Occurrence, Occurrence> changed = new LinkedHashMap<>(exceptions);
    switch (action) {
      case "skip" -> changed.put(key, null);
      case "move" -> changed.put(key, parse(to, "to"));
      case "restore" -> changed.remove(key);
      default -> throw new IllegalArgumentException("unknown action " + action);
    }
    return json(changed, null);
  }

  /** The exceptions still ahead once {@code created} exists: older ones are history. */
  public JsonArray after(Occurrence created) {
    return json(exceptions, created);
  }

  private JsonArray json(Map<Occurrence, Occurrence> map, Occurrence after) {
    JsonArray out = new JsonArray();
    map.entrySet().stream()
        .filter(e -> after == null || compare(e.getKey(), after) > 0)
        .sorted(Map.Entry.comparingByKey(SeriesPlan::compare))
        .forEach(
            e ->
                out.add(
                    e.getValue() == null
                        ? new JsonObject().put("occurrence", e.getKey().start()).put("skip", true)
                        : new JsonObject()
                            .put("occurrence", e.getKey().start())
                            .put("to", e.getValue().start())));
    return out;
  }

  public boolean isSkipped(Occurrence o) {
    return exceptions.containsKey(o) && exceptions.get(o) == null;
  }

  public Optional<Occurrence> movedTo(Occurrence o) {
    return Optional.ofNullable(exceptions.get(o));
  }

  private boolean isOccurrence(Occurrence o) {
    List<Occurrence> found =
        o.isAllDay() ? schedule.upcoming(o.date(), 1) : schedule.upcoming(o.instant(), 1);
    return !found.isEmpty() && found.get(0).equals(o);
  }

  /**
   * An occurrence as the API writes it, read in the series' kind: a date for all-day series, a
   * date-time with offset (placed in the task's zone) for timed ones.
   */
  public Occurrence parse(String text, String field) {
    Anchor anchor = schedule.anchor();
    try {
      if (anchor.isAllDay()) {
        return Occurrence.allDay(LocalDate.parse(text));
      }
      return Occurrence.at(OffsetDateTime.parse(text).toInstant().atZone(anchor.zone()));
    } catch (DateTimeException | NullPointerException e) {
      throw new RecurrenceException(
          field,
          anchor.isAllDay()
              ? "must be a date like 2026-01-31 (the series is all-day)"
              : "must be a date-time with offset like 2026-01-31T09:00:00-05:00");
    }
  }

  /** Series order: by day for all-day occurrences, by instant for timed ones. */
  static int compare(Occurrence a, Occurrence b) {
    return a.isAllDay() ? a.date().compareTo(b.date()) : a.instant().compareTo(b.instant());
  }
}
