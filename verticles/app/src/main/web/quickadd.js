// Quick add: one line of text ("Pay rent every month on the 1st at 9am #home !high") turned into
// the task POST /api/v1/tasks takes. Pure (no DOM): the page's quick-add bar and the Node unit
// tests use the same module.
//
// Recurrence, reminders, tags and priority are this module's own small grammar; the remaining
// dates and times ("tomorrow 6pm", "apr 15", "friday noon") are left to chrono-node. Every part
// found is blanked out (replaced by spaces of the same length) before the next one is looked for,
// so the positions of all parts stay those of the typed text and nothing is read twice.
//
// Dates are the wall clock of the user's zone, not the machine's: chrono is given "now" as that
// wall clock written in UTC (timezone 0), its answer is read as calendar fields, all day arithmetic
// is done in UTC, and a time of day becomes an instant through the zone's rules (due.js), so
// "tomorrow 9am" across a daylight-saving change keeps its 09:00.
import * as chrono from 'chrono-node/en';
import { offsetMinutes, zonedToOffsetDateTime } from './due.js';

const DAY_MS = 86400000;
const DAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
const WEEKDAYS = [1, 2, 3, 4, 5];

// words that stop where a letter or digit would continue them
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const DAY = '(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)s?';
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const NUMBER_WORDS = { other: 2, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12 };
const COUNT = `(\\d{1,3}|${Object.keys(NUMBER_WORDS).join('|')})`;
const EVERY = '(?:every|each)';
const ORDINAL = '(\\d{1,2})(?:st|nd|rd|th)?';

const dayIndex = (word) => ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'].indexOf(word.slice(0, 2).toLowerCase());
const monthIndex = (word) => ['ja', 'fe', 'mar', 'ap', 'may', 'jun', 'jul', 'au', 'se', 'oc', 'no', 'de']
  .findIndex((p) => word.toLowerCase().startsWith(p)) + 1;
