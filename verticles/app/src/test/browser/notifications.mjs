// A reminder due while the page is open shows a toast and the bell's unread count updates, in both
// tabs of the user; read in one tab, the other's badge follows; a snoozed one leaves and comes
// back; "open task" from a toast opens its side panel; mark all read; the notification settings
// dialog.
// BASE_URL; TOKEN; SCREENSHOT_DIR.
import {
  apiAs, assert, connected, env, eventually, log, openPage, run, same, screenshot, step,
} from './lib.mjs';

const base = env('BASE_URL');
const token = env('TOKEN');
const LIVE_MS = 1000;

const api = apiAs(base, token);

/** A task with one reminder a few seconds from now. */
function remindSoon(title, seconds = 3) {
  return api('POST', '/tasks', { title, reminders: [{ at: new Date(Date.now() + seconds * 1000).toISOString() }] });
}

const badge = (page) => page.locator('#notifications-button').getAttribute('data-unread');
const toastOf = (page, title) => page.locator('#toasts .toast.notification', { hasText: title });

async function within(what, probe, check) {
  const ms = await eventually(what, probe, check, 5000);
  log(`${what}: ${ms} ms`);
  assert(ms <= LIVE_MS, `${what} took ${ms} ms (more than ${LIVE_MS} ms)`);
}

