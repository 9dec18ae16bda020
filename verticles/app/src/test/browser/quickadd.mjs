// Quick add in the real page: every phrase of quickadd-phrases.mjs typed into the bar of a browser
// whose clock is fixed at the row's "now" and whose zone is the row's zone; before Enter the
// recognised parts are marked and the preview says what will be created; after Enter the task the
// API reads back is the row's (due, zone, rule, tags, priority, reminders). Also: `q` focuses the
// bar, Escape clears it (and then leaves it), a line with no title is refused with a message; a
// task added in a view shows there at once, the sidebar's count follows, and Undo trashes it.
// BASE_URL; TOKEN; SCREENSHOT_DIR.
import {
  apiAs, assert, connected, env, eventually, log, row, run, same, screenshot, step, view,
} from './lib.mjs';
import { PHRASES, setting } from './quickadd-phrases.mjs';

const base = env('BASE_URL');
const token = env('TOKEN');

const api = apiAs(base, token);

async function newest() {
  const page = await api('GET', '/tasks?status=all&sort=created&order=desc&limit=1');
  return page.items[0] || null;
}

const instant = (iso) => (iso ? Date.parse(iso) : null);

/** The created task against the row: what a person would check in the list and details. */
function compare(task, row) {
  const e = row.expect;
  const { zone } = setting(row);
  const what = `“${row.text}” in ${zone}`;
  same(task.title, e.title, `${what}: title`);
  same(task.dueDate ?? null, e.dueDate ?? null, `${what}: dueDate`);
  same(instant(task.dueAt), instant(e.dueAt), `${what}: dueAt ${task.dueAt}`);
  same(task.timeZone ?? null, e.dueAt ? zone : null, `${what}: timeZone`);
  same(task.recurrence ? task.recurrence.rule : null, e.rule ?? null, `${what}: recurrence rule`);
  same(task.tags, e.tags ?? [], `${what}: tags`);
  same(task.priority, e.priority ?? 'medium', `${what}: priority`);
  same((task.reminders || []).map((r) => (r.at ? { at: instant(r.at) } : { before: r.before })),
    (e.reminders ?? []).map((r) => (r.at ? { at: instant(r.at) } : { before: r.before })), `${what}: reminders`);
}

/** One browser context per zone and "now": the page's clock and zone are the row's. */
async function openAt(browser, zone, now) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: zone, locale: 'en-US' });
  await context.clock.setFixedTime(new Date(now));
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`[${zone}] page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') log(`[${zone}] console error: ${m.text()}`);
  });
  await page.goto(`${base}/#token=${token}`);
  await connected(page);
  same(await page.evaluate(() => [Intl.DateTimeFormat().resolvedOptions().timeZone, new Date().toISOString()]),
    [zone, new Date(now).toISOString()], 'the page\'s zone and clock');
  return { context, page };
}

