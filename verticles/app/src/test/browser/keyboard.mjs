// The main flows with the keyboard alone: q goes to the quick-add line, Enter adds, Escape leaves
// it; j/k move the selection; x completes, u undoes; e edits in the side panel; Delete
// moves to the trash; ? lists the shortcuts; keys typed into a field stay in the field; "New task"
// opens its panel with the keyboard in the title, Escape closes it.
// BASE_URL; TOKEN; SCREENSHOT_DIR.
import { apiAs, assert, connected, env, eventually, openPage, row, run, same, screenshot, step, titles } from './lib.mjs';

const base = env('BASE_URL');
const token = env('TOKEN');

const api = apiAs(base, token);

const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { id: a.id, name: a.name || null, row: a.closest('li[data-id]')?.querySelector('.title')?.textContent || null };
});
const selected = (page) => page.locator('#task-list > li[aria-current="true"] .title').allTextContents();

run(async (browser) => {
  const { page } = await openPage(browser, `${base}/#token=${token}`, 'keys');
  await connected(page);
  await page.evaluate(() => { location.hash = '#inbox'; });
  await eventually('the Inbox', () => page.locator('#view-title').textContent(), (t) => t === 'Inbox');

  step('q goes to the quick-add line; Enter adds and the line stays for the next; Escape leaves it');
  await page.keyboard.press('q');
  for (const title of ['Alpha', 'Beta', 'Gamma']) {
    await eventually('the quick-add line has the keyboard', () => focused(page), (f) => f.id === 'quick-add-input');
    await page.keyboard.type(title);
    await page.keyboard.press('Enter');
    await eventually(`"${title}" is listed`, () => row(page, title).count(), (n) => n === 1);
  }
  await screenshot(page, '22-keyboard-new-task');
  await page.keyboard.press('Escape');
  await eventually('Escape on the empty line leaves it', () => focused(page), (f) => f.id !== 'quick-add-input');
  same(await titles(page), ['Gamma', 'Beta', 'Alpha'], 'newest first');

  step('j and k move the selection, and the keyboard with it');
  await page.keyboard.press('j');
  same(await selected(page), ['Gamma'], 'j selects the first');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  same(await selected(page), ['Beta'], 'j, j, k: the second');
  same((await focused(page)).row, 'Beta', 'the focus is on its row');

  step('x completes the selected task: it leaves, the next is selected; u undoes');
  await page.keyboard.press('x');
  await eventually('Beta leaves the Inbox', () => titles(page), (t) => t.join() === 'Gamma,Alpha');
  same(await selected(page), ['Alpha'], 'the selection moved on');
  await eventually('the snackbar offers Undo', () => page.locator('#snackbar').textContent(), (t) => /Completed “Beta”.*Undo/.test(t));
  await screenshot(page, '23-keyboard-completed-undo');
  await page.keyboard.press('u');
  await eventually('Beta is back', () => titles(page), (t) => t.join() === 'Gamma,Beta,Alpha');
  const beta = (await api('GET', '/tasks?status=all&q=Beta')).items[0];
  same(beta.completed, false, 'reopened on the server');

  step('e opens the selected task in the side panel, in its title; Enter saves and the keyboard comes back');
  await page.keyboard.press('e');
  await eventually('the panel shows Alpha', () => page.locator('#panel-title').textContent(), (t) => t === 'Alpha');
  await eventually('the title field has the keyboard', () => focused(page), (f) => f.name === 'title');
  await page.keyboard.press('End');
  await page.keyboard.type(' edited');
  await page.keyboard.press('Enter');
  await eventually('saved and closed', () => page.locator('#panel').isVisible(), (v) => !v);
  await eventually('the list shows the new title', () => titles(page), (t) => t.includes('Alpha edited'));
  same((await focused(page)).row, 'Alpha edited', 'the keyboard is back on its row');

  step('Delete moves it to the trash');
  await page.keyboard.press('Delete');
  await eventually('gone from the Inbox', () => titles(page), (t) => t.join() === 'Gamma,Beta');
  await eventually('in the trash', async () => (await api('GET', '/trash')).items.map((t) => t.title), (t) => t.includes('Alpha edited'));

  step('keys typed into a field stay there');
  await page.keyboard.press('/');
  same((await focused(page)).id, 'search-input', '/ goes to the search field');
  await page.keyboard.type('jk x');
  same(await page.locator('#search-input').inputValue(), 'jk x', 'typed, not shortcuts');
  await page.keyboard.press('Escape');
  same(await page.locator('#search-input').inputValue(), '', 'Escape clears the search');

  step('? lists the shortcuts; Escape closes the list');
  await page.locator('#task-list .title').first().focus();
  await page.keyboard.press('?');
  await eventually('the shortcuts dialog', () => page.locator('#shortcuts').isVisible(), (v) => v);
  assert((await page.locator('#shortcuts').textContent()).includes('Move the selected task to the trash'), 'lists Delete');
  await screenshot(page, '24-shortcuts');
  await page.keyboard.press('Escape');
  await eventually('closed', () => page.locator('#shortcuts').isVisible(), (v) => !v);

  step('"New task" opens the full form with the keyboard in its title; Escape closes it');
  await page.locator('#new-task').focus();
  await page.keyboard.press('Enter');
  await eventually('the title field has the keyboard', () => focused(page), (f) => f.name === 'title');
  await page.keyboard.type('Delta');
  await page.keyboard.press('Enter');
  await eventually('"Delta" is listed', () => row(page, 'Delta').count(), (n) => n === 1);
  await page.keyboard.press('Escape');
  await eventually('Escape closes the panel', () => page.locator('#panel').isVisible(), (v) => !v);
  same((await focused(page)).id, 'new-task', 'the keyboard is back on "New task"');
});
