// Today and Upcoming in the person's zone, with the browser's clock fixed: New York, Saturday
// 31 October 2026 at 23:50, the night the clocks fall back. Tasks due just before and just after
// midnight land on the right day; a daily 09:00 series shows its next occurrences at 09:00 across
// the change; ten minutes later, past midnight, yesterday's tasks are overdue.
// BASE_URL; TOKEN; SCREENSHOT_DIR.
import { apiAs, assert, connected, env, eventually, log, row, run, same, screenshot, step, titles, view } from './lib.mjs';

const base = env('BASE_URL');
const token = env('TOKEN');
const ZONE = 'America/New_York';

const api = apiAs(base, token);

/** The day headings of the list and the titles under each, top to bottom. */
function groups(page) {
  return page.locator('#task-list > li').evaluateAll((items) => {
    const out = [];
    for (const li of items) {
      if (li.classList.contains('group-head')) out.push({ head: li.textContent, rows: [] });
      else {
        if (!out.length) out.push({ head: null, rows: [] });
        const time = li.querySelector('time.due');
        out[out.length - 1].rows.push(`${li.querySelector('.title').textContent}${li.dataset.occurrence ? ' (next)' : ''}`
          + `${time ? ` @${time.textContent}` : ''}`);
      }
    }
    return out;
  });
}

run(async (browser) => {
  step('tasks around midnight and a daily series across the end of daylight saving time');
  const tasks = [
    { title: 'Yesterday late', dueAt: '2026-10-30T23:59:00-04:00', timeZone: ZONE },
    { title: 'All day today', dueDate: '2026-10-31' },
    { title: 'Just before midnight', dueAt: '2026-10-31T23:55:00-04:00', timeZone: ZONE },
    { title: 'Just after midnight', dueAt: '2026-11-01T00:05:00-04:00', timeZone: ZONE },
    { title: 'All day tomorrow', dueDate: '2026-11-01' },
    { title: 'In two weeks', dueDate: '2026-11-14' },
    { title: 'Beyond', dueDate: '2026-11-15' },
    { title: 'Morning run', dueAt: '2026-10-31T09:00:00-04:00', timeZone: ZONE, recurrence: { preset: 'daily', interval: 1 } },
    { title: 'No due date' },
  ];
  for (const t of tasks) await api('POST', '/tasks', t);

  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, timezoneId: ZONE, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.clock.setFixedTime(new Date('2026-11-01T03:50:00Z')); // 23:50 EDT on Saturday 31 October
  await page.goto(`${base}/#token=${token}`);
  await connected(page);

  step('Today at 23:50: overdue first, then today\'s, nothing of tomorrow');
  await eventually('Today lists its tasks', () => titles(page), (t) => t.length === 4);
  const today = await groups(page);
  log(JSON.stringify(today));
  same(today.map((g) => g.head), ['Overdue', 'Today · Oct 31'], 'two headings');
  same(today[0].rows, ['Yesterday late @yesterday 11:59 PM'], 'yesterday\'s task, overdue, in words');
  same(today[1].rows, ['All day today', 'Morning run @9:00 AM', 'Just before midnight @11:55 PM'],
    'today\'s, by due (an all-day one counts from the day\'s start) and without a time');
  same(await row(page, 'Morning run').locator('time.due').getAttribute('class'), 'due overdue', '09:00 has passed');
  same(await row(page, 'Just before midnight').locator('time.due').getAttribute('class'), 'due', 'five minutes to go');
  await screenshot(page, '20-today-before-midnight');

  step('Upcoming: by day in New York; the series at 9:00 AM local on each day, before and after the change');
  await view(page, 'upcoming');
  await eventually('Upcoming shows the series', () => page.locator('#task-list > li[data-occurrence]').count(), (n) => n >= 5);
  const upcoming = await groups(page);
  log(JSON.stringify(upcoming.slice(0, 4)));
  same(upcoming[0], { head: 'Today · Oct 31', rows: ['All day today', 'Morning run @9:00 AM', 'Just before midnight @11:55 PM'] },
    'today first');
  same(upcoming[1], { head: 'Tomorrow · Nov 1',
    rows: ['All day tomorrow', 'Just after midnight @12:05 AM', 'Morning run (next) @9:00 AM'] }, 'Sunday, 25 hours long');
  same(upcoming[2], { head: 'Monday · Nov 2', rows: ['Morning run (next) @9:00 AM'] }, 'Monday');
  const preview = await api('GET', `/tasks/${await row(page, 'Morning run').first().getAttribute('data-id')}`
    + `/occurrences?from=${encodeURIComponent('2026-10-31T09:00:00-04:00')}&limit=3`);
  const shown = await page.locator('#task-list > li[data-occurrence]').evaluateAll((l) => l.map((li) => li.dataset.occurrence));
  assert(shown.includes(preview.items[1].start) && shown.includes(preview.items[2].start),
    `the page shows the API's occurrences (${preview.items.map((o) => o.start)} in ${shown})`);
  assert(/-04:00$/.test(preview.items[0].start) && /-05:00$/.test(preview.items[1].start),
    'the offsets change across the night, the wall time does not');
  same(upcoming.at(-1), { head: 'Sat, Nov 14', rows: ['In two weeks', 'Morning run (next) @9:00 AM'] },
    'today and fourteen days more: up to Saturday 14 November');
  same(upcoming.flatMap((g) => g.rows).some((r) => r.startsWith('Beyond')), false, 'the day after is not shown');
  await screenshot(page, '21-upcoming-across-dst');

  step('ten minutes later it is Sunday: yesterday\'s tasks are overdue, tomorrow\'s are today\'s');
  await page.clock.setFixedTime(new Date('2026-11-01T04:10:00Z')); // 00:10 EDT on Sunday
  await view(page, 'today');
  await eventually('Today follows the clock', () => groups(page),
    (g) => g.length === 2 && g[1].head === 'Today · Nov 1');
  const sunday = await groups(page);
  log(JSON.stringify(sunday));
  same(sunday[0].rows, ['Yesterday late @2 days ago 11:59 PM', 'All day today @yesterday', 'Morning run @yesterday 9:00 AM',
    'Just before midnight @yesterday 11:55 PM'], 'Saturday\'s tasks, overdue');
  same(sunday[1].rows, ['All day tomorrow', 'Just after midnight @12:05 AM'], 'Sunday\'s');
  await context.close();
});
