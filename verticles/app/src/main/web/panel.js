// The side panel (full screen on a phone): a task with its edit form (saved through the outbox as
// a merge patch with the If-Match of the version the form showed; a conflict asks the person),
// its next occurrences and series when it repeats, and its history; or the form of a new task.
// Offline it shows the task as this page last knew it, and the edit waits in the outbox.
import { complete, reopen, restore, trash } from './actions.js';
import { $, el } from './dom.js';
import { loadList, select } from './list.js';
import { etagOf, isLocal } from './pending.js';
import { routeHash } from './router.js';
import { state } from './store.js';
import { changedFields, fillForm, formError, readNew, showProblem, taskForm } from './taskform.js';
import { formatOccurrence, formatWhen, userZone } from './when.js';

const TYPE_LABEL = {
  'task.created': 'Created', 'task.updated': 'Edited', 'task.completed': 'Completed',
  'task.reopened': 'Reopened', 'task.deleted': 'Moved to the trash', 'task.restored': 'Restored',
  'task.purged': 'Purged', 'task.recurring.triggered': 'Next occurrence',
  'reminder.due': 'Reminder', 'reminder.missed': 'Missed reminder',
};
export const typeLabel = (type) => TYPE_LABEL[type] || type;

function show(title) {
  $('#panel').hidden = false;
  $('#app').classList.add('with-panel');
  $('#panel-title').textContent = title;
  $('#panel-status').textContent = '';
}

export function closePanel({ restoreFocus = true } = {}) {
  const s = state.session;
  const was = s && s.panel;
  if (was && was.timers) was.timers.forEach(clearTimeout);
  if (s) s.panel = null;
  $('#panel').hidden = true;
  $('#app').classList.remove('with-panel');
  $('#panel-body').replaceChildren();
  if (!s) return;
  if (location.hash.startsWith('#task/')) history.replaceState(null, '', routeHash(s.route));
  if (restoreFocus && was && was.id) select(was.id);
  else if (restoreFocus && was) $('#new-task').focus();
}

// ---------------------------------------------------------------------------------------------
// A new task

export function openNew() {
  const s = state.session;
  if (!s) return;
  closePanel({ restoreFocus: false });
  s.panel = { mode: 'new' };
  show('New task');
  const form = taskForm('new');
  fillForm(form, null);
  $('#panel-body').replaceChildren(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    addTask(form);
  });
  form.title.focus();
}

