// The task views: which tasks each one asks the server for, how it groups them (Today: overdue
// first; Upcoming: by day, with the next occurrences of recurring series), and the light rows —
// checkbox, title, and one line of what matters (due in words, repeat, reminders, priority, tags),
// with Edit and Delete on hover or focus. Which tasks and in what order comes from the server;
// their content from the store, so a live change shows at once and the next answer settles
// membership.
import { $, $$, el } from './dom.js';
import { icon } from './icons.js';
import { describeRecurrence, describeReminder } from './schedule.js';
import { state } from './store.js';
import {
  addDays, dayHeading, describeDue, formatWhen, occurrenceDay, timeOfDay, today, userZone,
} from './when.js';

// today and the 14 days after it, as /tasks/counts counts Upcoming
const UPCOMING_DAYS = 15;
const SERIES_PREVIEW = 15;
const SORTS = {
  'created-desc': ['created', 'desc'], 'created-asc': ['created', 'asc'], 'due-asc': ['due', 'asc'],
  'priority-desc': ['priority', 'desc'], 'updated-desc': ['updated', 'desc'],
};

const open = (t) => !t.deletedAt && !t.completed;
// the day alone (the words are the row's to make, once)
const dueDay = (t) => t.dueDate || (t.dueAt ? occurrenceDay(t.dueAt) : null);

/**
 * What a view asks for and which tasks it keeps when one changes live. Today and Upcoming name
 * their days as dates of the person's zone (a date bound is that whole day in `tz`), so the page
 * and the server agree on where a day starts.
 */
function viewSpec(route, s) {
  const day = today();
  const sorted = (params) => {
    const [sort, order] = SORTS[s.sort] || SORTS['created-desc'];
    return { ...params, sort, order };
  };
  switch (route.view) {
    case 'today':
      return { title: 'Today', sortable: false, params: { status: 'open', filter: `due < ${addDays(day, 1)}`, sort: 'due', order: 'asc' },
        accepts: (t) => open(t) && dueDay(t) !== null && dueDay(t) <= day, group: groupToday };
    case 'upcoming':
      return { title: 'Upcoming', sortable: false, series: true,
        params: { status: 'open', filter: `due >= ${day} & due < ${addDays(day, UPCOMING_DAYS)}`, sort: 'due', order: 'asc' },
        accepts: (t) => open(t) && dueDay(t) !== null && dueDay(t) >= day && dueDay(t) < addDays(day, UPCOMING_DAYS),
        group: groupUpcoming };
    case 'inbox':
      return { title: 'Inbox', sortable: true, hint: 'Open tasks without a due date.',
        params: sorted({ status: 'open', filter: 'no:due' }), accepts: (t) => open(t) && !t.dueDate && !t.dueAt };
    case 'completed':
      return { title: 'Completed', sortable: false, params: { status: 'completed', sort: 'updated', order: 'desc' },
        accepts: (t) => !t.deletedAt && t.completed };
    case 'trash':
      return { title: 'Trash', sortable: false, path: '/trash', hint: 'Deleted tasks stay here until they are purged.',
        accepts: (t) => Boolean(t.deletedAt) };
    case 'filter': {
      const saved = (s.filters || []).find((f) => f.id === route.id);
      if (!saved) return { title: 'Filter', sortable: false, missing: true, accepts: () => false };
      return { title: saved.name, sortable: true, filter: saved.filter, hint: saved.filter,
        params: sorted({ status: statusFor(saved.filter), filter: saved.filter }),
        accepts: (t) => !t.deletedAt && (statusFor(saved.filter) === 'all' || !t.completed) };
    }
    case 'search':
      return { title: route.text ? `Search: ${route.text}` : 'Search', sortable: true, filter: route.text,
        params: sorted({ status: statusFor(route.text), filter: route.text }),
        accepts: (t) => !t.deletedAt && (statusFor(route.text) === 'all' || !t.completed) };
    default:
      return { title: 'All', sortable: true, params: sorted({ status: 'open' }), accepts: open };
  }
}

/** A filter that speaks of completed or open tasks itself is asked over all of them. */
function statusFor(filter) {
  return /(^|[^\w:])(completed|open)($|[^\w:])/i.test(filter || '') ? 'all' : 'open';
}

export function currentSpec() {
  const s = state.session;
  return s ? viewSpec(s.route, s) : null;
}

// ---------------------------------------------------------------------------------------------
// Loading

