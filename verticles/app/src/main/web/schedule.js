// Recurrence and reminders in the task forms: the "Repeats" and "Remind me" fieldsets (built here
// for the create form and every inline edit alike), reading them into API members, filling them
// from a task, and the short texts the list and the details show.
//
// The API answers a recurrence as {rule, mode, overdue}, a preset turned into the rule it stands
// for (monthly → "RSCALE=GREGORIAN;FREQ=MONTHLY;SKIP=BACKWARD"). The form shows such a rule as the
// preset again, so editing a monthly task does not confront anyone with RRULE syntax.
import { $, $$, el, field, FieldErrors } from './dom.js';
import { browserZone, toZonedLocal, zonedToOffsetDateTime } from './due.js';
import { formatWhen } from './when.js';

const PRESETS = ['daily', 'weekdays', 'weekly', 'monthly', 'yearly'];
const UNIT = { daily: 'day', weekdays: 'week', weekly: 'week', monthly: 'month', yearly: 'year' };
const MONTH_ENDS = new Set(['monthly', 'yearly']);
export const REMINDERS_MAX = 10;

// ---------------------------------------------------------------------------------------------
// Rules and presets

function ruleParts(rule) {
  const parts = {};
  for (const part of String(rule || '').toUpperCase().split(';')) {
    const [key, value] = part.split('=');
    if (key) parts[key.trim()] = (value || '').trim();
  }
  return parts;
}

/**
 * The preset a rule stands for, {preset, interval, skip}, or null when it is a custom rule.
 * RSCALE=GREGORIAN is what the server adds for SKIP; it changes nothing for these presets.
 */
export function presetOf(rule) {
  const p = ruleParts(rule);
  if (p.RSCALE === 'GREGORIAN') delete p.RSCALE;
  const { FREQ: freq, INTERVAL: interval = '1', BYDAY: byday, SKIP: skip, ...rest } = p;
  if (Object.keys(rest).length || !/^\d+$/.test(interval)) return null;
  const n = Number(interval);
  if (freq === 'DAILY' && !byday && !skip) return { preset: 'daily', interval: n };
  if (freq === 'WEEKLY' && !skip && byday === 'MO,TU,WE,TH,FR') return { preset: 'weekdays', interval: n };
  if (freq === 'WEEKLY' && !skip && !byday) return { preset: 'weekly', interval: n };
  if ((freq === 'MONTHLY' || freq === 'YEARLY') && !byday && (!skip || /^(BACKWARD|FORWARD)$/.test(skip))) {
    return { preset: freq.toLowerCase(), interval: n, skip: skip ? skip.toLowerCase() : 'omit' };
  }
  return null;
}

const EVERY = { daily: 'Daily', weekdays: 'Every weekday', weekly: 'Weekly', monthly: 'Monthly', yearly: 'Yearly' };

/** "Monthly", "Every 2 weeks on weekdays", "FREQ=MONTHLY;BYDAY=-1FR", with the mode when not the default. */
export function describeRecurrence(recurrence) {
  if (!recurrence) return null;
  const preset = presetOf(recurrence.rule);
  let text;
  if (!preset) {
    text = `Repeats: ${recurrence.rule}`;
  } else if (preset.interval === 1) {
    text = `Repeats ${EVERY[preset.preset].toLowerCase()}`;
  } else {
    text = `Repeats every ${preset.interval} ${UNIT[preset.preset]}s${preset.preset === 'weekdays' ? ' on weekdays' : ''}`;
  }
  return recurrence.mode === 'completion' ? `${text}, counted from completion` : text;
}

// ---------------------------------------------------------------------------------------------
// Durations: "PT15M", "PT24H", "P1D" (the server answers Java's Duration form, never days)

export function parseDuration(text) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(String(text || ''));
  if (!m || text === 'P' || text === 'PT') return null;
  const [d, h, mi, s] = m.slice(1).map((x) => Number(x || 0));
  return ((d * 24 + h) * 60 + mi) * 60 + s;
}

/** Seconds as the largest unit that divides them: {amount, unit}. */
function leadParts(seconds) {
  if (seconds > 0 && seconds % 86400 === 0) return { amount: seconds / 86400, unit: 'days' };
  if (seconds > 0 && seconds % 3600 === 0) return { amount: seconds / 3600, unit: 'hours' };
  return { amount: Math.round(seconds / 60), unit: 'minutes' };
}

