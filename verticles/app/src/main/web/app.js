// The taskbus page: sign-in, the task list with search and filters, create and inline edit
// (with recurrence and reminders), complete/reopen/delete, the trash, a task's history and
// details, the notification inbox, and live updates from the bridge.
// Plain ES modules and the DOM; no framework, no build step.
import { Api, ApiError, claims } from './api.js';
import { Live, TaskStore } from './live.js';
import {
  browserZone, describeDue, formatInstant, formatOccurrence, isZone, toZonedLocal, zones,
  zonedToOffsetDateTime,
} from './due.js';
import { $, $$, el, clearFieldErrors, showFieldErrors } from './dom.js';
import {
  describeRecurrence, describeReminder, fillRecurrence, fillReminders, readRecurrence,
  readReminders, recurrenceFieldset, remindersFieldset, trackChanges,
} from './schedule.js';
import {
  inboxConnected, initInbox, onNotificationPush, setInboxVisible, startInbox, stopInbox,
} from './inbox.js';
import { mountQuickAdd } from './quickadd-bar.js';
import { registerServiceWorker } from './pwa.js';

const TOKEN_KEY = 'taskbus.token';

let session = null; // { token, user, api, store, live, expiryTimer }

// ---------------------------------------------------------------------------------------------
// Sign-in

function tokenFromFragment() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token') || params.get('access_token') || params.get('id_token');
  if (token) {
    // the token must not stay in the address bar, the history or a bookmark
    history.replaceState(null, '', location.pathname + location.search);
  }
  return token;
}

function usable(token) {
  const c = claims(token);
  if (!c || typeof c.sub !== 'string' || !c.sub) {
    return { ok: false, why: 'That is not a token this page can use (it needs a subject).' };
  }
  if (typeof c.exp === 'number' && c.exp * 1000 <= Date.now()) {
    return { ok: false, why: 'Your session expired. Sign in again.' };
  }
  return { ok: true, user: c.sub, exp: c.exp };
}

async function showSignIn(message) {
  $('#app').hidden = true;
  $('#session').hidden = true;
  $('#signin').hidden = false;
  delete $('#signin').dataset.ready;
  const note = $('#signin-message');
  note.textContent = message || '';
  note.hidden = !message;
  let dev = false;
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    dev = response.ok && (await response.json()).devSignIn === true;
  } catch (e) {
    dev = false;
  }
  $('#name-form').hidden = !dev;
  $('#token-details').open = !dev;
  (dev ? $('#name-input') : $('#token-input')).focus();
  $('#signin').dataset.ready = 'true';
}

function signIn(token, user) {
  const check = usable(token);
  if (!check.ok) {
    showSignIn(check.why);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  startSession(token, user || check.user, check.exp);
}

function signOut(message) {
  if (session) {
    session.live.stop();
    clearTimeout(session.expiryTimer);
    session.unsubscribe();
    session = null;
  }
  stopInbox();
  $('#details').open && $('#details').close();
  sessionStorage.removeItem(TOKEN_KEY);
  $('#task-list').replaceChildren();
  $('#trash-list').replaceChildren();
  $('#activity').replaceChildren();
  $('#history').open && $('#history').close();
  showSignIn(message);
}

$('#name-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('#name-input').value.trim().toLowerCase();
  try {
    const response = await fetch('/api/v1/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ user: name }),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, body);
    }
    signIn(body.token, body.user);
  } catch (e) {
    const note = $('#signin-message');
    note.textContent = e.status === 404
      ? 'This server has no sign-in by name. Use a token from your identity provider.'
      : e.message;
    note.hidden = false;
  }
});

$('#token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('#token-input').value.trim());
  $('#token-input').value = '';
});

$('#sign-out').addEventListener('click', () => signOut('You signed out.'));

window.addEventListener('hashchange', () => {
  const token = tokenFromFragment();
  if (token) {
    signOut();
    signIn(token);
  }
});

// ---------------------------------------------------------------------------------------------
// The session: API, store, live connection

