// The full task form (title, description, priority, tags, due, recurrence, reminders) as the side
// panel shows it for a new task and for editing one: building it, filling it from a task, reading
// it into a new task's body or into a merge patch of what changed, and showing the API's reasons
// next to the fields they name.
import { $, $$, el, clearFieldErrors, offerZones, showFieldErrors } from './dom.js';
import { browserZone, isZone, toZonedLocal, zonedToOffsetDateTime } from './due.js';
import {
  fillRecurrence, fillReminders, readRecurrence, readReminders, recurrenceFieldset, remindersFieldset,
  trackChanges,
} from './schedule.js';

let formSeq = 0;

export function splitTags(text) {
  return [...new Set(String(text || '').split(',').map((t) => t.trim()).filter(Boolean))];
}

/** A new form; `kind` is 'new' (button "Add task") or 'edit' ("Save" and "Cancel"). */
export function taskForm(kind) {
  const n = ++formSeq;
  const id = (name) => `${kind}-${n}-${name}`;
  const field = (label, control, extra = {}) => el('div', { class: `field${extra.grow ? ' grow' : ''}`, ...extra.props },
    el('label', { for: control.id }, label), control, extra.help || null);
  const tags = el('input', { id: id('tags'), name: 'tags', autocomplete: 'off', placeholder: 'work, home' });
  tags.setAttribute('aria-describedby', id('tags-help'));
  const form = el('form', { class: `task-form ${kind === 'edit' ? 'edit-form' : 'create-form'}`, novalidate: true,
    id: kind === 'new' ? 'create-form' : 'edit-form' },
  field('Title', el('input', { id: id('title'), name: 'title', required: true, maxLength: 500, autocomplete: 'off' })),
  field('Description', el('textarea', { id: id('description'), name: 'description', rows: 3, maxLength: 10000 })),
  el('div', { class: 'row' },
    field('Priority', el('select', { id: id('priority'), name: 'priority' },
      el('option', { value: 'low' }, 'Low'), el('option', { value: 'medium', selected: true }, 'Medium'),
      el('option', { value: 'high' }, 'High'))),
    field('Tags', tags, { grow: true, help: el('small', { id: id('tags-help') }, 'Separate tags with commas.') })),
  el('fieldset', { class: 'due', dataset: { due: '' } }, el('legend', {}, 'Due'),
    // the API's reasons about the due land here, e.g. a recurring task needs one
    el('p', { class: 'field-error', hidden: true, dataset: { errorFor: 'dueDate dueAt timeZone' } }),
    el('div', { class: 'row' },
      field('Kind', el('select', { id: id('kind'), name: 'dueKind', dataset: { dueKind: '' } },
        el('option', { value: 'none' }, 'No due date'), el('option', { value: 'date' }, 'On a day'),
        el('option', { value: 'time' }, 'At a time'))),
      field('Day', el('input', { id: id('date'), name: 'dueDate', type: 'date' }), { props: { dataset: { dueDate: '' } } }),
      field('Date and time', el('input', { id: id('at'), name: 'dueAt', type: 'datetime-local' }), { props: { dataset: { dueTime: '' } } }),
      field('Time zone', el('input', { id: id('zone'), name: 'timeZone', autocomplete: 'off' }), { grow: true, props: { dataset: { dueTime: '' } } }))),
  recurrenceFieldset(id('repeat')),
  remindersFieldset(id('remind')),
  el('p', { class: 'form-error', role: 'alert', hidden: true }),
  el('div', { class: 'actions' },
    el('button', { type: 'submit' }, kind === 'new' ? 'Add task' : 'Save'),
    kind === 'edit' ? el('button', { type: 'button', class: 'secondary', dataset: { cancel: '' } }, 'Cancel') : null));
  offerZones(form.timeZone);
  form.timeZone.value = browserZone();
  const kindSelect = form.dueKind;
  form.showDue = () => {
    for (const f of $$('[data-due-date]', form)) f.hidden = kindSelect.value !== 'date';
    for (const f of $$('[data-due-time]', form)) f.hidden = kindSelect.value !== 'time';
  };
  kindSelect.addEventListener('change', form.showDue);
  form.showDue();
  if (kind === 'edit') {
    for (const fs of $$('[data-recurrence], [data-reminders]', form)) trackChanges(fs);
  }
  // "dirty": the person typed since the form was filled, so a newer version must not overwrite it
  form.addEventListener('input', () => { form.dataset.dirty = 'true'; });
  form.addEventListener('change', () => { form.dataset.dirty = 'true'; });
  return form;
}