const ISO_UNIT = { minutes: (n) => `PT${n}M`, hours: (n) => `PT${n}H`, days: (n) => `P${n}D` };

/** A reminder in words; an absolute one in the browser's zone, as the form takes it. */
export function describeReminder(reminder) {
  if (reminder.at) {
    return formatWhen(reminder.at);
  }
  const seconds = parseDuration(reminder.before);
  if (seconds === null) return `${reminder.before} before`;
  if (seconds === 0) return 'When it is due';
  const { amount, unit } = leadParts(seconds);
  return `${amount} ${amount === 1 ? unit.slice(0, -1) : unit} before`;
}

// ---------------------------------------------------------------------------------------------
// The "Repeats" fieldset

/** A control named by another element (the fieldset's legend), with the field's error slot. */
function unlabelled(labelId, control, options) {
  const wrapped = field('', control, options);
  $('label', wrapped).remove();
  control.setAttribute('aria-labelledby', labelId);
  return wrapped;
}

/** The fieldset; `id` makes its controls' ids unique in the page. */
export function recurrenceFieldset(id) {
  // the legend names the select too: one "Repeats", not a legend and a label saying it twice
  const fs = el('fieldset', { class: 'repeat', dataset: { recurrence: '' } },
    el('legend', { id: `${id}-legend` }, 'Repeats'),
    el('div', { class: 'row' },
      unlabelled(`${id}-legend`, el('select', { id: `${id}-repeat`, name: 'repeat' },
        el('option', { value: 'none' }, 'Does not repeat'),
        el('option', { value: 'daily' }, 'Daily'),
        el('option', { value: 'weekdays' }, 'Every weekday (Mon–Fri)'),
        el('option', { value: 'weekly' }, 'Weekly'),
        el('option', { value: 'monthly' }, 'Monthly'),
        el('option', { value: 'yearly' }, 'Yearly'),
        el('option', { value: 'custom' }, 'Custom rule (RRULE)')),
      { errorFor: 'recurrence recurrence.preset' }),
      field('Every', el('input', { id: `${id}-interval`, name: 'repeatInterval', type: 'number',
        min: 1, max: 1000, step: 1, value: '1', inputMode: 'numeric' }),
      { errorFor: 'recurrence.interval', props: { dataset: { repeatPreset: '' } } }),
      el('p', { class: 'unit', dataset: { repeatPreset: '', repeatUnit: '' } }),
      field('Month ends', el('select', { id: `${id}-skip`, name: 'repeatSkip' },
        el('option', { value: 'backward' }, 'Last day of shorter months'),
        el('option', { value: 'forward' }, 'First day of the next month'),
        el('option', { value: 'omit' }, 'Skip months without that day')),
      { grow: true, errorFor: 'recurrence.skip', props: { dataset: { repeatMonthEnds: '' } } })),
    field('Rule', el('input', { id: `${id}-rule`, name: 'repeatRule', autocomplete: 'off',
      spellcheck: false, placeholder: 'FREQ=MONTHLY;BYDAY=-1FR' }), {
      errorFor: 'recurrence.rule',
      help: 'An RFC 5545 RRULE: FREQ, INTERVAL, BYDAY (e.g. 3MO, -1FR), BYMONTHDAY, BYMONTH, '
        + 'BYSETPOS, COUNT, UNTIL, and SKIP=BACKWARD for month ends.',
      props: { dataset: { repeatCustom: '' } },
    }),
    el('div', { class: 'row', dataset: { repeatOn: '' } },
      field('Next one counts from', el('select', { id: `${id}-mode`, name: 'repeatMode' },
        el('option', { value: 'schedule' }, 'The schedule'),
        el('option', { value: 'completion' }, 'When I complete it')), { errorFor: 'recurrence.mode' }),
      field('When behind', el('select', { id: `${id}-overdue`, name: 'repeatOverdue' },
        el('option', { value: 'skip' }, 'Skip to the next future one'),
        el('option', { value: 'catch-up' }, 'Catch up one by one')), { grow: true, errorFor: 'recurrence.overdue' })));
  const show = () => {
    const kind = fs.querySelector('[name=repeat]').value;
    for (const f of $$('[data-repeat-preset]', fs)) f.hidden = !PRESETS.includes(kind);
    for (const f of $$('[data-repeat-month-ends]', fs)) f.hidden = !MONTH_ENDS.has(kind);
    for (const f of $$('[data-repeat-custom]', fs)) f.hidden = kind !== 'custom';
    for (const f of $$('[data-repeat-on]', fs)) f.hidden = kind === 'none';
    const n = Number(fs.querySelector('[name=repeatInterval]').value);
    $('[data-repeat-unit]', fs).textContent = UNIT[kind] ? `${UNIT[kind]}${n === 1 ? '' : 's'}` : '';
  };
  fs.addEventListener('input', show);
  fs.addEventListener('change', show);
  fs.refresh = show;
  show();
  return fs;
}