function startSession(token, user, exp) {
  const api = new Api(() => (session ? session.token : null),
    () => signOut('Your session ended (the server no longer accepts the token). Sign in again.'));
  const store = new TaskStore();
  const live = new Live({
    api, store, userId: user, token,
    onState: (state) => {
      showConnection(state);
      if (state === 'connected') inboxConnected();
    },
    onApplied: logActivity,
    onAuthLost: (why) => signOut(why),
    onError: (text) => toast(text, 'error'),
    onNotification: onNotificationPush,
  });
  session = { token, user, api, store, live, expiryTimer: null };
  if (typeof exp === 'number') {
    const ms = exp * 1000 - Date.now();
    if (ms < 2 ** 31) {
      session.expiryTimer = setTimeout(() => signOut('Your session expired. Sign in again.'), ms);
    }
  }
  session.unsubscribe = store.subscribe(onStoreChange);
  $('#signin').hidden = true;
  $('#session').hidden = false;
  $('#app').hidden = false;
  $('#user-name').textContent = user;
  $('#task-list').replaceChildren();
  $('#trash-list').replaceChildren();
  $('#activity').replaceChildren();
  listView.ids = [];
  trashView.ids = [];
  startInbox(api);
  showView('tasks');
  live.start();
  refreshList();
}

const CONNECTION_TEXT = {
  connecting: 'Live updates: connecting…',
  connected: 'Live updates: connected',
  reconnecting: 'Live updates: reconnecting…',
  offline: 'Live updates: offline, retrying',
  stopped: 'Live updates: off',
};

function showConnection(state) {
  $('#connection').dataset.state = state;
  $('#connection-text').textContent = CONNECTION_TEXT[state] || state;
}

// ---------------------------------------------------------------------------------------------
// Messages

function toast(text, kind = 'info', undo = null) {
  const item = document.createElement('div');
  item.className = `toast ${kind}`;
  item.textContent = text;
  if (undo) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = 'Undo';
    button.addEventListener('click', () => {
      item.remove();
      undo();
    });
    item.append(' ', button);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'link';
  close.textContent = 'Dismiss';
  close.addEventListener('click', () => item.remove());
  item.append(' ', close);
  $('#toasts').append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 12000 : 6000);
}

const TYPE_LABEL = {
  'task.created': 'Created', 'task.updated': 'Edited', 'task.completed': 'Completed',
  'task.reopened': 'Reopened', 'task.deleted': 'Moved to the trash', 'task.restored': 'Restored',
  'task.purged': 'Purged', 'task.recurring.triggered': 'Next occurrence',
  // the reminder itself reaches the page as a notification (inbox.js); here it is one more change
  'reminder.due': 'Reminder', 'reminder.missed': 'Missed reminder',
};

function logActivity(change, how) {
  const task = change.task || (change.data && change.data.task);
  const label = how === 'sync'
    ? (change.purged ? 'Purged (caught up)' : 'Caught up')
    : TYPE_LABEL[change.type] || change.type;
  const item = document.createElement('li');
  item.dataset.seq = String(change.seq);
  item.dataset.how = how;
  const seq = document.createElement('span');
  seq.className = 'seq';
  seq.textContent = `#${change.seq}`;
  const what = document.createElement('span');
  what.className = 'what';
  what.textContent = label;
  const title = document.createElement('span');
  title.className = 'activity-title';
  title.textContent = task ? task.title : (change.taskId || change.subject || '');
  item.append(seq, ' ', what, ' ', title);
  const list = $('#activity');
  list.prepend(item);
  while (list.children.length > 100) {
    list.lastElementChild.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// Views: tasks and trash

const listView = { ids: [], cursor: null, token: 0 };
const trashView = { ids: [], cursor: null, token: 0 };
let currentView = 'tasks';

function showView(view) {
  currentView = view;
  $('#tasks-panel').hidden = view !== 'tasks';
  $('#trash-panel').hidden = view !== 'trash';
  $('#inbox-panel').hidden = view !== 'inbox';
  for (const [name, button] of [['tasks', $('#view-tasks')], ['trash', $('#view-trash')], ['inbox', $('#view-inbox')]]) {
    if (name === view) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  $('#inbox-button').setAttribute('aria-expanded', String(view === 'inbox'));
  setInboxVisible(view === 'inbox');
  if (view === 'trash') refreshTrash();
}

$('#view-tasks').addEventListener('click', () => showView('tasks'));
$('#view-trash').addEventListener('click', () => showView('trash'));
$('#view-inbox').addEventListener('click', () => showView('inbox'));
$('#inbox-button').addEventListener('click', () => {
  // the header's button toggles: a second press goes back to the tasks
  showView(currentView === 'inbox' ? 'tasks' : 'inbox');
  if (currentView === 'inbox') $('#inbox-title').scrollIntoView({ block: 'nearest' });
});

function filterParams() {
  const form = $('#filters');
  const params = new URLSearchParams();
  const q = form.q.value.trim();
  if (q) params.set('q', q);
  params.set('status', form.status.value);
  const priorities = $$('input[name=priority]:checked', form).map((i) => i.value);
  if (priorities.length) params.set('priority', priorities.join(','));
  const tags = splitTags(form.tag.value);
  if (tags.length) params.set('tag', tags.join(','));
  const filter = form.filter.value.trim();
  if (filter) params.set('filter', filter);
  let sort = form.sort.value;
  if (sort === 'relevance' && !q && !filter) sort = 'created';
  params.set('sort', sort);
  if (form.order.value) params.set('order', form.order.value);
  params.set('tz', browserZone());
  return params;
}

let refreshTimer = null;
function scheduleRefresh(ms = 60) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    if (!session) return;
    refreshList();
    if (currentView === 'trash') refreshTrash();
  }, ms);
}