export function fillForm(form, task) {
  form.title.value = task ? task.title : '';
  form.description.value = (task && task.description) || '';
  form.priority.value = task ? task.priority : 'medium';
  form.tags.value = task ? task.tags.join(', ') : '';
  form.dueKind.value = 'none';
  form.dueDate.value = '';
  form.dueAt.value = '';
  form.timeZone.value = browserZone();
  if (task && task.dueDate) {
    form.dueKind.value = 'date';
    form.dueDate.value = task.dueDate;
  } else if (task && task.dueAt) {
    form.dueKind.value = 'time';
    form.timeZone.value = task.timeZone || browserZone();
    form.dueAt.value = toZonedLocal(task.dueAt, form.timeZone.value);
  }
  form.showDue();
  fillRecurrence($('[data-recurrence]', form), task ? task.recurrence : null);
  fillReminders($('[data-reminders]', form), task ? task.reminders : []);
  // only what the person touches is sent: a rule in a patch applies anew from this occurrence on
  for (const fs of $$('[data-recurrence], [data-reminders]', form)) delete fs.dataset.changed;
  delete form.dataset.dirty;
  formError(form, null);
  clearFieldErrors(form);
}

/** The due fields as API members; throws a message when they are incomplete. */
function readDue(form) {
  const kind = form.dueKind.value;
  if (kind === 'date') {
    if (!form.dueDate.value) throw new Error('Choose the day it is due.');
    return { dueDate: form.dueDate.value, dueAt: null, timeZone: null };
  }
  if (kind === 'time') {
    const zone = form.timeZone.value.trim();
    if (!form.dueAt.value) throw new Error('Choose the date and time it is due.');
    if (!isZone(zone)) throw new Error(`“${zone}” is not a time zone this browser knows.`);
    return { dueDate: null, dueAt: zonedToOffsetDateTime(form.dueAt.value, zone), timeZone: zone };
  }
  return { dueDate: null, dueAt: null, timeZone: null };
}

/** A new task's body; throws (a message or FieldErrors) when something is plainly wrong. */
export function readNew(form) {
  const title = form.title.value.trim();
  if (!title) {
    form.title.setAttribute('aria-invalid', 'true');
    throw new Error('A task needs a title.');
  }
  form.title.removeAttribute('aria-invalid');
  const due = readDue(form);
  const recurrence = readRecurrence($('[data-recurrence]', form));
  const reminders = readReminders($('[data-reminders]', form));
  const body = { title, priority: form.priority.value };
  const description = form.description.value.trim();
  if (description) body.description = description;
  const tags = splitTags(form.tags.value);
  if (tags.length) body.tags = tags;
  if (due.dueDate) body.dueDate = due.dueDate;
  if (due.dueAt) Object.assign(body, { dueAt: due.dueAt, timeZone: due.timeZone });
  if (recurrence) body.recurrence = recurrence;
  if (reminders.length) body.reminders = reminders;
  return body;
}

/** The merge patch of what the form changed against the task it was filled from. */
export function changedFields(task, form) {
  const title = form.title.value.trim();
  if (!title) throw new Error('A task needs a title.');
  const next = {
    title,
    description: form.description.value.trim() || null,
    priority: form.priority.value,
    tags: splitTags(form.tags.value).map((t) => t.toLowerCase()).sort(),
    ...readDue(form),
  };
  const patch = {};
  for (const key of ['title', 'description', 'priority']) {
    if (next[key] !== (task[key] ?? null)) patch[key] = next[key];
  }
  if (JSON.stringify(next.tags) !== JSON.stringify([...task.tags].sort())) patch.tags = next.tags;
  if (next.dueDate !== (task.dueDate ?? null)) patch.dueDate = next.dueDate;
  const sameInstant = next.dueAt && task.dueAt && Date.parse(next.dueAt) === Date.parse(task.dueAt);
  if (!sameInstant && next.dueAt !== (task.dueAt ?? null)) patch.dueAt = next.dueAt;
  if (next.dueAt && next.timeZone !== task.timeZone) patch.timeZone = next.timeZone;
  if (patch.dueAt && !patch.timeZone) patch.timeZone = next.timeZone;
  const repeat = $('[data-recurrence]', form);
  if (repeat.dataset.changed) {
    const recurrence = readRecurrence(repeat);
    if (recurrence || task.recurrence) patch.recurrence = recurrence;
  }
  const remind = $('[data-reminders]', form);
  if (remind.dataset.changed) patch.reminders = readReminders(remind);
  return patch;
}

export function formError(form, text) {
  const p = $('.form-error', form);
  p.textContent = text || '';
  p.hidden = !text;
}

/**
 * A failed check or a 400's field errors shown next to their fields (rule, interval, a reminder's
 * row, the due); what has no field of its own is said in the form's message.
 */
export function showProblem(form, error) {
  const errors = error.errors || (error.problem && error.problem.errors) || [];
  if (!errors.length) {
    clearFieldErrors(form);
    formError(form, error.message);
    return;
  }
  const rest = showFieldErrors(form, errors);
  formError(form, rest.length
    ? rest.map((e) => `${e.field}: ${e.message}`).join('; ')
    : 'Please correct the marked fields.');
}
