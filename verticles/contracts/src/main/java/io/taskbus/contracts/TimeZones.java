package io.taskbus.contracts;

import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The time zones a task may carry: IANA regions such as Europe/Berlin, which the api checks when a
 * task is written and the recurrence verticle when it computes occurrences. Fixed offsets are no
 * region: they do not follow daylight saving, so a 09:00 task would drift to 08:00 or 10:00 for
 * half the year.
 */
public final class TimeZones {

  /**
   * The JDK's region ids, once: {@code ZoneId.getAvailableZoneIds()} copies ~600 ids into a new
   * HashSet on every call (7% of the event loops' CPU at 300 recurring completions/s, perf/README).
   */
  private static final Set<String> REGIONS = Set.copyOf(ZoneId.getAvailableZoneIds());

  /** Bounded by {@link #REGIONS}: ZoneId.of checks the id and looks its rules up on every call. */
  private static final Map<String, ZoneId> ZONES = new ConcurrentHashMap<>();

  /**
   * Whether {@code id} names an IANA region. Not the transient ids other zone providers register
   * (ical4j's {@code ical4j~<uuid>~...}): no IANA name has a {@code ~}, and those change with every
   * start.
   */
  public static boolean isRegion(String id) {
    return id != null && id.indexOf('~') < 0 && REGIONS.contains(id);
  }

  /** {@code ZoneId.of(id)}, remembered for region ids. */
  public static ZoneId of(String id) {
    ZoneId known = id == null ? null : ZONES.get(id);
    if (known != null) {
      return known;
    }
    return isRegion(id) ? ZONES.computeIfAbsent(id, ZoneId::of) : ZoneId.of(id);
  }

  private TimeZones() {}
}
