// Due dates and times: a task is due on a day (dueDate) or at an instant set in an IANA zone
// (dueAt + timeZone). The API wants the instant with its offset, so a wall-clock time typed in a
// zone is turned into one with the zone's rules (daylight saving included) through Intl.

export function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch (e) {
    return 'UTC';
  }
}

export function zones() {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch (e) {
    return [browserZone(), 'UTC'];
  }
}

export function isZone(zone) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch (e) {
    return false;
  }
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

function wallParts(zone, epochMs) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return { y: +p.year, m: +p.month, d: +p.day, h: +p.hour % 24, mi: +p.minute, s: +p.second };
}

/** The zone's offset from UTC at an instant, in minutes. */
export function offsetMinutes(zone, epochMs) {
  const w = wallParts(zone, epochMs);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
}

/** "2026-12-24T09:00" in "America/New_York" → "2026-12-24T09:00:00-05:00". */
export function zonedToOffsetDateTime(local, zone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local || '');
  if (!m) {
    return null;
  }
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let offset = offsetMinutes(zone, wall);
  const again = offsetMinutes(zone, wall - offset * 60000);
  if (again !== offset) {
    offset = again;
  }
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as the wall-clock value of a datetime-local input in a zone. */
export function toZonedLocal(iso, zone) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return '';
  }
  const w = wallParts(zone || 'UTC', ms);
  return `${w.y}-${pad(w.m)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}`;
}