/** Which tasks the list shows and in what order comes from the server; their content from the store. */
async function refreshList({ more = false } = {}) {
  if (!session) return;
  const token = ++listView.token;
  const params = filterParams();
  params.set('limit', String(more ? 50 : Math.min(200, Math.max(50, listView.ids.length))));
  if (more && listView.cursor) params.set('cursor', listView.cursor);
  let page;
  try {
    page = await session.api.get(`/tasks?${params}`);
  } catch (e) {
    if (token === listView.token) showListError(e);
    return;
  }
  if (token !== listView.token || !session) return;
  showListError(null);
  for (const task of page.items) session.store.put(task);
  const ids = page.items.map((t) => t.id);
  listView.ids = more ? [...listView.ids, ...ids.filter((id) => !listView.ids.includes(id))] : ids;
  listView.cursor = page.nextCursor;
  renderList();
}

function showListError(error) {
  const filterError = $('#filter-error');
  const listError = $('#list-error');
  const filterInput = $('#filter');
  filterError.hidden = true;
  listError.hidden = true;
  filterInput.removeAttribute('aria-invalid');
  if (!error) return;
  const field = error.field && error.field('filter');
  if (field) {
    filterError.replaceChildren();
    const text = filterInput.value;
    const message = document.createElement('span');
    message.textContent = field.message;
    filterError.append(message);
    if (Number.isInteger(field.position) && field.position <= text.length) {
      // point at the spot: the text up to it, the offending character marked
      const where = document.createElement('code');
      where.className = 'where';
      where.append(text.slice(0, field.position));
      const mark = document.createElement('mark');
      mark.textContent = text.slice(field.position, field.position + 1) || ' ';
      where.append(mark, text.slice(field.position + 1));
      filterError.append(where);
    }
    filterError.hidden = false;
    filterInput.setAttribute('aria-invalid', 'true');
  } else {
    listError.textContent = error.message;
    listError.hidden = false;
  }
}

function statusShows(task) {
  const status = $('#status').value;
  return status === 'all' || (status === 'completed') === task.completed;
}

function renderList() {
  const tasks = listView.ids.map((id) => session.store.get(id))
    .filter((t) => t && !t.deletedAt && statusShows(t));
  reconcile($('#task-list'), tasks, renderTaskRow);
  $('#empty').hidden = tasks.length > 0;
  $('#more').hidden = !listView.cursor;
}

async function refreshTrash({ more = false } = {}) {
  if (!session) return;
  const token = ++trashView.token;
  const params = new URLSearchParams({ limit: '50' });
  if (more && trashView.cursor) params.set('cursor', trashView.cursor);
  let page;
  try {
    page = await session.api.get(`/trash?${params}`);
  } catch (e) {
    toast(e.message, 'error');
    return;
  }
  if (token !== trashView.token || !session) return;
  for (const task of page.items) session.store.put(task);
  const ids = page.items.map((t) => t.id);
  trashView.ids = more ? [...trashView.ids, ...ids] : ids;
  trashView.cursor = page.nextCursor;
  renderTrash();
}

function renderTrash() {
  const tasks = trashView.ids.map((id) => session.store.get(id)).filter((t) => t && t.deletedAt);
  reconcile($('#trash-list'), tasks, renderTrashRow);
  $('#trash-empty').hidden = tasks.length > 0;
  $('#trash-more').hidden = !trashView.cursor;
}

