// The quick-add phrases and the task each must create, shared by the parser's unit test
// (quickadd.test.mjs) and the browser scenario (quickadd.mjs), which types each into the page and
// reads the task back from the API.
//
// `now` is fixed: Saturday 28 March 2026, 09:00 UTC (10:00 in Paris, the day before Europe's
// clocks go forward); the New York rows are the day before America's change (7 March, 10:00 EST);
// the month-end rows are in February. `expect` is the task as POST /api/v1/tasks takes it, minus
// `timeZone` (the row's zone whenever there is a `dueAt`); a missing priority is the API's default.

export const NOW = '2026-03-28T09:00:00Z';
export const NOW_NEW_YORK = '2026-03-07T15:00:00Z';
export const NOW_FEBRUARY = '2026-02-10T12:00:00Z';

const PARIS = 'Europe/Paris';
const MONTHLY = 'RSCALE=GREGORIAN;FREQ=MONTHLY;SKIP=BACKWARD';
const WEEKDAYS = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';

export const PHRASES = [
  // the examples of the issue
  { text: 'Pay rent every month on the 1st at 9am #home !high',
    expect: { title: 'Pay rent', dueAt: '2026-04-01T09:00:00+02:00', rule: 'FREQ=MONTHLY;BYMONTHDAY=1', tags: ['home'], priority: 'high' } },
  { text: 'call mum tomorrow 6pm', expect: { title: 'call mum', dueAt: '2026-03-29T18:00:00+02:00' } },
  { text: 'standup every weekday 9:15 remind 10m before',
    expect: { title: 'standup', dueAt: '2026-03-30T09:15:00+02:00', rule: WEEKDAYS, reminders: [{ before: 'PT10M' }] } },
  { text: 'taxes apr 15', expect: { title: 'taxes', dueDate: '2026-04-15' } },

  // one-off dates and times; daylight saving starts in Europe on 29 March at 02:00
  { text: 'stretch tomorrow 9am', expect: { title: 'stretch', dueAt: '2026-03-29T09:00:00+02:00' } },
  { text: 'dentist tomorrow 9am', zone: 'Europe/London', expect: { title: 'dentist', dueAt: '2026-03-29T09:00:00+01:00' } },
  { text: 'run at 8am', expect: { title: 'run', dueAt: '2026-03-29T08:00:00+02:00' } },
  { text: 'call at noon', expect: { title: 'call', dueAt: '2026-03-28T12:00:00+01:00' } },
  { text: 'report due friday', expect: { title: 'report', dueDate: '2026-04-03' } },
  { text: 'next monday 14:00 review', expect: { title: 'review', dueAt: '2026-03-30T14:00:00+02:00' } },
  { text: 'renew passport in 3 days', expect: { title: 'renew passport', dueDate: '2026-03-31' } },
  { text: 'call mum tomorrow 6pm', zone: 'America/New_York', expect: { title: 'call mum', dueAt: '2026-03-29T18:00:00-04:00' } },
  { text: 'ramen at 8pm', zone: 'Asia/Tokyo', expect: { title: 'ramen', dueAt: '2026-03-28T20:00:00+09:00' } },
  { text: 'call home apr 6 9am', zone: 'Australia/Sydney', expect: { title: 'call home', dueAt: '2026-04-06T09:00:00+10:00' } },
  { text: 'call bank tomorrow 9am', zone: 'America/New_York', now: NOW_NEW_YORK,
    expect: { title: 'call bank', dueAt: '2026-03-08T09:00:00-04:00' } },
  { text: 'pay card mar 10 5pm', zone: 'America/New_York', now: NOW_NEW_YORK,
    expect: { title: 'pay card', dueAt: '2026-03-10T17:00:00-04:00' } },

  // not dates
  { text: 'read 1984', expect: { title: 'read 1984' } },
  { text: 'buy 2 apples', expect: { title: 'buy 2 apples' } },
  { text: 'fix bug #12', expect: { title: 'fix bug #12' } },

  // repeats: the due is the first occurrence
  { text: 'meds every day 8pm', expect: { title: 'meds', dueAt: '2026-03-28T20:00:00+01:00', rule: 'FREQ=DAILY' } },
  { text: 'gym every other day 7am', expect: { title: 'gym', dueAt: '2026-03-29T07:00:00+02:00', rule: 'FREQ=DAILY;INTERVAL=2' } },
  { text: 'journal daily', expect: { title: 'journal', dueDate: '2026-03-28', rule: 'FREQ=DAILY' } },
  { text: 'feed cat every day 8am', zone: 'America/New_York', now: NOW_NEW_YORK,
    expect: { title: 'feed cat', dueAt: '2026-03-08T08:00:00-04:00', rule: 'FREQ=DAILY' } },
  { text: 'morning run every weekday 6:30am #health',
    expect: { title: 'morning run', dueAt: '2026-03-30T06:30:00+02:00', rule: WEEKDAYS, tags: ['health'] } },
  { text: 'water plants every week', expect: { title: 'water plants', dueDate: '2026-03-28', rule: 'FREQ=WEEKLY' } },
  { text: 'weekly review every friday 4pm',
    expect: { title: 'weekly review', dueAt: '2026-04-03T16:00:00+02:00', rule: 'FREQ=WEEKLY;BYDAY=FR' } },
  { text: 'bins every mon and thu', expect: { title: 'bins', dueDate: '2026-03-30', rule: 'FREQ=WEEKLY;BYDAY=MO,TH' } },
  { text: 'team sync every 2 weeks on tuesday 10am',
    expect: { title: 'team sync', dueAt: '2026-03-31T10:00:00+02:00', rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU' } },
  { text: 'piano every mon, wed and fri 5pm',
    expect: { title: 'piano', dueAt: '2026-03-30T17:00:00+02:00', rule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR' } },
  { text: 'clean every saturday', expect: { title: 'clean', dueDate: '2026-03-28', rule: 'FREQ=WEEKLY;BYDAY=SA' } },
  { text: 'brunch every sunday 11am', expect: { title: 'brunch', dueAt: '2026-03-29T11:00:00+02:00', rule: 'FREQ=WEEKLY;BYDAY=SU' } },
  { text: 'payslip every month on the 15th', expect: { title: 'payslip', dueDate: '2026-04-15', rule: 'FREQ=MONTHLY;BYMONTHDAY=15' } },
  { text: 'invoice every month on the last day', expect: { title: 'invoice', dueDate: '2026-03-31', rule: 'FREQ=MONTHLY;BYMONTHDAY=-1' } },
  { text: 'rent every month on the 31st',
    expect: { title: 'rent', dueDate: '2026-03-31', rule: 'RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD' } },
  { text: 'rent every month on the 31st', now: NOW_FEBRUARY,
    expect: { title: 'rent', dueDate: '2026-02-28', rule: 'RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD' } },
  { text: 'close books every month on the last day', now: NOW_FEBRUARY,
    expect: { title: 'close books', dueDate: '2026-02-28', rule: 'FREQ=MONTHLY;BYMONTHDAY=-1' } },
  { text: 'backup every month on the 30th 11pm', now: NOW_FEBRUARY,
    expect: { title: 'backup', dueAt: '2026-02-28T23:00:00+01:00', rule: 'RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=30;SKIP=BACKWARD' } },
  { text: 'budget every 3 months', expect: { title: 'budget', dueDate: '2026-03-28', rule: 'RSCALE=GREGORIAN;FREQ=MONTHLY;INTERVAL=3;SKIP=BACKWARD' } },
  { text: 'review subscriptions every month', expect: { title: 'review subscriptions', dueDate: '2026-03-28', rule: MONTHLY } },
  { text: 'renew domain every year', expect: { title: 'renew domain', dueDate: '2026-03-28', rule: 'RSCALE=GREGORIAN;FREQ=YEARLY;SKIP=BACKWARD' } },
  { text: 'file taxes every apr 15', expect: { title: 'file taxes', dueDate: '2026-04-15', rule: 'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15' } },
  { text: 'anniversary every 2 march', expect: { title: 'anniversary', dueDate: '2027-03-02', rule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=2' } },
  { text: 'birthday every feb 29',
    expect: { title: 'birthday', dueDate: '2027-02-28', rule: 'RSCALE=GREGORIAN;FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;SKIP=BACKWARD' } },

  // reminders
  { text: 'dentist friday 10am remind me at 8am',
    expect: { title: 'dentist', dueAt: '2026-04-03T10:00:00+02:00', reminders: [{ at: '2026-04-03T08:00:00+02:00' }] } },
  { text: 'lunch friday noon remind me 1h before',
    expect: { title: 'lunch', dueAt: '2026-04-03T12:00:00+02:00', reminders: [{ before: 'PT1H' }] } },
  { text: 'flight tomorrow 7am remind 1 day before remind 2h before',
    expect: { title: 'flight', dueAt: '2026-03-29T07:00:00+02:00', reminders: [{ before: 'PT24H' }, { before: 'PT2H' }] } },
  { text: 'email team remind me 30 minutes before monday 9am',
    expect: { title: 'email team', dueAt: '2026-03-30T09:00:00+02:00', reminders: [{ before: 'PT30M' }] } },
  { text: 'bills every month on the 30th remind 3 days before !1',
    expect: { title: 'bills', dueDate: '2026-03-30', rule: 'RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=30;SKIP=BACKWARD',
      reminders: [{ before: 'PT72H' }], priority: 'high' } },

  // tags and priority
  { text: 'groceries #home #errands !low', expect: { title: 'groceries', tags: ['errands', 'home'], priority: 'low' } },
  { text: 'Plan trip #Travel !2', expect: { title: 'Plan trip', tags: ['travel'], priority: 'medium' } },
  { text: 'write memo !3', expect: { title: 'write memo', priority: 'low' } },
  { text: 'Q3 planning due jun 30 !high #work #planning',
    expect: { title: 'Q3 planning', dueDate: '2026-06-30', tags: ['planning', 'work'], priority: 'high' } },
];

/** A row's zone and now, with the defaults. */
export function setting(row) {
  return { zone: row.zone || PARIS, now: row.now || NOW };
}

/** The exact body POST /api/v1/tasks gets for a row. */
export function expectedBody(row) {
  const e = row.expect;
  const body = { title: e.title };
  if (e.priority) body.priority = e.priority;
  if (e.tags) body.tags = e.tags;
  if (e.dueDate) body.dueDate = e.dueDate;
  if (e.dueAt) Object.assign(body, { dueAt: e.dueAt, timeZone: setting(row).zone });
  if (e.rule) body.recurrence = { rule: e.rule };
  if (e.reminders) body.reminders = e.reminders;
  return body;
}