/** Asks the server for the current view's tasks (the first page, or the next one with `more`). */
export async function loadList({ more = false } = {}) {
  const s = state.session;
  if (!s || !isListView(s.route)) return;
  const spec = viewSpec(s.route, s);
  const key = JSON.stringify([s.route, s.sort]);
  if (s.list.key !== key) {
    s.list = { key, ids: [], cursor: null, token: s.list.token, occurrences: s.list.occurrences, error: null };
  }
  if (spec.missing) {
    s.list.ids = [];
    renderList();
    return;
  }
  const token = ++s.list.token;
  const params = new URLSearchParams(spec.params || {});
  params.set('tz', userZone());
  params.set('limit', String(more ? 50 : Math.min(200, Math.max(50, s.list.ids.length))));
  if (more && s.list.cursor) params.set('cursor', s.list.cursor);
  let page;
  try {
    page = await s.api.get(`${spec.path || '/tasks'}?${params}`);
  } catch (e) {
    if (state.session === s && token === s.list.token) {
      if (e.status === 0) {
        // offline: the view from the tasks this page knows, with the changes waiting to be sent
        s.list.error = null;
        s.list.offline = true;
        s.list.ids = knownIds(s);
        s.list.cursor = null;
        showListError(null, spec);
        $('#offline-note').hidden = false;
      } else {
        s.list.error = e;
        showListError(e, spec);
      }
      renderList();
    }
    return;
  }
  if (state.session !== s || token !== s.list.token || s.list.key !== key) return;
  s.list.error = null;
  s.list.offline = false;
  $('#offline-note').hidden = true;
  showListError(null, spec);
  for (const task of page.items) s.tasks.put(task);
  // tasks created while their create waits in the outbox, newest first, then the server's
  const local = s.tasks.localIds().map((id) => s.tasks.get(id)).sort(newestFirst).map((t) => t.id);
  const ids = [...local, ...page.items.map((t) => t.id)];
  s.list.ids = more ? [...s.list.ids, ...ids.filter((id) => !s.list.ids.includes(id))] : ids;
  s.list.cursor = page.nextCursor;
  if (spec.series) await loadOccurrences(s, page.items);
  renderList();
}

/** Every known task, newest first (the views that group sort within their groups). */
function knownIds(s) {
  return s.tasks.values().sort(newestFirst).map((t) => t.id);
}

const newestFirst = (a, b) => (Date.parse(b.createdAt) || 0) - (Date.parse(a.createdAt) || 0);

export function isListView(route) {
  return !['notifications', 'activity'].includes(route.view);
}

/** Upcoming shows a series by its next occurrences: asked once per version of the open one. */
async function loadOccurrences(s, tasks) {
  const wanted = tasks.filter((t) => t.recurrence && !t.completed);
  await Promise.all(wanted.map(async (t) => {
    const key = `${t.id}@${t.version}`;
    if (s.list.occurrences.has(key)) return;
    try {
      const from = encodeURIComponent(t.dueAt || t.dueDate);
      const answer = await s.api.get(`/tasks/${encodeURIComponent(t.id)}/occurrences?from=${from}&limit=${SERIES_PREVIEW}`);
      s.list.occurrences.set(key, answer.items.map((o) => o.start));
    } catch (e) {
      s.list.occurrences.set(key, []);
    }
  }));
}

