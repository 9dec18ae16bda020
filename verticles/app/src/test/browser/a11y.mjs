// Every view, light and dark, at a phone's width and a wide screen (and the quick-add line with its
// preview and its message, the notification settings, the panels, an edit pending offline and its
// conflict dialog): axe-core (Deque's rules, WCAG
// 2.x A and AA) finds no violation, and a screenshot of each lands in SCREENSHOT_DIR as
// view-<name>-<width>-<scheme>.png.
// BASE_URL; TOKEN; SCREENSHOT_DIR.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiAs, assert, connected, env, eventually, log, row, run, step } from './lib.mjs';

const require = createRequire(new URL('../../main/web/package.json', import.meta.url));
const { AxeBuilder } = require('@axe-core/playwright');

const base = env('BASE_URL');
const token = env('TOKEN');

const api = apiAs(base, token);

const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

/** What to open, and what shows it is ready. */
const VIEWS = [
  ['today', '#today', '#task-list > li.task'],
  ['upcoming', '#upcoming', '#task-list > li[data-occurrence]'],
  ['inbox', '#inbox', '#task-list > li.task'],
  ['all', '#all', '#task-list > li.task'],
  ['completed', '#completed', '#task-list > li.task'],
  ['trash', '#trash', '#task-list > li.task'],
  ['search', `#search/${encodeURIComponent('tag:work | priority:high')}`, '#task-list > li.task'],
  ['notifications', '#notifications', '#notifications-list > li'],
  ['activity', '#activity', '#activity-panel'],
];

