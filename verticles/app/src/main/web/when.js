// One way of saying when, everywhere on the page (list, panel, history, notifications): in the
// person's locale and zone through Intl, with the words people use for near days — "today 9:15",
// "tomorrow", "yesterday", a weekday name within the coming week, "3 days ago" within the past
// one, a date otherwise (with its year when it is not this year's).
//
// Days are counted in the zone (a calendar day, 23 or 25 hours long around a daylight-saving
// change), never as 24-hour spans. `now`, `zone` and `locale` can be given, so tests can fix them.

const pad = (n) => String(n).padStart(2, '0');

// A formatter costs far more to make than to use: one per use, locale and zone. The page draws
// hundreds of dates at once (a list, a sync), so the zone and the day of a minute are kept too.
const formatters = new Map();
function formatter(use, locale, zone, make) {
  const key = `${use}|${locale || ''}|${zone || ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

const days = new Map();
let zoneCache = { zone: null, at: 0 };

/** The browser's zone, asked again at most once a minute (a laptop may travel). */
export function userZone() {
  const now = Date.now();
  if (zoneCache.zone && Math.abs(now - zoneCache.at) < 60000) return zoneCache.zone;
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch (e) {
    zone = 'UTC';
  }
  zoneCache = { zone, at: now };
  return zone;
}

function opts(o = {}) {
  return { zone: o.zone || userZone(), now: o.now === undefined ? Date.now() : +o.now, locale: o.locale };
}

/** The calendar day ("2026-12-24") of an instant in a zone. */
export function dayKey(ms, zone = userZone()) {
  // every offset in use is whole minutes: within a minute the day is the same
  const cacheKey = `${zone}|${Math.floor(ms / 60000)}`;
  const known = days.get(cacheKey);
  if (known) return known;
  const parts = formatter('day', 'en-US', zone, () => new Intl.DateTimeFormat('en-US', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
  })).formatToParts(new Date(ms));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  const key = `${p.year}-${p.month}-${p.day}`;
  if (days.size > 5000) days.clear();
  days.set(cacheKey, key);
  return key;
}

const keyToUtc = (key) => {
  const [y, m, d] = key.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
};

export function addDays(key, n) {
  const d = new Date(keyToUtc(key) + n * 86400000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Whole calendar days from one day to another (both "YYYY-MM-DD"). */
export function daysBetween(from, to) {
  return Math.round((keyToUtc(to) - keyToUtc(from)) / 86400000);
}

/** Today's day in the zone. */
export function today(o = {}) {
  const { zone, now } = opts(o);
  return dayKey(now, zone);
}

/** A day in words: "today", "tomorrow", "yesterday", "Friday", "3 days ago", "21 Dec", "21 Dec 2027". */
export function dayWords(key, o = {}) {
  const { zone, now, locale } = opts(o);
  const diff = daysBetween(dayKey(now, zone), key);
  const date = new Date(keyToUtc(key));
  if (diff >= -1 && diff <= 1) {
    return formatter('near', locale, null, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })).format(diff, 'day');
  }
  if (diff > 1 && diff < 7) {
    return formatter('weekday', locale, null, () => new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }))
      .format(date);
  }
  if (diff < -1 && diff > -7) {
    return formatter('ago', locale, null, () => new Intl.RelativeTimeFormat(locale, { numeric: 'always' })).format(diff, 'day');
  }
  const sameYear = key.slice(0, 4) === dayKey(now, zone).slice(0, 4);
  return formatter(sameYear ? 'date' : 'date-year', locale, null, () => new Intl.DateTimeFormat(locale, {
    weekday: 'short', day: 'numeric', month: 'short', year: sameYear ? undefined : 'numeric', timeZone: 'UTC',
  })).format(date);
}

/** A day as a heading: the words, and the date beside them when the words are relative. */
export function dayHeading(key, o = {}) {
  const words = dayWords(key, o);
  const { locale } = opts(o);
  const date = formatter('day-month', locale, null, () => new Intl.DateTimeFormat(locale, {
    day: 'numeric', month: 'short', timeZone: 'UTC',
  })).format(new Date(keyToUtc(key)));
  return words.includes(date) ? cap(words) : `${cap(words)} · ${date}`;
}

export function timeOfDay(ms, o = {}) {
  const { zone, locale } = opts(o);
  return formatter('time', locale, zone, () => new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: zone }))
    .format(new Date(ms));
}

/** An instant in words: "today 9:15", "yesterday 18:00", "Friday 8:00", "21 Dec 2027 9:00". */
export function formatWhen(iso, o = {}) {
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  const { zone } = opts(o);
  return `${dayWords(dayKey(ms, zone), o)} ${timeOfDay(ms, o)}`;
}

/** The full date and time, for a tooltip beside the words. */
export function formatExact(iso, o = {}) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  const { zone, locale } = opts(o);
  return formatter('exact', locale, zone, () => new Intl.DateTimeFormat(locale, {
    dateStyle: 'full', timeStyle: 'short', timeZone: zone,
  })).format(new Date(ms));
}

/**
 * A task's due in words, the day it falls on in the person's zone, and whether it is overdue
 * (open and past: an all-day task once its day is over, a timed one once its instant is).
 */
export function describeDue(task, o = {}) {
  const { zone, now } = opts(o);
  if (task.dueDate) {
    const overdue = !task.completed && task.dueDate < dayKey(now, zone);
    return { text: dayWords(task.dueDate, o), day: task.dueDate, overdue, datetime: task.dueDate };
  }
  if (task.dueAt) {
    const ms = Date.parse(task.dueAt);
    return {
      text: formatWhen(ms, o), day: dayKey(ms, zone), overdue: !task.completed && ms < now, datetime: task.dueAt,
    };
  }
  return null;
}

/** An occurrence's start as /occurrences gives it ("2026-01-31T09:00:00-05:00" or "2026-01-31"). */
export function occurrenceDay(start, zone = userZone()) {
  return /^\d{4}-\d{2}-\d{2}$/.test(start) ? start : dayKey(Date.parse(start), zone);
}

export function formatOccurrence(start, o = {}) {
  return /^\d{4}-\d{2}-\d{2}$/.test(start) ? dayWords(start, o) : formatWhen(start, o);
}

function cap(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