async function addTask(form) {
  const s = state.session;
  let body;
  try {
    body = readNew(form);
  } catch (e) {
    showProblem(form, e);
    if (!e.errors) form.title.focus();
    return;
  }
  const button = $('button[type=submit]', form);
  button.disabled = true;
  try {
    const { task, outcome } = s.outbox.enqueue('create', null, { body });
    loadList();
    const how = await outcome;
    if (state.session !== s) return;
    // the form starts over for the next one; the panel stays until closed
    fillForm(form, null);
    $('#panel-status').textContent = how === 'sent' ? `Added “${task.title}”.`
      : `Added “${task.title}”; it is sent when the connection is back.`;
    form.title.focus();
  } catch (e) {
    showProblem(form, e);
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// A task

/** Opens a task's panel; `edit` puts the keyboard in its title field, else on its heading. */
export function openTask(id, { edit = false } = {}) {
  const s = state.session;
  if (!s) return;
  if (s.panel && s.panel.mode === 'task' && s.panel.id === id) {
    (edit && s.panel.form ? s.panel.form.title : $('#panel-title')).focus();
    return;
  }
  closePanel({ restoreFocus: false });
  s.panel = { mode: 'task', id, token: 0, timers: [], task: null, etag: null, form: null, edit };
  const known = s.tasks.get(id);
  show(known ? known.title : 'Task');
  $('#panel-status').textContent = 'Loading…';
  if (location.hash !== `#task/${encodeURIComponent(id)}`) history.pushState(null, '', `#task/${encodeURIComponent(id)}`);
  loadTask(s.panel, true);
}

/** A task of the panel changed (live): the details and history follow; the form only if untouched. */
export function taskChanged(task) {
  const s = state.session;
  const panel = s && s.panel;
  if (!panel || panel.mode !== 'task' || !task) return;
  if (task.id !== panel.id && !(panel.task && panel.task.seriesId && task.seriesId === panel.task.seriesId)) return;
  panel.timers.forEach(clearTimeout);
  // the audit log is written a moment after the push: the history looks twice
  panel.timers = [300, 1500].map((ms) => setTimeout(() => loadTask(panel, false), ms));
}

const orError = (promise) => promise.catch((e) => ({ error: e }));

async function loadTask(panel, first) {
  const s = state.session;
  const id = panel.id;
  const token = ++panel.token;
  const path = `/tasks/${encodeURIComponent(id)}`;
  let answer;
  try {
    // a task still waiting to be created is only here
    if (isLocal(id)) throw Object.assign(new Error('Not sent yet.'), { status: 0 });
    answer = await s.api.request('GET', path);
  } catch (e) {
    if (s.panel !== panel || token !== panel.token) return;
    const known = s.tasks.get(id);
    if (e.status === 0 && known) {
      // offline: the last known version, with the queued changes; an edit waits in the outbox
      if (first) renderTask(panel, known, s.tasks.server.has(id) ? etagOf(s.tasks.server.get(id)) : null);
      renderStatus(panel, known);
      $('#panel-status').textContent = isLocal(id) ? 'Not sent yet: it is added when the connection is back.'
        : 'Offline: this is the version this page last knew.';
      return;
    }
    $('#panel-status').textContent = e.status === 404 ? 'This task no longer exists.' : e.message;
    return;
  }
  const [occurrences, series, history] = await Promise.all([
    answer.body.recurrence ? orError(s.api.get(`${path}/occurrences?limit=5`)) : null,
    answer.body.recurrence ? orError(s.api.get(`${path}/series`)) : null,
    orError(s.api.get(`${path}/history?limit=200`)),
  ]);
  if (s.panel !== panel || token !== panel.token || state.session !== s) return;
  s.tasks.put(answer.body);
  // with the changes still waiting to be sent
  const task = s.tasks.get(id) || answer.body;
  const form = panel.form;
  if (first || !form || !form.isConnected) {
    renderTask(panel, task, answer.etag);
  } else if (!form.dataset.dirty && !panel.saving) {
    // nobody typed: the form shows the newest version, and saves against it
    panel.task = task;
    panel.etag = answer.etag;
    fillForm(form, task);
  }
  $('#panel-title').textContent = task.title;
  $('#panel-status').textContent = '';
  renderStatus(panel, task);
  $('#panel-extra').replaceChildren(...extras(task, occurrences, series, history));
}

function renderTask(panel, task, etag) {
  panel.task = task;
  panel.etag = etag;
  const body = $('#panel-body');
  const status = el('div', { class: 'panel-actions', id: 'panel-actions' });
  const parts = [status];
  if (!task.deletedAt) {
    const form = taskForm('edit');
    fillForm(form, task);
    panel.form = form;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      save(panel);
    });
    $('[data-cancel]', form).addEventListener('click', () => closePanel());
    parts.push(form);
  }
  parts.push(el('div', { id: 'panel-extra' }));
  body.replaceChildren(...parts);
  (panel.edit && panel.form ? panel.form.title : $('#panel-title')).focus();
}

function renderStatus(panel, task) {
  const bar = $('#panel-actions');
  if (!bar) return;
  const buttons = [];
  if (task.deletedAt) {
    buttons.push(el('p', { class: 'hint' }, `In the trash since ${formatWhen(task.deletedAt)}.`),
      el('button', { type: 'button', dataset: { panel: 'restore' } }, 'Restore'));
  } else {
    buttons.push(
      el('button', { type: 'button', class: task.completed ? 'secondary' : '', dataset: { panel: 'toggle' } },
        task.completed ? 'Reopen' : 'Complete'),
      el('button', { type: 'button', class: 'danger', dataset: { panel: 'delete' } }, 'Delete'));
    if (task.completed && task.completedAt) buttons.push(el('span', { class: 'hint' }, `Done ${formatWhen(task.completedAt)}`));
  }
  bar.replaceChildren(...buttons);
  bar.onclick = (event) => {
    const action = event.target.closest('[data-panel]');
    const current = state.session && state.session.tasks.get(task.id);
    if (!action || !current) return;
    if (action.dataset.panel === 'toggle') {
      if (current.completed) reopen(current);
      else complete(current);
    } else if (action.dataset.panel === 'delete') {
      trash(current);
      closePanel({ restoreFocus: false });
    } else if (action.dataset.panel === 'restore') {
      restore(current);
    }
  };
}