const count = (word) => (word === undefined ? 1 : NUMBER_WORDS[word.toLowerCase()] || Number(word));
const ordinal = (n) => {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] || 'th'}`;
};
const plural = (n, unit) => (n === 1 ? unit : `${n} ${unit}s`);
const pad = (n) => String(n).padStart(2, '0');

// ---------------------------------------------------------------------------------------------
// Calendar days as numbers (days since 1970-01-01), so that day arithmetic knows no zone

const dayNumber = (y, m, d) => Date.UTC(y, m - 1, d) / DAY_MS;
function fields(day) {
  const date = new Date(day * DAY_MS);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate(), dow: date.getUTCDay() };
}
const isoDay = (day) => {
  const f = fields(day);
  return `${f.y}-${pad(f.m)}-${pad(f.d)}`;
};
const monthLength = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The day `months` months after `day`, on the same day of the month or the month's last. */
function addMonths(day, months, dayOfMonth = fields(day).d) {
  const f = fields(day);
  const index = f.y * 12 + (f.m - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return dayNumber(y, m, Math.min(dayOfMonth, monthLength(y, m)));
}

// ---------------------------------------------------------------------------------------------
// Recurrence phrases. Each gives the rule's parts (in the order the server writes them back), the
// words the preview shows, and which days it falls on, for the first occurrence.

function recurrence(freq, { interval = 1, byMonth, byMonthDay, byDay, skip } = {}) {
  const parts = [];
  if (skip) parts.push('RSCALE=GREGORIAN');
  parts.push(`FREQ=${freq}`);
  if (interval !== 1) parts.push(`INTERVAL=${interval}`);
  if (byMonth) parts.push(`BYMONTH=${byMonth}`);
  if (byMonthDay) parts.push(`BYMONTHDAY=${byMonthDay}`);
  if (byDay) parts.push(`BYDAY=${byDay.map((d) => DAY_CODES[d]).join(',')}`);
  if (skip) parts.push(`SKIP=${skip}`);
  return { freq, interval, rule: parts.join(';'), byMonth, byMonthDay, byDay };
}

const dayList = (text) => [...new Set([...text.matchAll(new RegExp(`${B}${DAY}${E}`, 'giu'))]
  .map((m) => dayIndex(m[0])))].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
const DAY_LIST = `${DAY}(?:\\s*(?:,\\s*(?:and\\s+)?|and\\s+|&\\s*)${DAY})*`;

/** A day of the month: 29 to 31 fall back to a shorter month's last day, as the presets do. */
const monthDay = (n) => (n === -1 || n <= 28 ? {} : { skip: 'BACKWARD' });

const RECURRENCES = [
  {
    re: `${EVERY}\\s+(?:week\\s*day|work\\s*day)s?`,
    make: () => ({ ...recurrence('WEEKLY', { byDay: WEEKDAYS }), text: 'every weekday' }),
  },
  {
    re: `${EVERY}\\s+(?:${COUNT}\\s+)?weeks?\\s+on\\s+(${DAY_LIST})`,
    make: (m) => {
      const days = dayList(m[2]);
      const n = count(m[1]);
      return { ...recurrence('WEEKLY', { interval: n, byDay: days }),
        text: `every ${plural(n, 'week')} on ${days.map((d) => DAY_NAMES[d]).join(' and ')}`.replace('every 1 week', 'every week') };
    },
  },
  {
    re: `${EVERY}\\s+(?:${COUNT}\\s+)?months?\\s+on\\s+the\\s+(?:(last)(?:\\s+day)?|${ORDINAL}(?:\\s+day)?)`
      + '|monthly\\s+on\\s+the\\s+(?:(last)(?:\\s+day)?|(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+day)?)',
    make: (m) => {
      const last = m[2] || m[4];
      const n = Number(m[3] || m[5]);
      if (!last && (n < 1 || n > 31)) return null;
      const interval = count(m[1]);
      const byMonthDay = last ? -1 : n;
      return { ...recurrence('MONTHLY', { interval, byMonthDay, ...monthDay(byMonthDay) }),
        text: `every ${interval === 1 ? 'month' : plural(interval, 'month')} on the ${last ? 'last day' : ordinal(n)}` };
    },
  },
  {
    re: `${EVERY}\\s+(${DAY_LIST})`,
    make: (m) => {
      const days = dayList(m[1]);
      return { ...recurrence('WEEKLY', { byDay: days }), text: `every ${days.map((d) => DAY_NAMES[d]).join(' and ')}` };
    },
  },
  {
    re: `(?:${EVERY}\\s+(?:year\\s+on\\s+)?|yearly\\s+on\\s+|annually\\s+on\\s+)(?:(${MONTH})\\s+${ORDINAL}|${ORDINAL}(?:\\s+of)?\\s+(${MONTH}))`,
    make: (m) => {
      const month = monthIndex(m[1] || m[4]);
      const day = Number(m[2] || m[3]);
      if (day < 1 || day > [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]) return null;
      return { ...recurrence('YEARLY', { byMonth: month, byMonthDay: day, ...(month === 2 && day === 29 ? { skip: 'BACKWARD' } : {}) }),
        text: `every year on ${day} ${MONTH_NAMES[month - 1]}` };
    },
  },
  ...[['day', 'DAILY', 'daily'], ['week', 'WEEKLY', 'weekly'], ['month', 'MONTHLY', 'monthly'],
    ['year', 'YEARLY', 'yearly|annually']].map(([unit, freq, adverb]) => ({
    re: `${EVERY}\\s+(?:${COUNT}\\s+)?${unit}s?|${adverb}`,
    make: (m) => {
      const n = count(m[1]);
      // a plain month or year keeps its day, falling back at month ends like the presets
      const skip = freq === 'MONTHLY' || freq === 'YEARLY' ? 'BACKWARD' : undefined;
      return { ...recurrence(freq, { interval: n, skip }), text: `every ${n === 1 ? unit : plural(n, unit)}` };
    },
  })),
];

/** The first day on or after `from` that the rule has (for plain rules: `from` itself). */
function firstDay(rec, from) {
  if (rec.byDay) {
    for (let day = from; ; day += 1) {
      if (rec.byDay.includes(fields(day).dow)) return day;
    }
  }
  if (rec.byMonth) {
    const f = fields(from);
    for (let y = f.y; ; y += 1) {
      const day = dayNumber(y, rec.byMonth, Math.min(rec.byMonthDay, monthLength(y, rec.byMonth)));
      if (day >= from) return day;
    }
  }
  if (rec.byMonthDay) {
    const f = fields(from);
    for (let i = 0; ; i += 1) {
      const month = addMonths(dayNumber(f.y, f.m, 1), i, 1);
      const { y, m } = fields(month);
      const length = monthLength(y, m);
      const day = dayNumber(y, m, rec.byMonthDay === -1 ? length : Math.min(rec.byMonthDay, length));
      if (day >= from) return day;
    }
  }
  return from;
}

/**
 * The first occurrence after `day` for a rule whose day is the one it starts on: the next day for
 * a daily one (nothing ties "every 2 days" to today), the same day of the next week, month or year.
 */
function nextPlainDay(rec, day) {
  if (rec.freq === 'DAILY') return day + 1;
  if (rec.freq === 'WEEKLY') return day + 7 * rec.interval;
  return addMonths(day, rec.freq === 'MONTHLY' ? rec.interval : 12 * rec.interval);
}

// ---------------------------------------------------------------------------------------------
// Reminders, tags, priority

const UNIT_MINUTES = { m: 1, h: 60, d: 1440, w: 10080 };

/** A lead in the form the server writes it back (Java's Duration: PT24H for a day). */
function lead(minutes) {
  if (minutes === 0) return 'PT0S';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}`;
}

