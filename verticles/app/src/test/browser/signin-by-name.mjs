// The embedded developer default: a person signs in by choosing a user name, works, reloads,
// signs out. BASE_URL: a taskbus started with no configuration; USER_NAME: a fresh name.
import {
  connected, env, eventually, newTask, openPage, row, run, same, screenshot, step, titles, view,
} from './lib.mjs';

const base = env('BASE_URL');
const name = env('USER_NAME');

run(async (browser) => {
  const { page } = await openPage(browser, `${base}/`, 'dev');

  step('the sign-in page asks for a user name');
  await page.locator('#name-input').waitFor({ state: 'visible', timeout: 10000 });
  same(await page.locator('#app').isVisible(), false, 'the task view is hidden before sign-in');
  await screenshot(page, '01-sign-in-by-name');

  step('sign in by name with the keyboard');
  await page.locator('#name-input').fill(name);
  await page.keyboard.press('Enter');
  await eventually('the header names the user', () => page.locator('#user-name').textContent(),
    (t) => t === name);
  await connected(page);
  await eventually('a new user has nothing due today', () => page.locator('#empty').textContent(),
    (t) => t === 'Nothing due today.');
  same(await page.locator('#create-form').count(), 0, 'no create form until "New task"');

  step('create a task');
  await view(page, 'all');
  const form = await newTask(page);
  await form.getByLabel('Title', { exact: true }).fill('hello from the browser');
  await page.keyboard.press('Enter');
  await eventually('the new task is listed', () => titles(page), (t) => t.includes('hello from the browser'));
  await page.keyboard.press('Escape');
  await eventually('its change arrives live', () => page.locator('#activity li').count(), (n) => n >= 1);

  step('a reload keeps the session (sessionStorage) and shows the task again');
  await page.reload();
  await eventually('still signed in', () => page.locator('#user-name').textContent(), (t) => t === name);
  await eventually('the task is still listed', () => titles(page), (t) => t.length === 1);
  await connected(page);
  await screenshot(page, '02-signed-in-by-name');
  same(await row(page, 'hello from the browser').count(), 1, 'one row for the task');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, '02b-phone-width');
  step('at phone width the sidebar is a drawer behind the menu button');
  same(await page.locator('#sidebar a[href="#today"]').isVisible(), false, 'the drawer is closed');
  await page.locator('#menu-button').click();
  await page.locator('#sidebar a[href="#today"]').click();
  await eventually('Today, and the drawer closes', () => page.locator('#view-title').textContent(), (t) => t === 'Today');
  await eventually('the drawer closed', () => page.locator('#sidebar a[href="#today"]').isVisible(), (v) => !v);
  await page.setViewportSize({ width: 1280, height: 900 });

  step('sign out');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#name-input').waitFor({ state: 'visible' });
  same(await page.evaluate(() => sessionStorage.getItem('taskbus.token')), null, 'the token is gone');
});
