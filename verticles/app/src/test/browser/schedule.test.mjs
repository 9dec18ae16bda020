// The pure parts of schedule.js without a browser: rules shown as presets, durations, wording.
// Run by BrowserIT as `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeRecurrence, describeReminder, parseDuration, presetOf } from '../../main/web/schedule.js';

test('the rules the server makes of presets show as those presets again', () => {
  assert.deepEqual(presetOf('FREQ=DAILY'), { preset: 'daily', interval: 1 });
  assert.deepEqual(presetOf('FREQ=DAILY;INTERVAL=3'), { preset: 'daily', interval: 3 });
  assert.deepEqual(presetOf('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR'), { preset: 'weekdays', interval: 2 });
  assert.deepEqual(presetOf('FREQ=WEEKLY'), { preset: 'weekly', interval: 1 });
  assert.deepEqual(presetOf('RSCALE=GREGORIAN;FREQ=MONTHLY;SKIP=BACKWARD'), { preset: 'monthly', interval: 1, skip: 'backward' });
  assert.deepEqual(presetOf('RSCALE=GREGORIAN;FREQ=YEARLY;INTERVAL=2;SKIP=FORWARD'), { preset: 'yearly', interval: 2, skip: 'forward' });
  assert.deepEqual(presetOf('FREQ=MONTHLY'), { preset: 'monthly', interval: 1, skip: 'omit' });
});

test('anything more is a custom rule', () => {
  for (const rule of ['FREQ=MONTHLY;BYMONTHDAY=31', 'FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=WEEKLY;BYDAY=MO,TH',
    'FREQ=DAILY;COUNT=5', 'FREQ=YEARLY;BYMONTH=2', 'FREQ=HOURLY']) {
    assert.equal(presetOf(rule), null, rule);
  }
});

test('durations as the server answers them', () => {
  assert.equal(parseDuration('PT15M'), 900);
  assert.equal(parseDuration('PT24H'), 86400);
  assert.equal(parseDuration('P1D'), 86400);
  assert.equal(parseDuration('PT1H30M'), 5400);
  assert.equal(parseDuration('PT0S'), 0);
  assert.equal(parseDuration('P'), null);
  assert.equal(parseDuration('15m'), null);
});

test('wording', () => {
  assert.equal(describeRecurrence({ rule: 'RSCALE=GREGORIAN;FREQ=MONTHLY;SKIP=BACKWARD', mode: 'schedule' }), 'Repeats monthly');
  assert.equal(describeRecurrence({ rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR', mode: 'schedule' }),
    'Repeats every 2 weeks on weekdays');
  assert.equal(describeRecurrence({ rule: 'FREQ=DAILY;INTERVAL=3', mode: 'completion' }),
    'Repeats every 3 days, counted from completion');
  assert.equal(describeRecurrence({ rule: 'FREQ=MONTHLY;BYDAY=-1FR', mode: 'schedule' }), 'Repeats: FREQ=MONTHLY;BYDAY=-1FR');
  assert.equal(describeReminder({ before: 'PT24H' }), '1 day before');
  assert.equal(describeReminder({ before: 'PT90M' }), '90 minutes before');
  assert.equal(describeReminder({ before: 'PT2H' }), '2 hours before');
  assert.equal(describeReminder({ before: 'PT0S' }), 'When it is due');
});