$('#more').addEventListener('click', () => refreshList({ more: true }));
$('#trash-more').addEventListener('click', () => refreshTrash({ more: true }));

function onStoreChange(change) {
  if (!session) return;
  renderList();
  if (currentView === 'trash') renderTrash();
  scheduleRefresh();
  if (historyState.taskId && change.task && change.task.id === historyState.taskId) {
    refreshHistory(true);
  }
  const t = change.task;
  if (detailsState.taskId && t && (t.id === detailsState.taskId
      || (detailsState.seriesId && t.seriesId === detailsState.seriesId))) {
    // a completed occurrence brings the next one: the series and the preview change with it
    clearTimeout(detailsState.timer);
    detailsState.timer = setTimeout(loadDetails, 300);
  }
}

/**
 * Brings a list's rows in line with the tasks: one row per id, in order; a row is rebuilt only
 * when its task's version changed, and a row being edited is left alone.
 */
function reconcile(list, tasks, render) {
  const existing = new Map($$(':scope > li', list).map((li) => [li.dataset.id, li]));
  const wanted = new Set(tasks.map((t) => t.id));
  for (const [id, li] of existing) {
    if (!wanted.has(id)) li.remove();
  }
  let cursor = list.firstElementChild;
  for (const task of tasks) {
    let li = existing.get(task.id);
    if (!li) {
      li = document.createElement('li');
      li.dataset.id = task.id;
      render(li, task);
    } else if (li.dataset.version !== String(task.version)) {
      if (li.classList.contains('editing')) {
        li.dataset.stale = 'true';
      } else {
        const focused = li.contains(document.activeElement) && document.activeElement.dataset.action;
        render(li, task);
        if (focused) {
          const again = $(`[data-action="${focused}"]`, li);
          if (again) again.focus();
        }
      }
    }
    if (li !== cursor) {
      list.insertBefore(li, cursor);
    } else {
      cursor = cursor.nextElementSibling;
    }
  }
}

function meta(task) {
  const due = describeDue(task);
  return el('div', { class: 'meta' },
    el('span', { class: `priority p-${task.priority}` }, `${cap(task.priority)} priority`),
    task.tags.length
      ? el('ul', { class: 'tags', 'aria-label': 'Tags' }, ...task.tags.map((t) => el('li', {}, t)))
      : null,
    due ? el('time', { class: `due${due.overdue ? ' overdue' : ''}`, dateTime: due.datetime },
      due.text, due.overdue ? ' (overdue)' : '') : null,
    task.recurrence ? el('span', { class: 'repeats' }, describeRecurrence(task.recurrence)) : null,
    task.reminders && task.reminders.length
      ? el('span', { class: 'reminder-count' },
        task.reminders.length === 1 ? '1 reminder' : `${task.reminders.length} reminders`)
      : null);
}

function renderTaskRow(li, task) {
  li.className = `task${task.completed ? ' completed' : ''}`;
  li.dataset.version = String(task.version);
  li.dataset.completed = String(task.completed);
  li.dataset.priority = task.priority;
  delete li.dataset.stale;
  // the title is no label of the checkbox: a click on it must not complete the task by accident
  li.replaceChildren(...[
    el('div', { class: 'task-main' },
      el('input', { type: 'checkbox', class: 'done', checked: task.completed,
        dataset: { action: 'toggle' }, 'aria-label': `Done: “${task.title}”`,
        title: task.completed ? 'Reopen' : 'Complete' }),
      el('span', { class: 'title' }, task.title)),
    task.description ? el('p', { class: 'description' }, task.description) : null,
    meta(task),
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'secondary', dataset: { action: 'edit' },
        'aria-label': `Edit “${task.title}”` }, 'Edit'),
      el('button', { type: 'button', class: 'secondary', dataset: { action: 'details' },
        'aria-label': `Details of “${task.title}”` }, 'Details'),
      el('button', { type: 'button', class: 'secondary', dataset: { action: 'history' },
        'aria-label': `History of “${task.title}”` }, 'History'),
      el('button', { type: 'button', class: 'danger', dataset: { action: 'delete' },
        'aria-label': `Delete “${task.title}”` }, 'Delete')),
  ].filter(Boolean));
}

