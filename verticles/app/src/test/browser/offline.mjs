// Offline and a flaky network: with the browser offline, a task is added (quick add) and edited,
// another one edited and a third completed; each shows at once, marked pending, and a reload
// (the page from the service worker, the tasks as last known) still shows them waiting. Back
// online, the outbox sends them: the server ends with exactly those changes, each once (the
// tasks, their versions and their histories through the API). Then a conflict: this tab edits a
// task offline while a second tab renames it; back online the conflict dialog shows both titles,
// and the person's choice is what the server keeps.
// BASE_URL; TOKEN; SCREENSHOT_DIR.
import {
  apiAs, assert, connected, env, eventually, openPage, row, run, same, screenshot, step, titles, view,
} from './lib.mjs';

const base = env('BASE_URL');
const token = env('TOKEN');
const api = apiAs(base, token);

const history = async (id) => (await api('GET', `/tasks/${id}/history?limit=50`)).items.map((e) => e.type);
const all = async () => (await api('GET', '/tasks?status=all&limit=100')).items;
const pending = (page, title) => row(page, title).getAttribute('data-pending');
const outbox = (page) => page.locator('#outbox-status');
const waiting = (page) => page.locator('#outbox-status .outbox-text').textContent();

async function edit(page, title, fields) {
  await row(page, title).getByRole('button', { name: `Edit “${title}”` }).click();
  const form = page.locator('#panel form.edit-form');
  await form.waitFor();
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Save' }).click();
  await eventually('the panel closes on saving', () => page.locator('#panel').isVisible(), (v) => !v);
}

