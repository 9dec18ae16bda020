// when.js without a browser: the words for near days, counted in the person's zone (a fixed now,
// a daylight-saving change, midnight). Run by BrowserIT as `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, dayHeading, dayKey, dayWords, daysBetween, describeDue, formatWhen,
} from '../../main/web/when.js';

const en = { locale: 'en-GB' };

test('near days in words, a date otherwise, with the year only when it is not this one', () => {
  const o = { ...en, zone: 'Europe/Berlin', now: Date.parse('2026-12-07T10:00:00Z') }; // a Monday
  assert.equal(dayWords('2026-12-07', o), 'today');
  assert.equal(dayWords('2026-12-08', o), 'tomorrow');
  assert.equal(dayWords('2026-12-06', o), 'yesterday');
  assert.equal(dayWords('2026-12-10', o), 'Thursday');
  assert.equal(dayWords('2026-12-13', o), 'Sunday');
  assert.equal(dayWords('2026-12-04', o), '3 days ago');
  assert.equal(dayWords('2026-12-14', o), 'Mon 14 Dec');
  assert.equal(dayWords('2027-01-20', o), 'Wed, 20 Jan 2027');
  assert.equal(dayHeading('2026-12-08', o), 'Tomorrow · 8 Dec');
  assert.equal(dayHeading('2026-12-21', o), 'Mon 21 Dec');
  assert.equal(formatWhen('2026-12-07T08:15:00Z', o), 'today 09:15');
  assert.equal(formatWhen('2026-12-06T17:00:00Z', o), 'yesterday 18:00');
});

test('midnight in the person\'s zone decides the day, not UTC\'s', () => {
  // 23:30 in New York on Monday 7 December is already Tuesday in UTC
  const o = { ...en, zone: 'America/New_York', now: Date.parse('2026-12-08T04:30:00Z') };
  assert.equal(dayKey(o.now, o.zone), '2026-12-07');
  assert.equal(formatWhen('2026-12-08T04:59:00Z', o), 'today 23:59'); // 23:59 Monday
  assert.equal(formatWhen('2026-12-08T05:15:00Z', o), 'tomorrow 00:15'); // 00:15 Tuesday
  assert.equal(describeDue({ dueDate: '2026-12-07', completed: false }, o).overdue, false, 'due today is not overdue yet');
  assert.equal(describeDue({ dueDate: '2026-12-06', completed: false }, o).overdue, true);
  const late = describeDue({ dueAt: '2026-12-08T05:15:00Z', completed: false }, o);
  assert.equal(late.day, '2026-12-08');
  assert.equal(late.overdue, false);
  // a minute past midnight it is Tuesday: Monday's task became yesterday's
  const after = { ...o, now: Date.parse('2026-12-08T05:01:00Z') };
  assert.equal(formatWhen('2026-12-08T04:59:00Z', after), 'yesterday 23:59');
  assert.equal(describeDue({ dueDate: '2026-12-07', completed: false }, after).overdue, true);
});

test('a daylight-saving change: the day is 23 hours long and still one day', () => {
  // Berlin springs forward on Sunday 29 March 2026 at 02:00
  const o = { ...en, zone: 'Europe/Berlin', now: Date.parse('2026-03-28T22:30:00Z') }; // Saturday 23:30
  assert.equal(dayWords('2026-03-29', o), 'tomorrow');
  assert.equal(formatWhen('2026-03-29T01:30:00Z', o), 'tomorrow 03:30', '01:30 UTC is 03:30 summer time');
  assert.equal(formatWhen('2026-03-29T22:30:00Z', o), 'Monday 00:30');
  assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2);
  assert.equal(addDays('2026-03-28', 14), '2026-04-11');
  // New York falls back on Sunday 1 November 2026: 01:30 happens twice, both on that Sunday
  const ny = { ...en, zone: 'America/New_York', now: Date.parse('2026-10-31T16:00:00Z') };
  assert.equal(formatWhen('2026-11-01T05:30:00Z', ny), 'tomorrow 01:30');
  assert.equal(formatWhen('2026-11-01T06:30:00Z', ny), 'tomorrow 01:30');
  assert.equal(dayKey(Date.parse('2026-11-02T04:59:00Z'), 'America/New_York'), '2026-11-01');
});

test('other locales use their own words', () => {
  const o = { locale: 'de', zone: 'Europe/Berlin', now: Date.parse('2026-12-07T10:00:00Z') };
  assert.equal(dayWords('2026-12-08', o), 'morgen');
  assert.equal(dayWords('2026-12-10', o), 'Donnerstag');
});
