package io.taskbus.notification;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A daily window, in the user's zone, in which notifications wait. It may span midnight (22:00 to
 * 07:00); start equal to end means no quiet time. Where the end falls in a daylight-saving gap it
 * moves forward, as local times do everywhere else in taskbus.
 */
record QuietHours(LocalTime start, LocalTime end) {

  /** When the quiet time around {@code now} ends, or empty when {@code now} is not in one. */
  Optional<Instant> endAfter(Instant now, ZoneId zone) {
    if (start.equals(end)) {
      return Optional.empty();
    }
    ZonedDateTime local = now.atZone(zone);
    LocalTime time = local.toLocalTime();
    boolean quiet =
        start.isBefore(end)
            ? !time.isBefore(start) && time.isBefore(end)
            : !time.isBefore(start) || time.isBefore(end);
    if (!quiet) {
      return Optional.empty();
    }
    ZonedDateTime ends = ZonedDateTime.of(local.toLocalDate(), end, zone);
    if (!ends.toInstant().isAfter(now)) {
      // on the night the clocks go back the end's local time comes twice: the second one, if it
      // is still ahead, ends this night's quiet time rather than the next day's
      ends = ends.withLaterOffsetAtOverlap();
    }
    if (!ends.toInstant().isAfter(now)) {
      ends = ZonedDateTime.of(local.toLocalDate().plusDays(1), end, zone);
    }
    return Optional.of(ends.toInstant());
  }
}