run(async (browser) => {
  const editMe = await api('POST', '/tasks', { title: 'Edit me' });
  const completeMe = await api('POST', '/tasks', { title: 'Complete me' });
  const untouched = await api('POST', '/tasks', { title: 'Leave me' });

  step('the page, controlled by its service worker, with quick add used once online (its parser kept)');
  const { context, page } = await openPage(browser, `${base}/#token=${token}`, 'T1');
  await connected(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  await connected(page);
  same(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true, 'the worker controls the page');
  const quick = page.getByRole('textbox', { name: 'Quick add' });
  await quick.fill('warm up #x');
  await page.locator('#quick-add .qa-chip[data-kind=tag]').waitFor();
  await quick.press('Escape');
  await view(page, 'all');
  await eventually('the three tasks are listed', () => titles(page), (t) => t.length === 3);
  // the page keeps its copy of the tasks a moment after they change
  await eventually('the tasks are kept for offline use',
    () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('taskbus.tasks.')).length),
    (n) => n === 1);

  step('offline: add with quick add, edit what was added, edit another task, complete a third');
  await context.setOffline(true);
  await quick.fill('Offline quick task #offline');
  await quick.press('Enter');
  await eventually('the new task is listed at once, pending', () => pending(page, 'Offline quick task'), (p) => p === 'true');
  same(await row(page, 'Offline quick task').locator('.pending-mark').textContent(), 'Pending', 'said in words');
  await edit(page, 'Offline quick task', { Title: 'Offline quick task, edited' });
  await eventually('the edit shows on the task not yet sent', () => pending(page, 'Offline quick task, edited'),
    (p) => p === 'true');
  await edit(page, 'Edit me', { Title: 'Edited offline', Description: 'typed without a network' });
  await eventually('the edited task shows its new title, pending', () => pending(page, 'Edited offline'), (p) => p === 'true');
  await row(page, 'Complete me').getByRole('checkbox').click();
  await eventually('the completed task leaves the open tasks', () => row(page, 'Complete me').count(), (n) => n === 0);
  await eventually('the header says four changes wait', () => waiting(page),
    (t) => t === '4 changes waiting to be sent');
  same(await pending(page, 'Leave me'), 'false', 'an untouched task is not marked');
  await screenshot(page, '51-offline-pending');
  same((await all()).map((t) => [t.title, t.version]).sort(),
    [['Complete me', 1], ['Edit me', 1], ['Leave me', 1]], 'the server has seen nothing yet');

  step('a reload while offline: the page from the worker, the changes still waiting and shown');
  const reload = await page.reload();
  assert(reload && reload.fromServiceWorker(), 'the page came from the service worker');
  await view(page, 'all');
  await eventually('the view shows the tasks as last known with the waiting changes', () => titles(page),
    (t) => JSON.stringify([...t].sort()) === JSON.stringify(['Edited offline', 'Leave me', 'Offline quick task, edited']));
  same(await pending(page, 'Edited offline'), 'true', 'the edit is still pending');
  same(await pending(page, 'Offline quick task, edited'), 'true', 'the new task is still pending');
  same(await waiting(page), '4 changes waiting to be sent', 'four changes still wait');
  same(await page.locator('#offline-note').isVisible(), true, 'the view says it is offline');

  step('back online: every change is sent once, in order');
  await context.setOffline(false);
  await eventually('nothing waits any more', () => outbox(page).isVisible(), (v) => !v, 20000);
  await eventually('no row is pending', () => page.locator('#task-list > li[data-pending="true"]').count(), (n) => n === 0);
  const tasks = await all();
  same(tasks.map((t) => t.title).sort(), ['Complete me', 'Edited offline', 'Leave me', 'Offline quick task, edited'],
    'exactly one task was added');
  const byTitle = Object.fromEntries(tasks.map((t) => [t.title, t]));
  const added = byTitle['Offline quick task, edited'];
  same([added.version, added.tags, added.completed], [2, ['offline'], false], 'the added task: created, then edited once');
  const edited = byTitle['Edited offline'];
  same([edited.id, edited.version, edited.description], [editMe.id, 2, 'typed without a network'], 'the edit, once');
  const completed = byTitle['Complete me'];
  same([completed.id, completed.version, completed.completed], [completeMe.id, 2, true], 'the completion, once');
  same(byTitle['Leave me'].version, untouched.version, 'the untouched task is as it was');
  for (const [task, types] of [[added, ['task.created', 'task.updated']], [edited, ['task.created', 'task.updated']],
    [completed, ['task.created', 'task.completed']]]) {
    await eventually(`the history of “${task.title}” holds each change once`, () => history(task.id),
      (h) => JSON.stringify(h) === JSON.stringify(types), 10000);
  }
  await eventually('the page lists the tasks as the server has them', () => titles(page),
    (t) => JSON.stringify([...t].sort()) === JSON.stringify(['Edited offline', 'Leave me', 'Offline quick task, edited']));

  step('a conflict: this tab edits offline while a second tab renames the same task');
  await context.setOffline(true);
  await edit(page, 'Leave me', { Title: 'Mine, typed offline' });
  await eventually('the edit waits', () => waiting(page), (t) => t === '1 change waiting to be sent');
  const other = await openPage(browser, `${base}/#token=${token}`, 'T2');
  await connected(other.page);
  await view(other.page, 'all');
  await eventually('the second tab lists the task', () => row(other.page, 'Leave me').count(), (n) => n === 1);
  await edit(other.page, 'Leave me', { Title: 'Theirs, saved online' });
  await eventually('the server has the second tab\'s title',
    async () => (await api('GET', `/tasks/${untouched.id}`)).title, (t) => t === 'Theirs, saved online');
  await context.setOffline(false);
  const dialog = page.getByRole('dialog', { name: 'Changed elsewhere' });
  await eventually('the conflict is shown', () => dialog.isVisible(), (v) => v, 20000);
  same(await dialog.locator('tr[data-field="title"] td').allTextContents(), ['Mine, typed offline', 'Theirs, saved online'],
    'both titles, mine first');
  same(await page.evaluate(() => document.activeElement.closest('dialog')?.id), 'conflict', 'the keyboard is in the dialog');
  await page.keyboard.press('Escape');
  same(await dialog.isVisible(), true, 'Escape does not choose');
  await screenshot(page, '52-offline-conflict');
  await dialog.getByRole('button', { name: 'Keep mine' }).click();
  await eventually('the server keeps mine', async () => (await api('GET', `/tasks/${untouched.id}`)).title,
    (t) => t === 'Mine, typed offline', 10000);
  await eventually('the second tab follows', () => row(other.page, 'Mine, typed offline').count(), (n) => n === 1);
  await eventually('the history: created, their rename, mine, each once', () => history(untouched.id),
    (h) => JSON.stringify(h) === JSON.stringify(['task.created', 'task.updated', 'task.updated']), 10000);
  same((await api('GET', `/tasks/${untouched.id}`)).version, 3, 'two edits, no more');

  step('another conflict, settled the other way: take theirs');
  await context.setOffline(true);
  await edit(page, 'Edited offline', { Title: 'Mine again' });
  await edit(other.page, 'Edited offline', { Title: 'Theirs again' });
  await eventually('the server has the second tab\'s title', async () => (await api('GET', `/tasks/${editMe.id}`)).title,
    (t) => t === 'Theirs again');
  await context.setOffline(false);
  await eventually('the conflict is shown', () => dialog.isVisible(), (v) => v, 20000);
  await dialog.getByRole('button', { name: 'Take theirs' }).click();
  await eventually('nothing waits', () => outbox(page).isVisible(), (v) => !v, 10000);
  await eventually('this tab shows theirs', () => row(page, 'Theirs again').count(), (n) => n === 1);
  const kept = await api('GET', `/tasks/${editMe.id}`);
  same([kept.title, kept.version], ['Theirs again', 3], 'the server has theirs, and mine was never sent');
  await other.context.close();
  await context.close();
});