async function checkAxe(page, name, failures) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  for (const v of result.violations) {
    failures.push(`${name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }
  log(`axe ${name}: ${result.violations.length} violations, ${result.passes.length} rules passed`);
}

async function shot(page, name) {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `view-${name}.png`), fullPage: true });
}

run(async (browser) => {
  step('a user with tasks in every view and one notification');
  await api('POST', '/tasks', { title: 'Pay the electricity bill', dueDate: day(-2), priority: 'high', tags: ['home'] });
  await api('POST', '/tasks', { title: 'Team meeting notes', dueDate: day(0), tags: ['work'], description: 'Send them round' });
  await api('POST', '/tasks', { title: 'Stand-up', dueAt: new Date(Date.now() + 86400000).toISOString(), timeZone: 'Europe/Berlin',
    recurrence: { preset: 'weekdays', interval: 1 }, reminders: [{ before: 'PT10M' }] });
  await api('POST', '/tasks', { title: 'Read a book', priority: 'low' });
  const done = await api('POST', '/tasks', { title: 'Renew passport', tags: ['admin'] });
  await api('POST', `/tasks/${done.id}/complete`);
  const gone = await api('POST', '/tasks', { title: 'Old idea' });
  await fetch(`${base}/api/v1/tasks/${gone.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
  await api('POST', '/tasks', { title: 'Water the plants', reminders: [{ at: new Date(Date.now() + 1500).toISOString() }] });
  await eventually('the reminder is a notification', async () => (await api('GET', '/notifications')).items.length,
    (n) => n === 1, 20000);

  const failures = [];
  // each scheme and width in a context of its own: two at a time, since axe works in the browser
  // while the server waits, and a lane's contexts run one after the other
  async function check(scheme, width) {
    const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 }, colorScheme: scheme });
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${base}/#token=${token}`);
    await connected(page);
    for (const [name, hash, ready] of VIEWS) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await page.locator(ready).first().waitFor({ state: 'attached', timeout: 10000 });
      await page.waitForTimeout(150); // the rows' own fade-in and the counts
      await checkAxe(page, `${name} ${width} ${scheme}`, failures);
      await shot(page, `${name}-${width}-${scheme}`);
    }
    step(`${width} px ${scheme}: quick add's preview and message, the notification settings`);
    await page.evaluate(() => { location.hash = '#all'; });
    const quick = page.locator('#quick-add');
    const line = quick.getByRole('textbox', { name: 'Quick add' });
    await line.fill('Pay rent every month on the 1st at 9am #home !high remind me 1h before');
    await quick.locator('.qa-chip[data-kind=reminder]').waitFor();
    await quick.getByText('What can I type?').click();
    await quick.locator('#quick-add-help').waitFor();
    await checkAxe(page, `quick add ${width} ${scheme}`, failures);
    await shot(page, `quick-add-${width}-${scheme}`);
    await line.fill('tomorrow 9am');
    await line.press('Enter');
    await quick.locator('[role=alert]:not([hidden])').waitFor();
    await checkAxe(page, `quick add refused ${width} ${scheme}`, failures);
    await shot(page, `quick-add-refused-${width}-${scheme}`);
    await line.press('Escape');
    await page.evaluate(() => { location.hash = '#notifications'; });
    await page.locator('#notifications-settings').click();
    await page.locator('#settings-save:enabled').waitFor();
    await page.locator('#settings-system-status').waitFor();
    await checkAxe(page, `notification settings ${width} ${scheme}`, failures);
    await shot(page, `notification-settings-${width}-${scheme}`);
    await page.locator('#settings-cancel').click();

    step(`${width} px ${scheme}: a task's side panel, "New task", the drawer, the shortcuts`);
    await page.evaluate(() => { location.hash = '#all'; });
    await row(page, 'Stand-up').locator('.title').click();
    await page.locator('#details-occurrences li').first().waitFor();
    await checkAxe(page, `task panel ${width} ${scheme}`, failures);
    await shot(page, `task-panel-${width}-${scheme}`);
    await page.keyboard.press('Escape');
    await page.locator('#new-task').click();
    await page.locator('#create-form').waitFor();
    await checkAxe(page, `new task ${width} ${scheme}`, failures);
    await shot(page, `new-task-${width}-${scheme}`);
    await page.keyboard.press('Escape');
    if (width < 600) {
      await page.locator('#menu-button').click();
      await page.locator('#sidebar a[href="#today"]').waitFor({ state: 'visible' });
      await page.waitForTimeout(250);
      await checkAxe(page, `drawer ${width} ${scheme}`, failures);
      await shot(page, `drawer-${width}-${scheme}`);
      await page.locator('#scrim').click({ position: { x: 370, y: 400 } });
    }
    await page.locator('#help-button').click();
    await checkAxe(page, `shortcuts ${width} ${scheme}`, failures);
    await shot(page, `shortcuts-${width}-${scheme}`);
    await page.keyboard.press('Escape');

    step(`${width} px ${scheme}: an edit made offline, pending; then its conflict with another's`);
    const title = `Plan the trip ${width} ${scheme}`;
    const task = await api('POST', '/tasks', { title });
    await page.evaluate(() => { location.hash = '#all'; });
    await row(page, title).waitFor();
    await context.setOffline(true);
    await row(page, title).locator('.title').click();
    const form = page.locator('#panel form.edit-form');
    await form.getByLabel('Title', { exact: true }).fill(`${title}, by train`);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('#task-list > li[data-pending="true"]').waitFor();
    await page.locator('#outbox-status:not([hidden])').waitFor();
    await checkAxe(page, `pending ${width} ${scheme}`, failures);
    await shot(page, `pending-${width}-${scheme}`);
    await api('PATCH', `/tasks/${task.id}`, { title: `${title}, by plane` });
    await context.setOffline(false);
    await page.locator('#conflict[open]').waitFor({ timeout: 20000 });
    await checkAxe(page, `conflict ${width} ${scheme}`, failures);
    await shot(page, `conflict-${width}-${scheme}`);
    await page.getByRole('button', { name: 'Take theirs' }).click();
    await page.locator('#outbox-status').waitFor({ state: 'hidden' });
    await context.close();
  }
  const combos = [['light', 390], ['light', 1280], ['dark', 390], ['dark', 1280]];
  await Promise.all([0, 1].map(async (lane) => {
    for (const [scheme, width] of combos.filter((_, i) => i % 2 === lane)) await check(scheme, width);
  }));
  step('the sign-in page');
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.locator('#signin[data-ready="true"]').waitFor();
    await checkAxe(page, `sign-in ${scheme}`, failures);
    await shot(page, `sign-in-390-${scheme}`);
    await context.close();
  }
  if (failures.length) throw new Error(`axe found violations:\n${failures.join('\n')}`);
});