function renderTrashRow(li, task) {
  li.className = 'task trashed';
  li.dataset.version = String(task.version);
  li.replaceChildren(
    el('div', { class: 'task-main' }, el('span', { class: 'title' }, task.title)),
    el('p', { class: 'hint' }, `Deleted ${formatInstant(task.deletedAt)}`),
    el('div', { class: 'actions' },
      el('button', { type: 'button', dataset: { action: 'restore' },
        'aria-label': `Restore “${task.title}”` }, 'Restore'),
      el('button', { type: 'button', class: 'secondary', dataset: { action: 'history' },
        'aria-label': `History of “${task.title}”` }, 'History')));
}

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// ---------------------------------------------------------------------------------------------
// Actions on a task

const UNDO = { complete: 'reopen', reopen: 'complete', restore: null };
const DONE_TEXT = { complete: 'Completed', reopen: 'Reopened', restore: 'Restored' };

async function act(task, path, offerUndo = true) {
  try {
    const updated = await session.api.post(`/tasks/${task.id}/${path}`);
    if (updated) session.store.put(updated);
    const undo = UNDO[path];
    if (offerUndo && undo) {
      toast(`${DONE_TEXT[path]} “${task.title}”.`, 'info', () => act(task, undo, false));
    }
  } catch (e) {
    toast(`${cap(path)} “${task.title}”: ${e.message}`, 'error');
    scheduleRefresh(0);
  }
}

async function onListAction(event) {
  const target = event.target.closest('[data-action]');
  if (!target || !session) return;
  const li = target.closest('li[data-id]');
  const task = li && session.store.get(li.dataset.id);
  if (!task) return;
  const action = target.dataset.action;
  if (action === 'toggle' && event.type === 'change') {
    act(task, task.completed ? 'reopen' : 'complete');
  } else if (event.type !== 'click') {
    return;
  } else if (action === 'edit') {
    startEdit(li, task);
  } else if (action === 'history') {
    openHistory(task);
  } else if (action === 'details') {
    openDetails(task.id);
  } else if (action === 'delete') {
    try {
      await session.api.request('DELETE', `/tasks/${task.id}`);
      toast(`“${task.title}” is in the trash.`, 'info', () => act(task, 'restore', false));
      scheduleRefresh(0);
    } catch (e) {
      toast(`Delete “${task.title}”: ${e.message}`, 'error');
    }
  } else if (action === 'restore') {
    act(task, 'restore');
  }
}

for (const list of [$('#task-list'), $('#trash-list')]) {
  list.addEventListener('click', onListAction);
  list.addEventListener('change', onListAction);
}

// ---------------------------------------------------------------------------------------------
// Task forms: create and inline edit share the due fields

function splitTags(text) {
  return [...new Set(String(text || '').split(',').map((t) => t.trim()).filter(Boolean))];
}

function wireDue(fieldset) {
  const kind = $('[data-due-kind]', fieldset);
  const zone = $('input[name=timeZone]', fieldset);
  if (zone && !zone.value) zone.value = browserZone();
  const show = () => {
    for (const f of $$('[data-due-date]', fieldset)) f.hidden = kind.value !== 'date';
    for (const f of $$('[data-due-time]', fieldset)) f.hidden = kind.value !== 'time';
  };
  kind.addEventListener('change', show);
  show();
  return show;
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

function fillDue(form, task) {
  if (task.dueDate) {
    form.dueKind.value = 'date';
    form.dueDate.value = task.dueDate;
  } else if (task.dueAt) {
    form.dueKind.value = 'time';
    form.timeZone.value = task.timeZone || browserZone();
    form.dueAt.value = toZonedLocal(task.dueAt, form.timeZone.value);
  } else {
    form.dueKind.value = 'none';
  }
}

function formError(form, text) {
  const p = $('.form-error', form);
  p.textContent = text || '';
  p.hidden = !text;
}

/**
 * A failed check or a 400's field errors shown next to their fields (rule, interval, a reminder's
 * row, the due); what has no field of its own is said in the form's message.
 */
function showProblem(form, error) {
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

const createForm = $('#create-form');
const showCreateDue = wireDue($('[data-due]', createForm));
const createRecurrence = recurrenceFieldset('new');
const createReminders = remindersFieldset('new');
$('[data-schedule]', createForm).replaceWith(createRecurrence, createReminders);

createForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = createForm;
  const title = form.title.value.trim();
  if (!title) {
    formError(form, 'A task needs a title.');
    form.title.setAttribute('aria-invalid', 'true');
    form.title.focus();
    return;
  }
  form.title.removeAttribute('aria-invalid');
  let due;
  let recurrence;
  let reminders;
  try {
    due = readDue(form);
    recurrence = readRecurrence(createRecurrence);
    reminders = readReminders(createReminders);
  } catch (e) {
    showProblem(form, e);
    return;
  }
  const body = { title, priority: form.priority.value };
  const description = form.description.value.trim();
  if (description) body.description = description;
  const tags = splitTags(form.tags.value);
  if (tags.length) body.tags = tags;
  if (due.dueDate) body.dueDate = due.dueDate;
  if (due.dueAt) Object.assign(body, { dueAt: due.dueAt, timeZone: due.timeZone });
  if (recurrence) body.recurrence = recurrence;
  if (reminders.length) body.reminders = reminders;
  const button = $('button[type=submit]', form);
  button.disabled = true;
  try {
    const task = await session.api.post('/tasks', body);
    session.store.put(task);
    formError(form, null);
    clearFieldErrors(form);
    form.reset();
    form.timeZone.value = browserZone();
    showCreateDue();
    fillRecurrence(createRecurrence, null);
    fillReminders(createReminders, []);
    scheduleRefresh(0);
    form.title.focus();
  } catch (e) {
    showProblem(form, e);
  } finally {
    button.disabled = false;
  }
});

