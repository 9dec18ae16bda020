/**
 * Recurring tasks: RFC 5545 RRULEs with RFC 7529 SKIP, turned into occurrences in the task's IANA
 * zone. Pure logic, no Vert.x verticle: the API validates with {@link
 * io.taskbus.recurrence.Recurrence#parse} and {@link io.taskbus.recurrence.Schedule#of} and
 * previews with {@link io.taskbus.recurrence.Schedule#upcoming}; the recurrence verticle asks
 * {@link io.taskbus.recurrence.Schedule#nextOnCompletion} what to create next.
 *
 * <p>Supported: FREQ DAILY, WEEKLY, MONTHLY, YEARLY; INTERVAL (up to 1000); BYMONTH; BYMONTHDAY
 * (negatives too); BYYEARDAY; BYDAY with ordinals (3MO, -1FR); BYSETPOS; COUNT (up to 100000) or
 * UNTIL; WKST; RSCALE=GREGORIAN with SKIP=OMIT|BACKWARD|FORWARD. Refused with a reason: sub-daily
 * frequencies and BYHOUR/BYMINUTE/BYSECOND (a task recurs at its due time), BYWEEKNO (lib-recur
 * disagrees with libical on week-numbering years), other calendar scales, and SKIP on BYMONTHDAY
 * -29 to -31 (lib-recur ignores SKIP there). libical's vectors hold the engine to the same answers
 * as other calendar software (RruleVectorsTest).
 *
 * <p>Time: the series is computed by lib-recur in floating local time from the series start and
 * placed in the zone with java.time afterwards, so 09:00 stays 09:00 across DST; a local time that
 * does not exist moves forward by the gap, an ambiguous one takes the earlier offset (RFC 5545
 * 3.3.5). All-day series stay dates.
 */
package io.taskbus.recurrence;