function showListError(error, spec) {
  const filterError = $('#filter-error');
  const listError = $('#list-error');
  const input = $('#search-input');
  filterError.hidden = true;
  listError.hidden = true;
  input.removeAttribute('aria-invalid');
  if (!error) return;
  const field = error.field && error.field('filter');
  if (field && state.session && state.session.route.view === 'search') {
    filterError.replaceChildren(el('span', {}, field.message));
    const text = spec.filter || '';
    if (Number.isInteger(field.position) && field.position <= text.length) {
      // point at the spot: the text up to it, the offending character marked
      filterError.append(el('code', { class: 'where' }, text.slice(0, field.position),
        el('mark', {}, text.slice(field.position, field.position + 1) || ' '), text.slice(field.position + 1)));
    }
    filterError.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  } else {
    listError.textContent = error.message;
    listError.hidden = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Grouping

function groupToday(tasks) {
  const day = today();
  const overdue = tasks.filter((t) => dueDay(t) < day).sort(byDueTask);
  const rest = tasks.filter((t) => dueDay(t) >= day).sort(byDueTask);
  const items = [];
  if (overdue.length) items.push(head('overdue', 'Overdue'), ...overdue.map((t) => row(t)));
  if (overdue.length && rest.length) items.push(head('today', dayHeading(day)));
  items.push(...rest.map((t) => row(t, true)));
  return items;
}

function groupUpcoming(tasks, s) {
  const first = today();
  const last = addDays(first, UPCOMING_DAYS);
  const byDay = new Map();
  const add = (day, item) => {
    if (day < first || day >= last) return;
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(item);
  };
  for (const t of tasks) {
    add(dueDay(t), row(t, true));
    if (!t.recurrence) continue;
    // the series' later occurrences, as the API previews them; the open one is the task itself
    const own = describeDue(t);
    for (const start of s.list.occurrences.get(`${t.id}@${t.version}`) || []) {
      const at = /^\d{4}-\d{2}-\d{2}$/.test(start) ? start : Date.parse(start);
      if (own && (typeof at === 'string' ? at <= t.dueDate : at <= Date.parse(t.dueAt))) continue;
      add(occurrenceDay(start), { key: `o:${t.id}:${start}`, kind: 'occurrence', task: t, start, underDay: true });
    }
  }
  return [...byDay.keys()].sort().flatMap((day) => [head(day, dayHeading(day)), ...byDay.get(day).sort(byDue)]);
}

/**
 * By day in the person's zone; within a day the all-day ones first (they count from the day's
 * start), then by time.
 */
function byDue(a, b) {
  const at = (item) => (item.kind === 'occurrence' ? item.start : item.task.dueAt || item.task.dueDate);
  const day = (item) => occurrenceDay(at(item));
  const timed = (item) => !/^\d{4}-\d{2}-\d{2}$/.test(at(item));
  return day(a).localeCompare(day(b)) || (timed(a) - timed(b))
    || (timed(a) ? Date.parse(at(a)) - Date.parse(at(b)) : 0);
}
const byDueTask = (a, b) => byDue({ task: a }, { task: b });

const head = (key, text) => ({ key: `h:${key}`, kind: 'head', text });
// under a day's heading a row says only the time: the day is the heading's
const row = (task, underDay = false) => ({ key: task.id, kind: 'task', task, underDay });

// ---------------------------------------------------------------------------------------------
// Rendering

export function renderList() {
  const s = state.session;
  if (!s || !isListView(s.route)) return;
  const spec = viewSpec(s.route, s);
  const tasks = s.list.ids.map((id) => s.tasks.get(id)).filter((t) => t && (spec.accepts(t) || s.leaving.has(t.id)));
  const items = spec.group ? spec.group(tasks, s) : tasks.map((t) => row(t));
  reconcile($('#task-list'), items);
  $('#empty').hidden = tasks.length > 0 || Boolean(s.list.error);
  $('#empty').textContent = spec.missing ? 'This filter no longer exists.' : emptyText(s.route.view);
  $('#more').hidden = !s.list.cursor;
  if (s.selected && !tasks.some((t) => t.id === s.selected)) s.selected = null;
  markSelected();
}

function emptyText(view) {
  return {
    today: 'Nothing due today.', upcoming: 'Nothing due in the next two weeks.', inbox: 'No tasks without a due date.',
    completed: 'Nothing completed yet.', trash: 'The trash is empty.',
  }[view] || 'No tasks here.';
}

/**
 * Brings the list's rows in line with the items: one row per key, in order; a task's row is
 * rebuilt only when its version changed (so focus and hover stay put).
 */
function reconcile(list, items) {
  const existing = new Map($$(':scope > li', list).map((li) => [li.dataset.key, li]));
  const wanted = new Set(items.map((i) => i.key));
  for (const [key, li] of existing) {
    if (!wanted.has(key)) li.remove();
  }
  let cursor = list.firstElementChild;
  for (const item of items) {
    let li = existing.get(item.key);
    const stamp = item.kind === 'head' ? item.text
      : `${item.task.version}:${item.task.pending || ''}:${state.session.leaving.has(item.task.id)}`;
    if (!li || li.dataset.stamp !== stamp) {
      const focused = li && li.contains(document.activeElement) ? document.activeElement.dataset.action : null;
      const fresh = render(item);
      fresh.dataset.key = item.key;
      fresh.dataset.stamp = stamp;
      if (li) {
        if (li === cursor) cursor = fresh;
        li.replaceWith(fresh);
      }
      li = fresh;
      if (focused) {
        const again = $(`[data-action="${focused}"]`, li);
        if (again) again.focus();
      }
    }
    if (li !== cursor) {
      list.insertBefore(li, cursor);
    } else {
      cursor = cursor.nextElementSibling;
    }
  }
}

function render(item) {
  if (item.kind === 'head') return el('li', { class: 'group-head' }, el('h3', {}, item.text));
  if (item.kind === 'occurrence') return occurrenceRow(item.task, item.start);
  return item.task.deletedAt ? trashRow(item.task) : taskRow(item.task, item.underDay);
}

/** A change of the task waits to be sent: said in words, not only by a colour. */
function pendingMark(task) {
  return task.pending ? el('span', { class: 'pending-mark', title: 'Waiting to be sent' }, 'Pending') : null;
}

const PRIORITY = { high: 'High priority', medium: 'Medium priority', low: 'Low priority' };

function meta(task, underDay) {
  const due = describeDue(task);
  if (due && underDay) due.text = task.dueAt ? timeOfDay(Date.parse(task.dueAt)) : '';
  const reminders = task.reminders || [];
  return el('div', { class: 'meta' },
    pendingMark(task),
    due && due.text ? el('time', { class: `due${due.overdue ? ' overdue' : ''}`, dateTime: due.datetime,
      title: due.overdue ? 'Overdue' : '' }, due.text) : null,
    task.recurrence ? el('span', { class: 'repeats', title: describeRecurrence(task.recurrence) },
      icon('repeat'), el('span', { class: 'sr' }, describeRecurrence(task.recurrence))) : null,
    reminders.length ? el('span', { class: 'reminder-count', title: reminders.map(describeReminder).join(', ') },
      icon('alarm'), el('span', { class: 'sr' }, reminders.length === 1 ? '1 reminder' : `${reminders.length} reminders`)) : null,
    // medium is the default: only high and low are marked (the row's data-priority says it too)
    task.priority === 'medium' ? null : el('span', { class: `priority p-${task.priority}`, title: PRIORITY[task.priority] },
      icon('flag'), el('span', { class: 'sr' }, PRIORITY[task.priority])),
    task.tags.length ? el('ul', { class: 'tags', 'aria-label': 'Tags' }, ...task.tags.map((t) => el('li', {}, t))) : null);
}

function taskRow(task, underDay) {
  const leaving = state.session.leaving.has(task.id);
  return el('li', {
    class: `task p-${task.priority}${task.completed ? ' completed' : ''}${leaving ? ' leaving' : ''}`,
    dataset: { id: task.id, version: String(task.version), completed: String(task.completed), priority: task.priority,
      pending: String(Boolean(task.pending)) },
  },
  // the title is no label of the checkbox: a click on it opens the task, it does not complete it
  el('input', { type: 'checkbox', class: 'done', checked: task.completed, dataset: { action: 'toggle' },
    'aria-label': `Done: “${task.title}”`, title: task.completed ? 'Reopen' : 'Complete' }),
  el('div', { class: 'task-body' },
    el('button', { type: 'button', class: 'title', dataset: { action: 'open' } }, task.title),
    meta(task, underDay)),
  el('div', { class: 'row-actions' },
    el('button', { type: 'button', class: 'icon-button', dataset: { action: 'edit' }, 'aria-label': `Edit “${task.title}”`,
      title: 'Edit (e)' }, icon('pencil')),
    el('button', { type: 'button', class: 'icon-button danger', dataset: { action: 'delete' },
      'aria-label': `Delete “${task.title}”`, title: 'Delete (Delete key)' }, icon('trash'))));
}

function trashRow(task) {
  return el('li', { class: 'task trashed', dataset: { id: task.id, version: String(task.version),
    pending: String(Boolean(task.pending)) } },
    el('div', { class: 'task-body' },
      el('button', { type: 'button', class: 'title', dataset: { action: 'open' } }, task.title),
      el('div', { class: 'meta' }, pendingMark(task), el('span', {}, `Deleted ${formatWhen(task.deletedAt)}`))),
    el('div', { class: 'row-actions shown' },
      el('button', { type: 'button', class: 'secondary small', dataset: { action: 'restore' },
        'aria-label': `Restore “${task.title}”` }, 'Restore')));
}

function occurrenceRow(task, start) {
  return el('li', { class: 'task occurrence', dataset: { series: task.id, occurrence: start } },
    el('span', { class: 'occurrence-mark' }, icon('repeat')),
    el('div', { class: 'task-body' },
      el('button', { type: 'button', class: 'title', dataset: { action: 'open' } }, task.title),
      el('div', { class: 'meta' },
        /^\d{4}-\d{2}-\d{2}$/.test(start) ? null
          : el('time', { class: 'due', dateTime: start }, timeOfDay(Date.parse(start))),
        el('span', { class: 'hint' }, 'a later occurrence'))));
}

// ---------------------------------------------------------------------------------------------
// Selection (j/k)

/** The rows a selection can move over: tasks, not headings or previews of occurrences. */
export function selectableRows() {
  return $$('#task-list > li.task[data-id]');
}

export function select(id, { focus = true } = {}) {
  const s = state.session;
  if (!s) return;
  s.selected = id;
  markSelected();
  const li = id && $(`#task-list > li[data-id="${CSS.escape(id)}"]`);
  if (li && focus) {
    $('.title', li).focus();
    li.scrollIntoView({ block: 'nearest' });
  }
}

function markSelected() {
  const s = state.session;
  for (const li of selectableRows()) {
    if (s && li.dataset.id === s.selected) li.setAttribute('aria-current', 'true');
    else li.removeAttribute('aria-current');
  }
}