run(async (browser) => {
  step('two tabs of one user, both connected; nothing unread');
  const one = (await openPage(browser, `${base}/#token=${token}`, 'tab1')).page;
  const two = (await openPage(browser, `${base}/#token=${token}`, 'tab2')).page;
  for (const page of [one, two]) {
    await connected(page);
    same(await badge(page), '0', 'no unread notifications');
    same(await page.locator('#notifications-badge').isVisible(), false, 'no badge at zero');
  }

  step('a reminder due in 3 s: a toast in both tabs, the badge says 1');
  await remindSoon('Stretch your legs');
  for (const page of [one, two]) {
    await eventually('the toast', () => toastOf(page, 'Stretch your legs').count(), (n) => n === 1, 15000);
    await eventually('the badge', () => badge(page), (b) => b === '1');
  }
  const toast = toastOf(one, 'Stretch your legs');
  same(await one.locator('#toasts').getAttribute('aria-live'), 'polite', 'toasts are announced');
  assert(/Reminder: Stretch your legs/.test(await toast.textContent()), 'the toast names the task');
  same(await one.locator('#notifications-badge').textContent(), '1', 'the badge shows the count');
  same(await one.locator('#notifications-button').getAttribute('aria-label'), 'Notifications, 1 unread', 'and says it');
  assert(/^\(1\) /.test(await one.title()), 'and the tab\'s title');
  await screenshot(one, '15-reminder-toast');

  step('the notifications in tab 1 list it unread; marked read there, tab 2\'s badge follows within a second');
  await one.locator('#notifications-button').click();
  same(await one.locator('#view-title').textContent(), 'Notifications', 'the bell opens the notifications');
  const inbox = one.locator('#notifications-list > li');
  await eventually('one entry', () => inbox.count(), (n) => n === 1);
  same(await inbox.first().getAttribute('data-unread'), 'true', 'unread');
  await screenshot(one, '16-notifications');
  await inbox.first().getByRole('button', { name: 'Mark read “Stretch your legs”' }).click();
  await eventually('tab 1: nothing unread', () => badge(one), (b) => b === '0');
  await within('tab 2: the badge follows', () => badge(two), (b) => b === '0');
  await eventually('tab 2: its toast goes, read elsewhere', () => toastOf(two, 'Stretch your legs').count(), (n) => n === 0);
  same(await inbox.first().getAttribute('data-unread'), 'false', 'tab 1 shows it read');
  await eventually('tab 1: the toast of a read notification goes too', () => toastOf(one, 'Stretch your legs').count(),
    (n) => n === 0);

  step('snoozed from a toast in tab 2: gone from tab 1\'s notifications and the API\'s list');
  await remindSoon('Water the plants', 2);
  await eventually('tab 2 toast', () => toastOf(two, 'Water the plants').count(), (n) => n === 1, 15000);
  await eventually('tab 1 lists it', () => one.locator('#notifications-list > li', { hasText: 'Water the plants' }).count(),
    (n) => n === 1);
  await eventually('tab 1 badge', () => badge(one), (b) => b === '1');
  await toastOf(one, 'Water the plants').getByRole('button', { name: /^Dismiss/ }).click();
  same(await toastOf(one, 'Water the plants').count(), 0, 'tab 1: dismissed');
  same(await badge(one), '1', 'a dismissed toast leaves the notification unread');
  await toastOf(two, 'Water the plants').getByRole('button', { name: /^Snooze/ }).click();
  await within('tab 1: the badge drops', () => badge(one), (b) => b === '0');
  await eventually('tab 1: the notifications no longer list it',
    () => one.locator('#notifications-list > li', { hasText: 'Water the plants' }).count(), (n) => n === 0);
  const listed = (await api('GET', '/notifications?limit=100')).items;
  same(listed.some((n) => n.title === 'Water the plants'), false, 'the API hides it while snoozed');

  step('a reminder\'s "Open task" shows the task and marks it read');
  const task = await remindSoon('Call grandma', 2);
  await eventually('tab 1 toast', () => toastOf(one, 'Call grandma').count(), (n) => n === 1, 15000);
  await toastOf(one, 'Call grandma').getByRole('button', { name: 'Open task' }).click();
  await eventually('the task\'s side panel', () => one.locator('#panel-title').textContent(),
    (t) => t === 'Call grandma');
  await one.locator('#panel form.edit-form').waitFor();
  await eventually('read: the badge drops in tab 2', () => badge(two), (b) => b === '0');
  await one.keyboard.press('Escape');
  await eventually('Escape closes the panel', () => one.locator('#panel').isVisible(), (v) => !v);
  const opened = (await api('GET', '/notifications?limit=100')).items.find((n) => n.taskId === task.id);
  assert(opened && opened.readAt, 'the API has it read');

  step('snoozed for 2 s (through the API): it comes back unread, toasted again, in both tabs');
  await api('POST', `/notifications/${opened.id}/snooze`, { duration: 'PT2S' });
  for (const page of [one, two]) {
    await eventually('back as a toast', () => toastOf(page, 'Call grandma').count(), (n) => n === 1, 15000);
    await eventually('unread again', () => badge(page), (b) => b === '1');
  }

  step('mark all read in tab 1: tab 2 follows');
  await one.locator('#notifications-button').click(); // back to the tasks
  await eventually('the bell toggles back', () => one.locator('#notifications-panel').isVisible(), (v) => !v);
  await one.locator('#notifications-button').click(); // and to the notifications again
  await one.getByRole('button', { name: 'Mark all read' }).click();
  await eventually('tab 1: nothing unread', () => badge(one), (b) => b === '0');
  await within('tab 2 follows', () => badge(two), (b) => b === '0');
  same(await one.locator('#notifications-list > li[data-unread="true"]').count(), 0, 'tab 1 lists nothing unread');
  same(await toastOf(two, 'Call grandma').count(), 0, 'tab 2 dropped the toast of a read notification');

  step('settings: a bad address gets the API\'s reason next to it; good ones are saved');
  await one.getByRole('button', { name: 'Settings' }).click();
  const dialog = one.locator('#settings');
  await eventually('loaded', () => one.locator('#settings-save').isDisabled(), (d) => !d);
  same(await dialog.getByLabel('Show notifications in this page while it is open').isChecked(), true, 'push on');
  await dialog.getByLabel('E-mail address').fill('ada@nowhere');
  await dialog.getByLabel('Time zone').fill('Europe/Berlin');
  await dialog.getByLabel('Hold notifications back during quiet hours').check();
  await dialog.getByLabel('From').fill('22:00');
  await dialog.getByLabel('Until').fill('07:00');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await eventually('the address\'s error', () => dialog.locator('[data-error-for="email"]').textContent(),
    (t) => /e-mail address/.test(t || ''));
  same(await dialog.getByLabel('E-mail address').getAttribute('aria-invalid'), 'true', 'marked invalid');
  await dialog.getByLabel('E-mail address').fill('ada@example.com');
  await screenshot(one, '17-notification-settings');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await eventually('the dialog closes', () => dialog.isVisible(), (v) => !v);
  same(await api('GET', '/notification-settings'), {
    email: 'ada@example.com', emailEnabled: true, pushEnabled: true, timeZone: 'Europe/Berlin',
    quietHours: { start: '22:00', end: '07:00' },
  }, 'saved');
});