let editSeq = 0;
function editFormFor(task) {
  const n = ++editSeq;
  const id = (name) => `edit-${n}-${name}`;
  const field = (label, control, extra = {}) => el('div', { class: `field${extra.grow ? ' grow' : ''}`, ...extra.props },
    el('label', { for: control.id }, label), control);
  const form = el('form', { class: 'task-form edit-form', 'aria-label': `Edit “${task.title}”` },
    field('Title', el('input', { id: id('title'), name: 'title', required: true, maxLength: 500, autocomplete: 'off' })),
    field('Description', el('textarea', { id: id('description'), name: 'description', rows: 2, maxLength: 10000 })),
    el('div', { class: 'row' },
      field('Priority', el('select', { id: id('priority'), name: 'priority' },
        el('option', { value: 'low' }, 'Low'), el('option', { value: 'medium' }, 'Medium'),
        el('option', { value: 'high' }, 'High'))),
      field('Tags', el('input', { id: id('tags'), name: 'tags', autocomplete: 'off' }), { grow: true })),
    el('fieldset', { class: 'due', dataset: { due: '' } }, el('legend', {}, 'Due'),
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
      el('button', { type: 'submit' }, 'Save'),
      el('button', { type: 'button', class: 'secondary', dataset: { cancel: '' } }, 'Cancel')));
  form.timeZone.setAttribute('list', 'time-zones');
  return form;
}

function fillEdit(form, task) {
  form.title.value = task.title;
  form.description.value = task.description || '';
  form.priority.value = task.priority;
  form.tags.value = task.tags.join(', ');
  fillDue(form, task);
  fillRecurrence($('[data-recurrence]', form), task.recurrence);
  fillReminders($('[data-reminders]', form), task.reminders);
  // only what the person touches is sent: a rule in a patch applies anew from this occurrence on
  for (const fs of $$('[data-recurrence], [data-reminders]', form)) delete fs.dataset.changed;
}

/** Inline edit: the form starts from the server's current version and saves with If-Match. */
async function startEdit(li, listed) {
  let current;
  try {
    current = await session.api.request('GET', `/tasks/${listed.id}`);
  } catch (e) {
    toast(`Edit “${listed.title}”: ${e.message}`, 'error');
    return;
  }
  session.store.put(current.body);
  let task = current.body;
  let etag = current.etag;
  const form = editFormFor(task);
  li.classList.add('editing');
  li.replaceChildren(form);
  for (const fs of $$('[data-recurrence], [data-reminders]', form)) trackChanges(fs);
  fillEdit(form, task);
  const showDue = wireDue($('[data-due]', form));
  showDue();
  form.title.focus();

  const finish = () => {
    li.classList.remove('editing');
    li.dataset.version = '';
    renderList();
    const again = $(`li[data-id="${task.id}"] [data-action=edit]`);
    if (again) again.focus();
  };
  $('[data-cancel]', form).addEventListener('click', finish);
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') finish();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let patch;
    try {
      patch = changedFields(task, form);
    } catch (e) {
      showProblem(form, e);
      return;
    }
    if (Object.keys(patch).length === 0) {
      finish();
      return;
    }
    try {
      const saved = await session.api.request('PATCH', `/tasks/${task.id}`, {
        body: patch, contentType: 'application/merge-patch+json', headers: { 'If-Match': etag },
      });
      session.store.put(saved.body);
      task = saved.body;
      finish();
    } catch (e) {
      if (e.status === 412) {
        // someone else changed it since this form was filled: show their version
        try {
          const fresh = await session.api.request('GET', `/tasks/${task.id}`);
          session.store.put(fresh.body);
          task = fresh.body;
          etag = fresh.etag;
          fillEdit(form, task);
          showDue();
          formError(form, 'This task was changed elsewhere (another tab or device) while you edited it. '
            + 'The form now shows the latest version: make your change again and save.');
        } catch (again) {
          formError(form, again.message);
        }
      } else if (e.status === 404) {
        formError(form, 'This task no longer exists (it was deleted elsewhere).');
      } else {
        showProblem(form, e);
      }
    }
  });
}