/** The recurrence as the API takes it, or null; throws FieldErrors for what is plainly wrong. */
export function readRecurrence(fs) {
  const kind = $('[name=repeat]', fs).value;
  if (kind === 'none') return null;
  const common = { mode: $('[name=repeatMode]', fs).value, overdue: $('[name=repeatOverdue]', fs).value };
  if (kind === 'custom') {
    const rule = $('[name=repeatRule]', fs).value.trim().replace(/^RRULE:/i, '');
    if (!rule) throw new FieldErrors([{ field: 'recurrence.rule', message: 'Write a rule, e.g. FREQ=WEEKLY;BYDAY=MO,TH.' }]);
    return { rule, ...common };
  }
  const interval = Number($('[name=repeatInterval]', fs).value);
  if (!Number.isInteger(interval) || interval < 1 || interval > 1000) {
    throw new FieldErrors([{ field: 'recurrence.interval', message: 'A whole number from 1 to 1000.' }]);
  }
  const recurrence = { preset: kind, interval, ...common };
  if (MONTH_ENDS.has(kind)) recurrence.skip = $('[name=repeatSkip]', fs).value;
  return recurrence;
}

export function fillRecurrence(fs, recurrence) {
  const set = (name, value) => { $(`[name=${name}]`, fs).value = value; };
  set('repeat', 'none');
  set('repeatInterval', '1');
  set('repeatSkip', 'backward');
  set('repeatRule', '');
  set('repeatMode', 'schedule');
  set('repeatOverdue', 'skip');
  if (recurrence) {
    const preset = presetOf(recurrence.rule);
    if (preset) {
      set('repeat', preset.preset);
      set('repeatInterval', String(preset.interval));
      if (preset.skip) set('repeatSkip', preset.skip);
    } else {
      set('repeat', 'custom');
    }
    // the rule stays in the custom field too: switching to "custom" starts from it
    set('repeatRule', recurrence.rule);
    set('repeatMode', recurrence.mode || 'schedule');
    set('repeatOverdue', recurrence.overdue || 'skip');
  }
  fs.refresh();
}

// ---------------------------------------------------------------------------------------------
// The "Remind me" fieldset: a list of rows, each "N minutes/hours/days before" or "at" a time

let rowSeq = 0;

function reminderRow(fs, reminder) {
  const n = ++rowSeq;
  const id = `${fs.dataset.idBase}-r${n}`;
  const row = el('li', { class: 'reminder', dataset: { itemOf: 'reminders' } },
    el('div', { class: 'row' },
      field('When', el('select', { id: `${id}-kind`, name: 'reminderKind' },
        el('option', { value: 'before' }, 'Before it is due'),
        el('option', { value: 'at' }, 'At a date and time'))),
      field('How long before', el('input', { id: `${id}-amount`, name: 'reminderAmount', type: 'number',
        min: 0, step: 1, value: '15', inputMode: 'numeric', dataset: { errorKey: 'before' } }), { props: { dataset: { remindBefore: '' } } }),
      field('Unit', el('select', { id: `${id}-unit`, name: 'reminderUnit' },
        el('option', { value: 'minutes' }, 'minutes'), el('option', { value: 'hours' }, 'hours'),
        el('option', { value: 'days' }, 'days')), { props: { dataset: { remindBefore: '' } } }),
      field(`At (${browserZone()})`, el('input', { id: `${id}-at`, name: 'reminderAt', type: 'datetime-local', dataset: { errorKey: 'at' } }),
        { props: { dataset: { remindAt: '' } } }),
      el('button', { type: 'button', class: 'secondary remove', dataset: { removeReminder: '' } }, 'Remove')),
    el('p', { class: 'field-error', hidden: true, dataset: { errorFor: '' } }));
  // the row's error slot is the one the API's reminders[i] errors land in
  for (const control of $$('input, select', row)) {
    const ids = control.getAttribute('aria-describedby') || '';
    const slot = $(':scope > .field-error', row);
    slot.id = `${id}-error`;
    control.setAttribute('aria-describedby', `${ids} ${slot.id}`.trim());
  }
  const show = () => {
    const at = $('[name=reminderKind]', row).value === 'at';
    for (const f of $$('[data-remind-before]', row)) f.hidden = at;
    for (const f of $$('[data-remind-at]', row)) f.hidden = !at;
  };
  $('[name=reminderKind]', row).addEventListener('change', show);
  if (reminder && reminder.at) {
    $('[name=reminderKind]', row).value = 'at';
    $('[name=reminderAt]', row).value = toZonedLocal(reminder.at, browserZone());
  } else if (reminder && reminder.before) {
    const { amount, unit } = leadParts(parseDuration(reminder.before) || 0);
    $('[name=reminderAmount]', row).value = String(amount);
    $('[name=reminderUnit]', row).value = unit;
  }
  show();
  return row;
}

