// The quick-add parser without a browser: every phrase of quickadd-phrases.mjs gives exactly its
// task, whatever zone the machine itself is in (the user's zone is what counts), and the parts it
// recognised are reported where they were typed. Run by BrowserIT as `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuickAdd } from '../../main/web/quickadd.js';
import { PHRASES, expectedBody, setting } from './quickadd-phrases.mjs';

const parse = (row) => {
  const { zone, now } = setting(row);
  return parseQuickAdd(row.text, { now: new Date(now), zone, locale: 'en-US' });
};

test('the table has at least 40 phrases', () => {
  assert.ok(PHRASES.length >= 40, `${PHRASES.length} phrases`);
});

// the machine's own zone must change nothing: on a server in UTC, a laptop in Auckland or Los Angeles
for (const machineZone of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles']) {
  test(`each phrase gives its task (machine zone ${machineZone})`, (t) => {
    const before = process.env.TZ;
    process.env.TZ = machineZone;
    t.after(() => {
      process.env.TZ = before;
    });
    assert.equal(new Date(2026, 0, 1).getTimezoneOffset(), { UTC: 0, 'Pacific/Auckland': -780, 'America/Los_Angeles': 480 }[machineZone]);
    for (const row of PHRASES) {
      assert.deepEqual(parse(row).body, expectedBody(row), `${row.text} (${setting(row).zone})`);
    }
  });
}

test('the parts are reported where they were typed, and the title is what is left', () => {
  const text = 'Pay rent every month on the 1st at 9am #home !high';
  const parsed = parse({ text });
  assert.deepEqual(parsed.spans.map((s) => [s.kind, text.slice(s.start, s.end)]), [
    ['recurrence', 'every month on the 1st'], ['date', 'at 9am'], ['tag', '#home'], ['priority', '!high'],
  ]);
  assert.equal(parsed.title, 'Pay rent');
  assert.equal(parsed.repeat, 'every month on the 1st');
  assert.deepEqual(parsed.due, { at: '2026-04-01T09:00:00+02:00', zone: 'Europe/Paris' });

  // chrono reads "jun 30" with the blanks left where the priority and tags were: not those
  const planning = 'Q3 planning due jun 30 !high #work #planning';
  assert.deepEqual(parse({ text: planning }).spans.map((s) => [s.kind, planning.slice(s.start, s.end)]), [
    ['date', 'due jun 30'], ['priority', '!high'], ['tag', '#work'], ['tag', '#planning'],
  ]);

  const standup = 'standup every weekday 9:15 remind 10m before';
  assert.deepEqual(parse({ text: standup }).spans.map((s) => [s.kind, standup.slice(s.start, s.end)]), [
    ['recurrence', 'every weekday'], ['date', '9:15'], ['reminder', 'remind 10m before'],
  ]);
});

test('the repeat in words', () => {
  const words = (text) => parse({ text }).repeat;
  assert.equal(words('x every weekday'), 'every weekday');
  assert.equal(words('x every mon and thu'), 'every Monday and Thursday');
  assert.equal(words('x every 2 weeks on tuesday'), 'every 2 weeks on Tuesday');
  assert.equal(words('x every month on the last day'), 'every month on the last day');
  assert.equal(words('x every month on the 22nd'), 'every month on the 22nd');
  assert.equal(words('x every apr 15'), 'every year on 15 April');
  assert.equal(words('x every 3 months'), 'every 3 months');
  assert.equal(words('x tomorrow'), null);
});

test('a day-first locale reads 5/6 as 5 June, and a date already past this year is next year\'s', () => {
  const row = { text: 'meet 5/6' };
  const { zone, now } = setting(row);
  assert.equal(parseQuickAdd(row.text, { now: new Date(now), zone, locale: 'en-GB' }).due.date, '2026-06-05');
  assert.equal(parseQuickAdd(row.text, { now: new Date(now), zone, locale: 'en-US' }).due.date, '2026-05-06');
  assert.equal(parseQuickAdd('meet 3/4', { now: new Date(now), zone, locale: 'en-US' }).due.date, '2027-03-04');
});

test('an impossible day is no part of a repeat, and an empty line is an empty task', () => {
  const day32 = parse({ text: 'x every month on the 32nd' });
  assert.equal(day32.rrule, 'RSCALE=GREGORIAN;FREQ=MONTHLY;SKIP=BACKWARD');
  assert.equal(day32.title, 'x on the 32nd');
  const feb30 = parse({ text: 'x every feb 30' });
  assert.equal(feb30.rrule, null);
  assert.deepEqual(parse({ text: '   ' }).body, { title: '' });
});