function changedFields(task, form) {
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

// ---------------------------------------------------------------------------------------------
// Filters

let filterTimer = null;
$('#filters').addEventListener('input', (event) => {
  clearTimeout(filterTimer);
  const typing = event.target.matches('input[type=search], #filter, #tag');
  filterTimer = setTimeout(() => {
    listView.ids = [];
    refreshList();
  }, typing ? 250 : 0);
});
$('#filters').addEventListener('submit', (event) => {
  event.preventDefault();
  refreshList();
});

// ---------------------------------------------------------------------------------------------
// History

const historyState = { taskId: null, token: 0, timers: [] };

function openHistory(task) {
  historyState.taskId = task.id;
  $('#history-title').textContent = `History of “${task.title}”`;
  $('#history-list').replaceChildren();
  $('#history-status').textContent = 'Loading…';
  const dialog = $('#history');
  if (!dialog.open) dialog.showModal();
  refreshHistory(false);
}

$('#history').addEventListener('close', () => {
  historyState.taskId = null;
  historyState.timers.forEach(clearTimeout);
  historyState.timers = [];
});

/** The audit log is written a moment after the push, so a live refresh looks twice. */
function refreshHistory(live) {
  if (live) {
    historyState.timers.forEach(clearTimeout);
    historyState.timers = [300, 1500].map((ms) => setTimeout(() => loadHistory(), ms));
  } else {
    loadHistory();
  }
}

async function loadHistory() {
  const id = historyState.taskId;
  if (!id || !session) return;
  const token = ++historyState.token;
  let page;
  try {
    page = await session.api.get(`/tasks/${id}/history?limit=200`);
  } catch (e) {
    if (token === historyState.token) $('#history-status').textContent = e.message;
    return;
  }
  if (token !== historyState.token || historyState.taskId !== id) return;
  const items = page.items.map(historyEntry);
  $('#history-list').replaceChildren(...items);
  $('#history-status').textContent = items.length
    ? `${items.length} change${items.length === 1 ? '' : 's'}, oldest first.`
    : 'No changes recorded yet.';
}

function historyEntry(entry) {
  const rows = Object.entries(entry.changes || {}).map(([field, change]) => el('tr', {},
    el('th', { scope: 'row' }, field), el('td', { class: 'old' }, show(change.old)),
    el('td', { class: 'new' }, show(change.new))));
  return el('li', { dataset: { type: entry.type } },
    el('p', {},
      el('strong', {}, TYPE_LABEL[entry.type] || entry.type), ' ',
      el('time', { dateTime: entry.time }, formatInstant(entry.time)),
      entry.actor ? ` by ${entry.actor}` : ''),
    rows.length ? el('table', {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Field'),
        el('th', { scope: 'col' }, 'Before'), el('th', { scope: 'col' }, 'After'))),
      el('tbody', {}, ...rows)) : null);
}