run(async (browser) => {
  const groups = new Map();
  for (const row of PHRASES) {
    const { zone, now } = setting(row);
    const key = `${zone} ${now}`;
    if (!groups.has(key)) groups.set(key, { zone, now, rows: [] });
    groups.get(key).rows.push(row);
  }

  let first = true;
  for (const { zone, now, rows } of groups.values()) {
    step(`${rows.length} phrases in ${zone} at ${now}`);
    const { context, page } = await openAt(browser, zone, now);
    const bar = page.locator('#quick-add');
    const input = bar.getByRole('textbox', { name: 'Quick add' });

    if (first) {
      first = false;
      step('q focuses the bar; Escape clears it, a second one leaves it; no title, no task');
      const focused = () => page.evaluate(() => document.activeElement.id);
      await page.locator('#view-title').click();
      await page.keyboard.press('q');
      same(await focused(), 'quick-add-input', 'q focused the bar');
      same(await input.inputValue(), '', 'the q itself is not typed');
      await input.fill('tomorrow 9am #x');
      await page.keyboard.press('Enter');
      await eventually('a line that is only a date is refused', () => bar.locator('[role=alert]').textContent(),
        (t) => /needs a title/.test(t));
      await page.keyboard.press('Escape');
      same(await input.inputValue(), '', 'Escape cleared the line');
      same(await bar.locator('.qa-preview li').count(), 0, 'and the preview');
      await page.keyboard.press('Escape');
      assert(await focused() !== 'quick-add-input', 'a second Escape gives the keys back to the page');
      await page.keyboard.press('q');
      same(await focused(), 'quick-add-input', 'and q comes back');

      step('a task added in the Inbox view shows there at once and its count follows; Undo trashes it');
      await view(page, 'inbox');
      const count = async () => Number(await page.locator('#sidebar [data-count="inbox"]').textContent()) || 0;
      const counted = async () => (await api('GET', `/tasks/counts?tz=${encodeURIComponent(zone)}`)).inbox;
      const was = await counted();
      await eventually('the sidebar counts the Inbox as the server does', count, (n) => n === was);
      await page.keyboard.press('q');
      await input.fill('Buy stamps #errands');
      await input.press('Enter');
      await eventually('listed in the Inbox', () => row(page, 'Buy stamps').count(), (n) => n === 1);
      await eventually('the Inbox count follows', count, (n) => n === was + 1);
      same(await counted(), was + 1, 'as the server counts it');
      await eventually('the snackbar says so, with Undo', () => page.locator('#snackbar').textContent(),
        (t) => /Added “Buy stamps”\..*Undo/.test(t));
      await screenshot(page, '39-quick-add-in-a-view');
      await page.keyboard.press('Escape');
      await page.keyboard.press('u');
      await eventually('Undo took it out of the Inbox', () => row(page, 'Buy stamps').count(), (n) => n === 0);
      await eventually('into the trash', async () => (await api('GET', '/trash')).items.map((t) => t.title),
        (t) => t.includes('Buy stamps'));
      await eventually('and the count back', count, (n) => n === was);
    }

    for (const row of rows) {
      const before = await newest();
      await input.fill(row.text);
      // before saving: the parts are marked and the preview names the title (and the repeat)
      await eventually(`the preview of “${row.text}”`, () => bar.locator('.qa-chip[data-kind=title]').textContent(),
        (t) => t === `Title: ${row.expect.title}`);
      const marked = await bar.locator('.qa-echo mark').evaluateAll((ms) => ms.map((m) => m.dataset.kind));
      if (row.expect.dueAt || row.expect.dueDate) {
        assert(marked.includes('date') || marked.includes('recurrence'), `“${row.text}”: its date is marked (${marked})`);
        assert(await bar.locator('.qa-chip[data-kind=date]').count() === 1, `“${row.text}”: the preview shows the due`);
      } else {
        assert(!marked.includes('date'), `“${row.text}”: nothing is marked as a date (${marked})`);
      }
      if (row.expect.rule) assert(marked.includes('recurrence'), `“${row.text}”: the repeat is marked`);
      same(marked.filter((k) => k === 'tag').length, (row.expect.tags || []).length, `“${row.text}”: each tag is marked`);
      same(await bar.locator('.qa-chip[data-kind=reminder]').count(), (row.expect.reminders || []).length,
        `“${row.text}”: the preview lists the reminders`);
      if (row === PHRASES[0]) {
        same(marked, ['recurrence', 'date', 'tag', 'priority'], 'the four parts of the first example are marked in order');
        same(await bar.locator('.qa-chip').allTextContents(), ['Title: Pay rent', 'Due: Wednesday 9:00 AM',
          'Repeats: every month on the 1st', 'Tags: home', 'Priority: high'], 'the preview in words');
        await screenshot(page, '40-quick-add-preview');
      }
      await input.press('Enter');
      // the bar's message, if any, says why not
      await eventually(`“${row.text}” is created and the bar cleared`,
        async () => [await input.inputValue(), await bar.locator('[role=alert]:not([hidden])').allTextContents()],
        ([v]) => v === '', 10000);
      let task = null;
      await eventually(`“${row.text}” is readable from the API`, async () => {
        task = await newest();
        return task && (!before || task.id !== before.id);
      }, (ok) => ok);
      compare(task, row);
      log(`ok “${row.text}” → ${task.dueDate || task.dueAt} ${task.recurrence ? task.recurrence.rule : ''}`);
    }
    await context.close();
  }
});