async function save(panel) {
  const s = state.session;
  const form = panel.form;
  let patch;
  try {
    patch = changedFields(panel.task, form);
  } catch (e) {
    showProblem(form, e);
    return;
  }
  if (Object.keys(patch).length === 0) {
    closePanel();
    return;
  }
  panel.saving = true;
  // the values the edit was made over: a 412 compares them with the server's (pending.js)
  const base = Object.fromEntries(Object.keys(patch).map((f) => [f, panel.task[f] ?? null]));
  try {
    const { outcome } = s.outbox.enqueue('patch', panel.task, { patch, base, ifMatch: panel.etag });
    // sent, kept for later or a conflict the outbox asks about: the panel's part is done
    await outcome;
    if (s.panel === panel) closePanel();
    loadList();
  } catch (e) {
    if (s.panel !== panel) return;
    if (e.status === 404) formError(form, 'This task no longer exists (it was deleted elsewhere).');
    else showProblem(form, e);
  } finally {
    panel.saving = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Occurrences, series, history

function extras(task, occurrences, series, history) {
  const parts = [];
  if (task.recurrence) {
    parts.push(el('h3', {}, 'Next occurrences'));
    if (occurrences.error) {
      parts.push(el('p', { class: 'message' }, occurrences.error.message));
    } else {
      parts.push(occurrences.items.length
        ? el('ol', { class: 'occurrences', id: 'details-occurrences' }, ...occurrences.items.map((o) =>
          el('li', {}, el('time', { dateTime: o.start }, inZones(o.start, task.timeZone)))))
        : el('p', { class: 'hint' }, 'No more occurrences: the series has ended.'));
    }
    parts.push(el('h3', {}, 'Series so far'));
    if (series.error) {
      parts.push(el('p', { class: 'message' }, series.error.message));
    } else {
      parts.push(el('ol', { class: 'series', id: 'details-series' }, ...series.items.map((t) =>
        el('li', { dataset: { id: t.id, completed: String(t.completed) }, class: t.id === task.id ? 'current' : '' },
          el('span', {}, t.occurrence ? inZones(t.occurrence, t.timeZone) : t.title), ' ',
          el('span', { class: 'hint' }, t.deletedAt ? '(in the trash)'
            : t.completed ? `(done ${formatWhen(t.completedAt)})` : t.id === task.id ? '(this one)' : '(open)')))));
      if (series.nextCursor) parts.push(el('p', { class: 'hint' }, 'Older occurrences are not shown.'));
    }
  }
  parts.push(el('h3', {}, 'History'));
  if (history.error) {
    parts.push(el('p', { id: 'history-status', class: 'message' }, history.error.message));
  } else {
    const items = history.items.map(historyEntry);
    parts.push(el('p', { id: 'history-status', class: 'hint' }, items.length
      ? `${items.length} change${items.length === 1 ? '' : 's'}, oldest first.` : 'No changes recorded yet.'),
    el('ol', { id: 'history-list', class: 'history' }, ...items));
  }
  return parts;
}

/** An occurrence in the person's words and zone; in the task's own zone too when that differs. */
function inZones(start, zone) {
  const text = formatOccurrence(start);
  if (!zone || zone === userZone() || /^\d{4}-\d{2}-\d{2}$/.test(start)) return text;
  const there = new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: zone })
    .format(new Date(Date.parse(start)));
  return `${text} (${there} ${zone.split('/').pop().replace(/_/g, ' ')})`;
}

function historyEntry(entry) {
  const rows = Object.entries(entry.changes || {}).map(([field, change]) => el('tr', {},
    el('th', { scope: 'row' }, field), el('td', { class: 'old' }, formatValue(change.old)),
    el('td', { class: 'new' }, formatValue(change.new))));
  return el('li', { dataset: { type: entry.type } },
    el('p', {},
      el('strong', {}, typeLabel(entry.type)), ' ',
      el('time', { dateTime: entry.time }, formatWhen(entry.time)),
      entry.actor ? ` by ${entry.actor}` : ''),
    rows.length ? el('table', {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Field'),
        el('th', { scope: 'col' }, 'Before'), el('th', { scope: 'col' }, 'After'))),
      el('tbody', {}, ...rows)) : null);
}

/** A field's value in words, as the history and the conflict show it. */
export function formatValue(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return formatWhen(v);
  return String(v);
}

/** When the panel's task is gone from the server (purged), the panel says so. */
export function taskRemoved(id) {
  const s = state.session;
  if (s && s.panel && s.panel.mode === 'task' && s.panel.id === id) {
    $('#panel-status').textContent = 'This task no longer exists.';
  }
}