const REMIND = `${B}remind(?:\\s+me)?`;
const LEAD_RE = new RegExp(`${REMIND}\\s+(\\d{1,4}|an?)\\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\\s+(?:before|earlier|ahead)${E}`, 'giu');
const AT_RE = new RegExp(`${REMIND}\\s+at\\s+(\\d{1,2})(?:[:.](\\d{2}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?${E}|${REMIND}\\s+at\\s+(noon|midnight)${E}`, 'giu');
const TAG_RE = /(?<![\p{L}\p{N}_&#])#(\p{L}[\p{L}\p{N}_-]{0,49})(?![\p{L}\p{N}_-])/gu;
const PRIORITY_RE = /(?<!\S)!(high|medium|med|low|1|2|3)(?!\S)/giu;
const PRIORITIES = { high: 'high', 1: 'high', medium: 'medium', med: 'medium', 2: 'medium', low: 'low', 3: 'low' };

// ---------------------------------------------------------------------------------------------
// The parser

/**
 * @param {string} text what was typed
 * @param {{now?: Date, zone?: string, locale?: string}} options now and the user's IANA zone
 * @returns {{title: string, due: null|{date: string}|{at: string, zone: string}, rrule: string|null,
 *   repeat: string|null, tags: string[], priority: null|'low'|'medium'|'high',
 *   reminders: Array<{before: string}|{at: string}>, spans: Array<{start: number, end: number, kind: string}>,
 *   body: object}} `body` is the task as POST /api/v1/tasks takes it
 */
export function parseQuickAdd(text, { now = new Date(), zone = 'UTC', locale } = {}) {
  const source = String(text || '');
  let blank = source;
  const spans = [];
  const take = (start, end, kind) => {
    spans.push({ start, end, kind });
    blank = blank.slice(0, start) + ' '.repeat(end - start) + blank.slice(end);
  };

  // "now" as the zone's wall clock, in UTC fields
  const wallNow = new Date(now.getTime() + offsetMinutes(zone, now.getTime()) * 60000);
  const today = Math.floor(wallNow.getTime() / DAY_MS);
  const nowMinute = wallNow.getUTCHours() * 60 + wallNow.getUTCMinutes();

  // reminders: leads before the due, or a time of day (the due's day; resolved once it is known)
  const leads = [];
  const atTimes = [];
  for (const m of [...blank.matchAll(LEAD_RE)]) {
    const amount = /^an?$/i.test(m[1]) ? 1 : Number(m[1]);
    leads.push({ index: m.index, minutes: amount * UNIT_MINUTES[m[2][0].toLowerCase()] });
    take(m.index, m.index + m[0].length, 'reminder');
  }
  for (const m of [...blank.matchAll(AT_RE)]) {
    const minute = clock(m[1], m[2], m[3], m[4]);
    if (minute === null) continue;
    atTimes.push({ index: m.index, minute });
    take(m.index, m.index + m[0].length, 'reminder');
  }

  // recurrence: the first phrase that reads as one
  let rec = null;
  for (const { re, make } of RECURRENCES) {
    const m = new RegExp(`${B}(?:${re})${E}`, 'iu').exec(blank);
    const made = m && make(m);
    if (made) {
      rec = made;
      take(m.index, m.index + m[0].length, 'recurrence');
      break;
    }
  }

  const tags = [];
  for (const m of [...blank.matchAll(TAG_RE)]) {
    const tag = m[1].toLowerCase();
    if (!tags.includes(tag)) tags.push(tag);
    take(m.index, m.index + m[0].length, 'tag');
  }

  let priority = null;
  for (const m of [...blank.matchAll(PRIORITY_RE)]) {
    priority = PRIORITIES[m[1].toLowerCase()];
    take(m.index, m.index + m[0].length, 'priority');
  }

  // the date and time: chrono on what is left
  const when = readDate(blank, wallNow, locale);
  if (when) {
    for (const part of when.parts) take(part.start, part.end, 'date');
  }

  // the due: the recurrence's first occurrence from the date given (or today), else the date
  let dueDay = null;
  const minute = when ? when.minute : null;
  if (rec) {
    const from = when && when.day !== null ? when.day : today;
    dueDay = firstDay(rec, from);
    if (minute !== null && dueDay === today && minute < nowMinute) {
      // today's occurrence is already past: the first one is the next
      dueDay = rec.byDay || rec.byMonthDay ? firstDay(rec, today + 1) : nextPlainDay(rec, today);
    }
  } else if (when) {
    dueDay = when.day !== null ? when.day
      : minute !== null && minute < nowMinute ? today + 1 : today;
  }

  let due = null;
  if (dueDay !== null && minute !== null) {
    due = { at: zonedToOffsetDateTime(`${isoDay(dueDay)}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`, zone), zone };
  } else if (dueDay !== null) {
    due = { date: isoDay(dueDay) };
  }

  const reminders = [...leads, ...atTimes].sort((a, b) => a.index - b.index).map((r) => {
    if (r.minutes !== undefined) return { before: lead(r.minutes) };
    // at a time of the due's day; one after a timed due is the day before; without a due the next
    let day = dueDay;
    if (day === null) day = r.minute > nowMinute ? today : today + 1;
    else if (minute !== null && r.minute > minute) day -= 1;
    return { at: zonedToOffsetDateTime(`${isoDay(day)}T${pad(Math.floor(r.minute / 60))}:${pad(r.minute % 60)}`, zone) };
  });

  spans.sort((a, b) => a.start - b.start);
  const title = titleOf(source, spans);
  const result = {
    title,
    due,
    rrule: rec ? rec.rule : null,
    repeat: rec ? rec.text : null,
    tags: tags.sort(),
    priority,
    reminders,
    spans,
  };
  result.body = taskBody(result);
  return result;
}

/** The parsed parts as the task POST /api/v1/tasks takes; members left out take the API's defaults. */
export function taskBody(parsed) {
  const body = { title: parsed.title };
  if (parsed.priority) body.priority = parsed.priority;
  if (parsed.tags.length) body.tags = [...parsed.tags];
  if (parsed.due && parsed.due.date) body.dueDate = parsed.due.date;
  if (parsed.due && parsed.due.at) Object.assign(body, { dueAt: parsed.due.at, timeZone: parsed.due.zone });
  if (parsed.rrule) body.recurrence = { rule: parsed.rrule };
  if (parsed.reminders.length) body.reminders = parsed.reminders.map((r) => ({ ...r }));
  return body;
}

/** "9", "15", "pm" → minutes after midnight; null when it is no time. */
function clock(hours, minutes, meridiem, word) {
  if (word) return word.toLowerCase() === 'noon' ? 720 : 0;
  let h = Number(hours);
  const m = minutes ? Number(minutes) : 0;
  if (m > 59) return null;
  if (meridiem) {
    if (h < 1 || h > 12) return null;
    const pm = meridiem[0].toLowerCase() === 'p';
    h = (h % 12) + (pm ? 12 : 0);
  } else if (h > 23 || minutes === undefined) {
    // a bare "remind at 8" is too vague to be a time
    return null;
  }
  return h * 60 + m;
}

// chrono's little-endian variant (15/4 is 15 April) for locales that write dates so
const LITTLE_ENDIAN = /^en-(GB|IE|AU|NZ|IN|ZA)/i;

/**
 * The first date or time chrono reads in the text, joined with a time (or date) it reads in a
 * separate place ("friday ... 9am"): {day|null, minute|null, parts}. A bare number ("read 1984",
 * "buy 2 apples") or a year alone is not read as a date.
 */
function readDate(text, wallNow, locale) {
  const parser = locale && LITTLE_ENDIAN.test(locale) ? chrono.GB : chrono.casual;
  const found = parser.parse(text, { instant: wallNow, timezone: 0 }, { forwardDate: true })
    .filter((r) => !/^\d+$/.test(r.text.trim()))
    .filter((r) => ['day', 'weekday', 'hour', 'month'].some((k) => r.start.isCertain(k)));
  if (!found.length) return null;
  const hasDay = (r) => ['day', 'weekday', 'month'].some((k) => r.start.isCertain(k));
  const hasTime = (r) => r.start.isCertain('hour');
  const first = found[0];
  const parts = [first];
  if (hasDay(first) !== hasTime(first)) {
    const other = found.find((r) => r !== first && hasDay(r) === hasTime(first) && hasTime(r) === hasDay(first));
    if (other) parts.push(other);
  }
  const dayOf = parts.find(hasDay);
  const timeOf = parts.find(hasTime);
  const c = (dayOf || first).start;
  const day = dayOf ? dayNumber(c.get('year'), c.get('month'), c.get('day')) : null;
  const minute = timeOf ? timeOf.start.get('hour') * 60 + (timeOf.start.get('minute') || 0) : null;
  return {
    day,
    minute,
    // chrono's text may take the blanks around it (where a tag or a priority was)
    parts: parts.map((r) => {
      const start = r.index + (r.text.length - r.text.trimStart().length);
      return widen(text, start, r.index + r.text.trimEnd().length);
    }),
  };
}

/** A date's span with the word that introduces it ("due friday", "by apr 15", "on monday"). */
function widen(text, start, end) {
  const before = /(?:^|\s)(due|by|on|at|in|from|starting)\s+$/i.exec(text.slice(0, start));
  return { start: before ? start - before[0].length + (before[0].startsWith(' ') ? 1 : 0) : start, end };
}

/** The typed text without the parts read from it, spaces tidied. */
function titleOf(source, spans) {
  let title = '';
  let at = 0;
  for (const s of spans) {
    title += `${source.slice(at, s.start)} `;
    at = Math.max(at, s.end);
  }
  title += source.slice(at);
  return title.replace(/\s+/g, ' ').replace(/\s+([,.;:!?])/g, '$1').replace(/^[\s,;:-]+|[\s,;:-]+$/g, '').trim();
}