function show(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatInstant(value);
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Details: a task's due, recurrence, reminders, its next occurrences and its series so far

const detailsState = { taskId: null, seriesId: null, token: 0, timer: null };

function openDetails(taskId) {
  if (!session) return;
  detailsState.taskId = taskId;
  detailsState.seriesId = null;
  $('#details-title').textContent = 'Task';
  $('#details-body').replaceChildren();
  $('#details-status').textContent = 'Loading…';
  const dialog = $('#details');
  if (!dialog.open) dialog.showModal();
  loadDetails();
}

$('#details').addEventListener('close', () => {
  detailsState.taskId = null;
  detailsState.seriesId = null;
  clearTimeout(detailsState.timer);
});

/** A part of the details that failed shows why in its place; the rest still shows. */
const orError = (promise) => promise.catch((e) => ({ error: e }));

async function loadDetails() {
  const id = detailsState.taskId;
  if (!id || !session) return;
  const token = ++detailsState.token;
  let task;
  try {
    task = await session.api.get(`/tasks/${encodeURIComponent(id)}`);
  } catch (e) {
    if (token === detailsState.token) {
      $('#details-status').textContent = e.status === 404 ? 'This task no longer exists.' : e.message;
    }
    return;
  }
  const [occurrences, series] = task.recurrence
    ? await Promise.all([
      orError(session.api.get(`/tasks/${encodeURIComponent(id)}/occurrences?limit=5`)),
      orError(session.api.get(`/tasks/${encodeURIComponent(id)}/series`))])
    : [null, null];
  if (token !== detailsState.token || detailsState.taskId !== id || !session) return;
  session.store.put(task);
  detailsState.seriesId = task.seriesId;
  $('#details-title').textContent = `“${task.title}”`;
  $('#details-status').textContent = '';
  $('#details-body').replaceChildren(...detailsBody(task, occurrences, series));
}

function detailsBody(task, occurrences, series) {
  const due = describeDue(task);
  const rec = task.recurrence;
  const facts = [
    ['Due', due ? `${due.text.replace(/^Due /, '')}${due.overdue ? ' (overdue)' : ''}` : 'No due date'],
    ['Priority', cap(task.priority)],
    ['Tags', task.tags.length ? task.tags.join(', ') : '—'],
    ['Repeats', rec ? cap(describeRecurrence(rec).replace(/^Repeats:? /, '')) : 'Does not repeat'],
    rec ? ['Rule', el('code', {}, rec.rule)] : null,
    rec ? ['When behind', rec.overdue === 'catch-up' ? 'Catch up one by one' : 'Skip to the next future one'] : null,
    ['Reminders', task.reminders.length
      ? el('ul', { class: 'plain', id: 'details-reminders' },
        ...task.reminders.map((r) => el('li', {}, describeReminder(r))))
      : 'None'],
  ].filter(Boolean);
  const parts = [el('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]))];
  if (!rec) return parts;
  parts.push(el('h3', {}, 'Next occurrences'));
  if (occurrences.error) {
    parts.push(el('p', { class: 'message' }, occurrences.error.message));
  } else {
    parts.push(occurrences.items.length
      ? el('ol', { class: 'occurrences', id: 'details-occurrences' }, ...occurrences.items.map((o) =>
        el('li', {}, el('time', { dateTime: o.start }, formatOccurrence(o.start, task.timeZone)))))
      : el('p', { class: 'hint' }, 'No more occurrences: the series has ended.'));
  }
  parts.push(el('h3', {}, 'Series so far'));
  if (series.error) {
    parts.push(el('p', { class: 'message' }, series.error.message));
  } else {
    parts.push(el('ol', { class: 'series', id: 'details-series' }, ...series.items.map((t) =>
      el('li', { dataset: { id: t.id, completed: String(t.completed) }, class: t.id === task.id ? 'current' : '' },
        el('span', {}, t.occurrence ? formatOccurrence(t.occurrence, t.timeZone) : t.title), ' ',
        el('span', { class: 'hint' }, t.deletedAt ? '(in the trash)'
          : t.completed ? `(done ${formatInstant(t.completedAt)})` : t.id === task.id ? '(this one)' : '(open)')))));
    if (series.nextCursor) parts.push(el('p', { class: 'hint' }, 'Older occurrences are not shown.'));
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Start

initInbox({ openTask: openDetails, toast });
mountQuickAdd($('#quick-add'), {
  zone: browserZone,
  create: async (body) => {
    const task = await session.api.post('/tasks', body);
    session.store.put(task);
    scheduleRefresh(0);
    return task;
  },
});

function boot() {
  const options = zones().map((z) => el('option', { value: z }));
  $('#time-zones').replaceChildren(...options);
  const fromUrl = tokenFromFragment();
  if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    showSignIn(null);
    return;
  }
  const check = usable(token);
  if (!check.ok) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn(check.why);
    return;
  }
  startSession(token, check.user, check.exp);
}

window.taskbus = { get lastSeq() { return session ? session.live.lastSeq : null; } };
boot();
registerServiceWorker();
