// Never miss an update: the bridge process is SIGKILLed, tasks change through the API meanwhile,
// a new bridge process starts on the same port; the page reconnects, catches up with /sync and
// shows every change exactly once, in order, then goes on with live pushes.
// API_URL (api, kafka, audit), BRIDGE_URL (bridge alone, clustered), TOKEN; BrowserIT answers
// "@@ kill-bridge" and "@@ start-bridge".
import {
  assert, connected, connection, control, env, eventually, log, openPage, openTask, row, run, same,
  screenshot, step, titles, view,
} from './lib.mjs';
import { startProxy } from './proxy.mjs';

const apiUrl = env('API_URL');
const token = env('TOKEN');

async function api(method, path, body) {
  const response = await fetch(`${apiUrl}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function activity(page) {
  return (await page.locator('#activity li').evaluateAll((items) => items.map((i) => ({
    seq: +i.dataset.seq, how: i.dataset.how, title: i.querySelector('.activity-title').textContent,
  })))).reverse();
}

function checkOrder(entries, what) {
  const seqs = entries.map((e) => e.seq);
  same(seqs, [...new Set(seqs)].sort((a, b) => a - b), `${what}: sequence numbers unique and ascending`);
}

run(async (browser) => {
  const proxy = await startProxy(apiUrl, env('BRIDGE_URL'));
  try {
    const { page } = await openPage(browser, `${proxy.url}/#token=${token}`, 'tab');
    await connected(page, 20000);
    await view(page, 'all');
    await page.locator('#sort').selectOption('created-asc');

    step('a change while connected arrives live');
    const before = await api('POST', '/tasks', { title: 'before' });
    await eventually('the page shows it', () => row(page, 'before').count(), (n) => n === 1, 10000);

    step('the bridge process dies (SIGKILL)');
    await control('kill-bridge');
    await eventually('the indicator leaves "connected"', () => connection(page),
      (s) => s === 'reconnecting' || s === 'offline', 10000);
    await screenshot(page, '09-reconnecting');

    step('changes meanwhile, through the API');
    const ids = [];
    for (const title of ['1', '2', '3', '4', '5']) {
      ids.push((await api('POST', '/tasks', { title })).id);
    }
    await api('POST', `/tasks/${before.id}/complete`);
    await api('PATCH', `/tasks/${ids[2]}`, { priority: 'high' });
    await api('PATCH', `/tasks/${ids[3]}`, { description: 'changed twice' });
    await api('PATCH', `/tasks/${ids[3]}`, { description: 'changed twice, really' });
    assert(['reconnecting', 'offline'].includes(await connection(page)), 'still disconnected');

    step('a new bridge process on the same port');
    await control('start-bridge');
    const ms = await eventually('the page reconnects', () => connection(page), (s) => s === 'connected', 30000);
    log(`reconnected ${ms} ms after the new bridge was ready`);
    await eventually('every task once, in creation order', () => titles(page),
      (t) => t.join() === '1,2,3,4,5', 5000);
    same(await row(page, '3').locator('.priority').textContent(), 'High priority', 'the change to 3');
    const panel = await openTask(page, '4');
    same(await panel.getByLabel('Description').inputValue(), 'changed twice, really', 'the latest of 4');
    await page.keyboard.press('Escape');
    await screenshot(page, '10-caught-up');
    await view(page, 'completed');
    await eventually('"before" is there once, completed', () => row(page, 'before').getAttribute('data-completed'),
      (v) => v === 'true');
    same(await titles(page), ['before'], 'the completed task, once');
    await view(page, 'all');
    await eventually('the open ones again', () => titles(page), (t) => t.join() === '1,2,3,4,5');

    let entries = await activity(page);
    checkOrder(entries, 'after catching up');
    for (const title of ['1', '2', '3', '5', '4', 'before']) {
      const count = entries.filter((e) => e.title === title).length;
      // "before" may first reach the page through the list the sort change reloads rather than
      // as a change (no entry then); its completion is always one. Never more than its changes.
      assert(title === 'before' ? count === 1 || count === 2 : count === 1,
        `"${title}" applied once per change the page saw (${count} entries)`);
    }

    step('pushes go on after the catch-up');
    await control('await-registration'); // the page's registration reached the publishing node
    await api('POST', '/tasks', { title: '6' });
    await eventually('6 arrives', () => titles(page), (t) => t.join() === '1,2,3,4,5,6', 5000);
    entries = await activity(page);
    checkOrder(entries, 'at the end');
    const six = entries.filter((e) => e.title === '6');
    same(six.length, 1, '6 applied once');
    log(`6 arrived ${six[0].how === 'live' ? 'as a push' : 'through /sync'}`);
    same(six[0].how, 'live', 'the push of 6');
  } finally {
    proxy.close();
  }
});