function renumber(fs) {
  const rows = $$('[data-item-of="reminders"]', fs);
  rows.forEach((row, i) => {
    $('[data-remove-reminder]', row).setAttribute('aria-label', `Remove reminder ${i + 1}`);
  });
  $('[data-add-reminder]', fs).hidden = rows.length >= REMINDERS_MAX;
  $('[data-no-reminders]', fs).hidden = rows.length > 0;
}

export function remindersFieldset(id) {
  const list = el('ol', { class: 'reminders-edit' });
  const fs = el('fieldset', { class: 'remind', dataset: { reminders: '', idBase: id } },
    el('legend', {}, 'Remind me'),
    el('p', { class: 'hint', dataset: { noReminders: '' } }, 'No reminders.'),
    list,
    el('p', { class: 'field-error', hidden: true, dataset: { errorFor: 'reminders' } }),
    el('button', { type: 'button', class: 'secondary', dataset: { addReminder: '' } }, 'Add a reminder'));
  fs.addEventListener('click', (event) => {
    const remove = event.target.closest('[data-remove-reminder]');
    if (remove) {
      const row = remove.closest('li');
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber(fs);
      fs.dispatchEvent(new Event('input', { bubbles: true }));
      // focus must not fall to the body when its button disappears
      ($('[data-remove-reminder]', next || fs) || $('[data-add-reminder]', fs)).focus();
    } else if (event.target.closest('[data-add-reminder]')) {
      const row = reminderRow(fs, null);
      list.append(row);
      renumber(fs);
      fs.dispatchEvent(new Event('input', { bubbles: true }));
      $('[name=reminderKind]', row).focus();
    }
  });
  renumber(fs);
  return fs;
}

export function fillReminders(fs, reminders) {
  const list = $('ol', fs);
  list.replaceChildren(...(reminders || []).map((r) => reminderRow(fs, r)));
  renumber(fs);
}

/** The reminders as the API takes them; throws FieldErrors naming the row. */
export function readReminders(fs) {
  const errors = [];
  const reminders = $$('[data-item-of="reminders"]', fs).map((row, i) => {
    if ($('[name=reminderKind]', row).value === 'at') {
      const at = zonedToOffsetDateTime($('[name=reminderAt]', row).value, browserZone());
      if (!at) errors.push({ field: `reminders[${i}].at`, message: 'Choose the date and time.' });
      return { at };
    }
    const amount = Number($('[name=reminderAmount]', row).value);
    if ($('[name=reminderAmount]', row).value === '' || !Number.isInteger(amount) || amount < 0) {
      errors.push({ field: `reminders[${i}].before`, message: 'How long before: a whole number, 0 or more.' });
    }
    return { before: ISO_UNIT[$('[name=reminderUnit]', row).value](amount) };
  });
  if (errors.length) throw new FieldErrors(errors);
  return reminders;
}

/** Marks a fieldset as changed by the person (edits send recurrence and reminders only then). */
export function trackChanges(fs) {
  const mark = () => { fs.dataset.changed = 'true'; };
  fs.addEventListener('input', mark);
  fs.addEventListener('change', mark);
  return () => { delete fs.dataset.changed; };
}
