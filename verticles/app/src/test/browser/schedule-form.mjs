// Recurrence and reminders through the task forms: set in the "New task" panel and saved (read
// back from the API), shown in the list and in the task's side panel with the next occurrences and
// the series; edited there, where the API's 400 reasons appear next to the field they are about.
// BASE_URL; TOKEN; SCREENSHOT_DIR.
import {
  apiAs, assert, connected, env, eventually, newTask, openPage, openTask, row, run, same, screenshot, step, view,
} from './lib.mjs';

const base = env('BASE_URL');
const token = env('TOKEN');

const api = apiAs(base, token);

async function taskId(page, title) {
  return row(page, title).getAttribute('data-id');
}

run(async (browser) => {
  const { page } = await openPage(browser, `${base}/#token=${token}`, 'page');
  await connected(page);
  await view(page, 'all');
  const form = await newTask(page);

  step('create a task due 31 Jan 09:00 New York, monthly, with a reminder a day before and one at a time');
  await form.getByLabel('Title', { exact: true }).fill('Pay the rent');
  await form.getByLabel('Kind').selectOption('time');
  await form.getByLabel('Date and time').fill('2026-01-31T09:00');
  await form.getByLabel('Time zone').fill('America/New_York');
  await form.getByLabel('Repeats', { exact: true }).selectOption('monthly');
  assert(await form.getByLabel('Month ends').isVisible(), 'monthly offers the month-end choice');
  assert(!(await form.locator('[name=repeatRule]').isVisible()), 'a preset hides the custom rule');
  await form.getByLabel('Next one counts from').selectOption('schedule');
  await form.getByRole('button', { name: 'Add a reminder' }).click();
  await form.getByRole('button', { name: 'Add a reminder' }).click();
  const reminders = form.locator('.reminders-edit > li');
  same(await reminders.count(), 2, 'two reminder rows');
  await reminders.nth(0).getByLabel('How long before').fill('1');
  await reminders.nth(0).getByLabel('Unit').selectOption('days');
  same(await form.getByText('Repeats', { exact: true }).count(), 1, 'one "Repeats", not a legend and a label');
  await reminders.nth(1).getByLabel('When').selectOption('at');
  await reminders.nth(1).getByLabel(/^At /).fill('2030-01-30T18:00');
  await screenshot(page, '11-create-recurring');
  await form.getByRole('button', { name: 'Add task' }).click();
  // listed at once, marked pending until the server has it: then it has its id, and the form,
  // whose errors would have shown the server's refusal, starts over
  await eventually('the task is listed and saved', async () => {
    const listed = row(page, 'Pay the rent');
    return (await listed.count()) === 1 && (await listed.getAttribute('data-pending')) === 'false';
  }, (saved) => saved);
  await eventually('the create form starts over', () => form.locator('.reminders-edit > li').count(),
    (n) => n === 0);

  step('saved: the API reads back the rule and both reminders');
  const id = await taskId(page, 'Pay the rent');
  const saved = await api('GET', `/tasks/${id}`);
  assert(/FREQ=MONTHLY/.test(saved.recurrence.rule) && /SKIP=BACKWARD/.test(saved.recurrence.rule),
    `monthly with SKIP=BACKWARD: ${saved.recurrence.rule}`);
  same(saved.recurrence.mode, 'schedule', 'mode');
  same(saved.reminders.length, 2, 'two reminders');
  same(saved.reminders[0], { before: 'PT24H' }, 'a day before');
  same(Date.parse(saved.reminders[1].at), Date.parse(new Date(2030, 0, 30, 18, 0).toISOString()),
    'at 18:00 on 30 Jan 2030 in the browser\'s zone');
  const meta = row(page, 'Pay the rent').locator('.meta');
  same(await meta.locator('.repeats').textContent(), 'Repeats monthly', 'the list says it repeats');
  same(await meta.locator('.reminder-count').textContent(), '2 reminders', 'and has reminders');

  step('the side panel: the next five occurrences as the API previews them, and the series');
  await page.keyboard.press('Escape');
  const details = await openTask(page, 'Pay the rent');
  await eventually('five occurrences', () => details.locator('#details-occurrences li').count(), (n) => n === 5);
  const preview = await api('GET', `/tasks/${id}/occurrences?limit=5`);
  same(await details.locator('#details-occurrences time').evaluateAll((ts) => ts.map((t) => t.dateTime)),
    preview.items.map((o) => o.start), 'the page shows the API\'s occurrences');
  assert(/\b9:00\b/.test(await details.locator('#details-occurrences li').first().textContent()),
    'each at 9:00 New York time');
  same(await details.locator('#details-series li').count(), 1, 'the series so far: this one');
  same(await details.locator('.reminders-edit > li').count(), 2, 'both reminders are in the panel\'s form');
  await screenshot(page, '12-task-details');
  await page.keyboard.press('Escape');
  await eventually('the panel closes with Escape', () => details.isVisible(), (v) => !v);

  step('edit: the form shows the preset; a bad custom rule gets the API\'s reason next to the field');
  await row(page, 'Pay the rent').getByRole('button', { name: 'Edit “Pay the rent”' }).click();
  const edit = page.locator('#panel form.edit-form');
  const repeat = edit.locator('[name=repeat]');
  await repeat.waitFor();
  same(await repeat.inputValue(), 'monthly', 'the saved rule shows as the monthly preset');
  same(await edit.locator('[name=repeatSkip]').inputValue(), 'backward', 'month ends: backward');
  same(await edit.locator('.reminders-edit > li').count(), 2, 'both reminders are in the form');
  same(await edit.locator('.reminders-edit > li').nth(0).getByLabel('How long before').inputValue(), '1', '1 ...');
  same(await edit.locator('.reminders-edit > li').nth(0).getByLabel('Unit').inputValue(), 'days', '... day');
  await screenshot(page, '13-edit-recurrence');
  await repeat.selectOption('custom');
  const rule = edit.getByLabel('Rule', { exact: true });
  await rule.fill('FREQ=MONTHLY;BYMONTHDAY=32');
  await edit.getByRole('button', { name: 'Save' }).click();
  const ruleError = edit.locator('[data-error-for="recurrence.rule"]');
  await eventually('the rule\'s error is shown next to it', () => ruleError.textContent(),
    (t) => /BYMONTHDAY=32 is out of range/.test(t || ''));
  same(await rule.getAttribute('aria-invalid'), 'true', 'the rule is marked invalid');
  assert((await rule.getAttribute('aria-describedby')).includes(await ruleError.getAttribute('id')),
    'the rule is described by its error');
  await screenshot(page, '14-rule-error');

  step('a good rule, one reminder changed and one removed: saved');
  await rule.fill('FREQ=MONTHLY;BYDAY=-1FR');
  await edit.locator('.reminders-edit > li').nth(0).getByLabel('How long before').fill('2');
  await edit.locator('.reminders-edit > li').nth(0).getByLabel('Unit').selectOption('hours');
  await edit.getByRole('button', { name: 'Remove reminder 2' }).click();
  await edit.getByRole('button', { name: 'Save' }).click();
  await eventually('the edit form closes', () => edit.count(), (n) => n === 0);
  const edited = await api('GET', `/tasks/${id}`);
  assert(/BYDAY=-1FR/.test(edited.recurrence.rule), `the new rule: ${edited.recurrence.rule}`);
  same(edited.reminders, [{ before: 'PT2H' }], 'one reminder, two hours before');
  await eventually('the list follows', () => row(page, 'Pay the rent').locator('.repeats').textContent(),
    (t) => t === 'Repeats: RSCALE=GREGORIAN;FREQ=MONTHLY;BYDAY=-1FR' || t === 'Repeats: FREQ=MONTHLY;BYDAY=-1FR');

  step('a title-only edit sends no recurrence (a rule in a patch applies anew from that occurrence)');
  await row(page, 'Pay the rent').getByRole('button', { name: 'Edit “Pay the rent”' }).click();
  const patches = [];
  page.on('request', (r) => { if (r.method() === 'PATCH') patches.push(JSON.parse(r.postData())); });
  await edit.getByLabel('Title').fill('Pay the rent!');
  await edit.getByRole('button', { name: 'Save' }).click();
  await eventually('renamed', () => row(page, 'Pay the rent!').count(), (n) => n === 1);
  same(patches, [{ title: 'Pay the rent!' }], 'the patch holds the title only');

  step('the API\'s reasons in the create form: a reminder before the due needs a due; a series needs one too');
  await newTask(page);
  await form.getByLabel('Title', { exact: true }).fill('No due');
  await form.getByRole('button', { name: 'Add a reminder' }).click();
  await form.getByRole('button', { name: 'Add task' }).click();
  await eventually('the reminders\' error', () => form.locator('[data-error-for="reminders"]').textContent(),
    (t) => /needs a dueDate or dueAt/.test(t || ''));
  await form.getByRole('button', { name: 'Remove reminder 1' }).click();
  await form.getByLabel('Repeats', { exact: true }).selectOption('daily');
  await form.getByRole('button', { name: 'Add task' }).click();
  await eventually('the due\'s error', () => form.locator('[data-error-for="dueDate dueAt timeZone"]').textContent(),
    (t) => /recurring task needs/.test(t || ''));
  same(await form.locator('[data-error-for="reminders"]').isVisible(), false, 'the old error is gone');

  step('checked before asking: an empty lead time is marked on its row');
  await form.getByLabel('Repeats', { exact: true }).selectOption('none');
  await form.getByRole('button', { name: 'Add a reminder' }).click();
  await form.locator('.reminders-edit > li').nth(0).getByLabel('How long before').fill('');
  await form.getByRole('button', { name: 'Add task' }).click();
  await eventually('the row\'s error', () => form.locator('.reminders-edit > li .field-error').last().textContent(),
    (t) => /whole number/.test(t || ''));
  same(await page.evaluate(() => document.activeElement.name), 'reminderAmount', 'focus goes to the marked field');
});
