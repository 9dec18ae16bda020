// The sidebar's counts (GET /tasks/counts) and saved filters (/filters): every view's count is the
// API's and follows a change; a search saved as a filter becomes a view with its count; a name
// already taken is said in the dialog; renamed; deleted.
// BASE_URL; TOKEN; SCREENSHOT_DIR.
import { createRequire } from 'node:module';
import { apiAs, assert, connected, env, eventually, openPage, row, run, same, screenshot, step, titles, view } from './lib.mjs';

const require = createRequire(new URL('../../main/web/package.json', import.meta.url));
const { AxeBuilder } = require('@axe-core/playwright');

const base = env('BASE_URL');
const token = env('TOKEN');

const api = apiAs(base, token);

const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

/** The counts the sidebar shows, by its data-count keys ('' when it shows none). */
const shown = (page) => page.locator('#sidebar [data-count]').evaluateAll((spans) =>
  Object.fromEntries(spans.map((s) => [s.dataset.count, s.hidden ? '' : s.textContent])));

function expected(counts) {
  const n = (v) => (v > 0 ? String(v) : '');
  const out = { today: n(counts.today), upcoming: n(counts.upcoming), inbox: n(counts.inbox), open: n(counts.open),
    completed: n(counts.completed), trash: n(counts.trash) };
  for (const [id, v] of Object.entries(counts.filters || {})) out[`filter:${id}`] = n(v);
  return out;
}

run(async (browser) => {
  step('tasks in every view');
  await api('POST', '/tasks', { title: 'Late report', dueDate: day(-3), tags: ['work'] });
  await api('POST', '/tasks', { title: 'Team call', dueDate: day(0), tags: ['work'] });
  await api('POST', '/tasks', { title: 'Dentist', dueDate: day(4) });
  await api('POST', '/tasks', { title: 'Learn Go', tags: ['work'] });
  await api('POST', '/tasks', { title: 'Paint the fence' });
  const done = await api('POST', '/tasks', { title: 'Filed taxes' });
  await api('POST', `/tasks/${done.id}/complete`);
  const gone = await api('POST', '/tasks', { title: 'Old plan' });
  await fetch(`${base}/api/v1/tasks/${gone.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });

  const { page } = await openPage(browser, `${base}/#token=${token}`, 'filters');
  await connected(page);
  const tz = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const counts = () => api('GET', `/tasks/counts?tz=${encodeURIComponent(tz)}`);

  step('every view\'s count is the API\'s');
  let want = expected(await counts());
  same(want.today, '2', 'the API counts today with the overdue one');
  await eventually('the sidebar shows the API\'s counts', () => shown(page), (s) => JSON.stringify(s) === JSON.stringify(want));
  same((await page.locator('#sidebar [data-count="today"]').getAttribute('class')).includes('alert'), true,
    'Today\'s count says something is overdue');

  step('a search saved as a filter is a view with its count');
  await page.locator('#search-input').fill('tag:work');
  await eventually('the search finds three', () => titles(page), (t) => t.length === 3);
  await page.getByRole('button', { name: 'Save as filter' }).click();
  await page.locator('#filter-name').fill('Work');
  await page.keyboard.press('Enter');
  await eventually('the filter\'s view', () => page.locator('#view-title').textContent(), (t) => t === 'Work');
  const saved = (await api('GET', '/filters')).items;
  same(saved.map((f) => [f.name, f.filter]), [['Work', 'tag:work']], 'saved as typed');
  assert(new URL(page.url()).hash === `#filter/${saved[0].id}`, 'the address names the filter');
  await eventually('the filter lists what the search found', () => titles(page),
    (t) => t.join() === 'Learn Go,Team call,Late report');
  want = expected(await counts());
  await eventually('the sidebar lists it with its count', () => shown(page), (s) => s[`filter:${saved[0].id}`] === '3');
  await screenshot(page, '25-saved-filter');
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    same(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`), [],
      `axe finds nothing on a saved filter's view (${colorScheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  step('a second filter of the same name: the server\'s reason stays in the dialog');
  await page.locator('#search-input').fill('no:due');
  await eventually('searched', () => titles(page), (t) => t.length === 2);
  await page.getByRole('button', { name: 'Save as filter' }).click();
  await page.locator('#filter-name').fill('work');
  await page.keyboard.press('Enter');
  await eventually('the dialog says the name is taken', () => page.locator('#filter-dialog-error').textContent(),
    (t) => /already the name/.test(t || ''));
  same(await page.locator('#filter-dialog').isVisible(), true, 'the dialog stays');
  await page.getByRole('button', { name: 'Cancel' }).click();

  step('renamed from its view; the counts follow a completion');
  await page.locator(`#sidebar a[href="#filter/${saved[0].id}"]`).click();
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.locator('#filter-name').fill('Job');
  await page.keyboard.press('Enter');
  await eventually('renamed in the sidebar and the heading', () => page.locator('#view-title').textContent(), (t) => t === 'Job');
  same(await page.locator(`#sidebar a[href="#filter/${saved[0].id}"]`).textContent(), 'Job3', 'the sidebar entry');
  await row(page, 'Team call').getByRole('checkbox').click();
  await eventually('Today counts one less', () => shown(page), (s) => s.today === '1' && s[`filter:${saved[0].id}`] === '2');
  want = expected(await counts());
  same(await shown(page), want, 'the API agrees');

  step('deleted: gone from the sidebar, the page goes to All');
  await page.getByRole('button', { name: 'Delete filter' }).click();
  await eventually('All', () => page.locator('#view-title').textContent(), (t) => t === 'All');
  same(await page.locator('#saved-filters li').count(), 0, 'no saved filter listed');
  same((await api('GET', '/filters')).items, [], 'none on the server');
  await view(page, 'today');
});
