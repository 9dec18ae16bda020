// The taskbus page: sign-in, then the views (sidebar, list, side panel), notifications and live
// updates from the bridge. Plain ES modules and the DOM; no framework, no build step. State lives
// in store.js; this module wires the parts together.
import { toggle, restore, trash } from './actions.js';
import { Api, ApiError, claims } from './api.js';
import { askConflict } from './conflict.js';
import { $, el } from './dom.js';
import { zonedToOffsetDateTime } from './due.js';
import {
  inboxConnected, initInbox, onNotificationPush, setInboxVisible, startInbox, stopInbox,
} from './inbox.js';
import { placeIcons } from './icons.js';
import { initKeys } from './keys.js';
import { currentSpec, isListView, loadList, renderList, select } from './list.js';
import { Live } from './live.js';
import { closePanel, openNew, openTask, taskChanged, taskRemoved, typeLabel } from './panel.js';
import { Outbox } from './pending.js';
import { registerServiceWorker } from './pwa.js';
import { mountQuickAdd } from './quickadd-bar.js';
import { go, parseRoute, routeHash } from './router.js';
import {
  filterTools, initSidebar, loadFilters, markCurrent, refreshCounts, setDrawer,
} from './sidebar.js';
import { forgetTasks, keepTasks, newSession, recallTasks, state } from './store.js';
import { clearMessages, snackbar, toast } from './toast.js';
import { addDays, today, userZone } from './when.js';

const TOKEN_KEY = 'taskbus.token';
const REFRESH_MS = 60;
const KEEP_TASKS_MS = 1000;

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
  $('#search').hidden = true;
  $('#menu-button').hidden = true;
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
  const s = state.session;
  if (s) {
    s.live.stop();
    // what waits in the outbox stays, for this user's next visit; the copy of the tasks goes
    s.outbox.stop();
    clearTimeout(s.keepTimer);
    forgetTasks(s.user);
    clearTimeout(s.expiryTimer);
    clearTimeout(s.refreshTimer);
    clearTimeout(s.countsTimer);
    clearTimeout(s.midnightTimer);
    s.unsubscribe();
    closePanel({ restoreFocus: false });
    state.session = null;
  }
  stopInbox();
  sessionStorage.removeItem(TOKEN_KEY);
  $('#task-list').replaceChildren();
  $('#activity').replaceChildren();
  clearMessages();
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

// ---------------------------------------------------------------------------------------------
// The signed-in page

function startSession(token, user, exp) {
  const api = new Api(() => (state.session ? state.session.token : null),
    () => signOut('Your session ended (the server no longer accepts the token). Sign in again.'));
  const s = newSession({ token, user, api });
  s.live = new Live({
    api, store: s.tasks, userId: user, token,
    onState: (st) => {
      showConnection(st);
      if (st === 'connected') {
        inboxConnected();
        // the server answers again: whatever waits goes now, not after the outbox's backoff
        if (s.outbox) s.outbox.flush();
      }
    },
    onApplied: logActivity,
    onAuthLost: (why) => signOut(why),
    onError: (text) => toast(text, 'error'),
    onNotification: onNotificationPush,
  });
  s.outbox = new Outbox({
    api, store: s.tasks, user,
    onCount: showOutbox,
    onSent: (entry, task) => {
      if (state.session !== s) return;
      // the created task takes the place of its stand-in in the view
      if (task && task.id !== entry.taskId) s.list.ids = s.list.ids.map((id) => (id === entry.taskId ? task.id : id));
      // a panel open on the stand-in goes on with the task, whatever is typed in it kept
      if (s.panel && s.panel.mode === 'task' && task && s.panel.id === entry.taskId && task.id !== entry.taskId) {
        Object.assign(s.panel, { id: task.id, task: s.tasks.get(task.id) || task, etag: null });
        history.replaceState(null, '', `#task/${encodeURIComponent(task.id)}`);
      }
    },
    onDropped: (entry, error, text) => {
      toast(text, 'error');
      if (state.session === s) loadList();
    },
    onConflict: askConflict,
  });
  state.session = s;
  // the tasks as last seen, until the server answers (and when it cannot be reached)
  recallTasks(s.tasks, user);
  if (typeof exp === 'number') {
    const ms = exp * 1000 - Date.now();
    if (ms < 2 ** 31) {
      s.expiryTimer = setTimeout(() => signOut('Your session expired. Sign in again.'), ms);
    }
  }
  s.unsubscribe = s.tasks.subscribe(onTaskChange);
  $('#signin').hidden = true;
  $('#session').hidden = false;
  $('#search').hidden = false;
  $('#menu-button').hidden = false;
  $('#app').hidden = false;
  $('#user-name').textContent = user;
  $('#task-list').replaceChildren();
  $('#activity').replaceChildren();
  $('#search-input').value = '';
  startInbox(api);
  applyRoute();
  s.live.start();
  s.outbox.start();
  refreshCounts(true);
  atMidnight(s);
  loadFilters().then(() => {
    if (state.session === s && s.route.view === 'filter') applyRoute();
  });
}

/** A new day in the person's zone: Today, Upcoming, the words and the counts move on. */
function atMidnight(s) {
  const next = Date.parse(zonedToOffsetDateTime(`${addDays(today(), 1)}T00:00`, userZone()));
  s.midnightTimer = setTimeout(() => {
    if (state.session !== s) return;
    $('#task-list').replaceChildren();
    loadList();
    refreshCounts(true);
    atMidnight(s);
  }, Math.max(1000, next - Date.now() + 1000));
}

const CONNECTION_TEXT = {
  connecting: 'Live updates: connecting…',
  connected: 'Live updates: connected',
  reconnecting: 'Live updates: reconnecting…',
  offline: 'Live updates: offline, retrying',
  stopped: 'Live updates: off',
};

/** How many changes wait in the outbox; on a phone the words shrink to "3 pending" (read in full). */
function showOutbox(count) {
  const status = $('#outbox-status');
  status.replaceChildren(
    el('span', { class: 'outbox-text' }, count === 1 ? '1 change waiting to be sent' : `${count} changes waiting to be sent`),
    el('span', { class: 'outbox-short', 'aria-hidden': 'true' }, `${count} pending`));
  status.hidden = count === 0;
}

function showConnection(st) {
  $('#connection').dataset.state = st;
  $('#connection-text').textContent = CONNECTION_TEXT[st] || st;
}

/**
 * A task changed (a push, a sync, an answer): the list, the panel and the counts follow. A sync
 * applies hundreds of changes in one go: the list is drawn, the counts and the view asked for and
 * the copy kept once after them.
 */
function onTaskChange(change) {
  const s = state.session;
  if (!s) return;
  if (change.kind === 'remove') taskRemoved(change.task.id);
  else taskChanged(change.task);
  if (s.changesQueued) return;
  s.changesQueued = true;
  queueMicrotask(() => {
    s.changesQueued = false;
    if (state.session === s) afterTaskChanges(s);
  });
}

function afterTaskChanges(s) {
  renderList();
  refreshCounts();
  if (!s.keepTimer) {
    // a copy for a reload without a network, written when the page has nothing else to do
    const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 0)); // Safari has none
    s.keepTimer = setTimeout(() => idle(() => {
      s.keepTimer = null;
      if (state.session === s) keepTasks(s.tasks, s.user);
    }, { timeout: 5000 }), KEEP_TASKS_MS);
  }
  // which tasks belong to the view is the server's to say: ask again a moment later
  clearTimeout(s.refreshTimer);
  s.refreshTimer = setTimeout(() => loadList(), REFRESH_MS);
}

// ---------------------------------------------------------------------------------------------
// Routes: the fragment says which view, and whether a task's panel is open

const VIEW_TITLE = { notifications: 'Notifications', activity: 'Activity' };

function applyRoute() {
  const s = state.session;
  if (!s) return;
  const route = parseRoute(location.hash);
  if (!route) return;
  if (route.task) {
    if (!s.routed) {
      s.routed = true;
      showView(s.route);
    }
    openTask(route.task);
    return;
  }
  s.routed = true;
  if (s.panel && s.panel.mode === 'task') closePanel({ restoreFocus: false });
  showView(route);
}

function showView(route) {
  const s = state.session;
  const changed = JSON.stringify(route) !== JSON.stringify(s.route);
  s.route = route;
  const list = isListView(route);
  $('#tasks-view').hidden = !list;
  $('#notifications-panel').hidden = route.view !== 'notifications';
  $('#activity-panel').hidden = route.view !== 'activity';
  $('#notifications-button').setAttribute('aria-expanded', String(route.view === 'notifications'));
  setInboxVisible(route.view === 'notifications');
  if (route.view !== 'search') {
    $('#search-input').value = '';
    $('#filter-error').hidden = true;
    $('#search-input').removeAttribute('aria-invalid');
  } else if (document.activeElement !== $('#search-input')) {
    $('#search-input').value = route.text || '';
  }
  const spec = list ? currentSpec() : null;
  $('#view-title').textContent = spec ? spec.title : VIEW_TITLE[route.view];
  const unread = Number($('#notifications-button').dataset.unread) || 0;
  document.title = `${unread ? `(${unread > 99 ? '99+' : unread}) ` : ''}${spec ? spec.title : VIEW_TITLE[route.view]} · taskbus`;
  $('#view-hint').textContent = route.view === 'activity'
    ? 'Every change as this page applied it, with its sequence number.' : (spec && spec.hint) || '';
  $('#view-hint').hidden = !$('#view-hint').textContent;
  $('#sort').hidden = !(spec && spec.sortable);
  $('#sort').value = s.sort;
  $('#list-error').hidden = true;
  markCurrent();
  filterTools();
  if (list) {
    if (changed) {
      s.selected = null;
      $('#task-list').replaceChildren();
      $('#empty').hidden = true;
      $('#more').hidden = true;
    }
    loadList();
  }
}

window.addEventListener('hashchange', () => {
  const token = tokenFromFragment();
  if (token) {
    signOut();
    signIn(token);
    return;
  }
  applyRoute();
});
window.addEventListener('popstate', () => applyRoute());
document.addEventListener('taskbus:route', () => applyRoute());

$('#sort').addEventListener('change', () => {
  const s = state.session;
  if (!s) return;
  s.sort = $('#sort').value;
  loadList();
});
$('#more').addEventListener('click', () => loadList({ more: true }));
$('#new-task').addEventListener('click', () => openNew());
$('#panel-close').addEventListener('click', () => closePanel());
$('#help-button').addEventListener('click', () => $('#shortcuts').showModal());
$('#notifications-button').addEventListener('click', () => {
  // the bell toggles: a second press goes back where one was
  const s = state.session;
  if (!s) return;
  if (s.route.view === 'notifications') go(s.beforeNotifications || '#today');
  else {
    s.beforeNotifications = routeHash(s.route);
    go('#notifications');
  }
});

// ---------------------------------------------------------------------------------------------
// The list's rows

async function onListAction(event) {
  const target = event.target.closest('[data-action]');
  const s = state.session;
  if (!target || !s) return;
  const li = target.closest('li[data-id], li[data-series]');
  const id = li && (li.dataset.id || li.dataset.series);
  const task = id && s.tasks.get(id);
  if (!task) return;
  const action = target.dataset.action;
  if (action === 'toggle' && event.type === 'change') {
    toggle(task);
  } else if (event.type !== 'click') {
    return;
  } else if (action === 'open' || action === 'edit') {
    if (li.dataset.id) select(id, { focus: false });
    openTask(id, { edit: action === 'edit' });
  } else if (action === 'delete') {
    trash(task);
  } else if (action === 'restore') {
    restore(task);
  }
}
$('#task-list').addEventListener('click', onListAction);
$('#task-list').addEventListener('change', onListAction);

// ---------------------------------------------------------------------------------------------
// Activity: every change as the page applied it, with its sequence number

function logActivity(change, how) {
  const task = change.task || (change.data && change.data.task);
  const label = how === 'sync'
    ? (change.purged ? 'Purged (caught up)' : 'Caught up')
    : typeLabel(change.type);
  const item = el('li', { dataset: { seq: String(change.seq), how } },
    el('span', { class: 'seq' }, `#${change.seq}`), ' ',
    el('span', { class: 'what' }, label), ' ',
    el('span', { class: 'activity-title' }, task ? task.title : (change.taskId || change.subject || '')));
  const list = $('#activity');
  list.prepend(item);
  while (list.children.length > 100) {
    list.lastElementChild.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// Start

placeIcons();
initInbox({ openTask, toast });
initSidebar();
initKeys();
// a quick-added task is created like one from the panel: the store has it at once (the counts
// follow from there) and the view asks the server whether it belongs
mountQuickAdd($('#quick-add'), {
  zone: userZone,
  create: async (body) => {
    const s = state.session;
    const { task, outcome } = s.outbox.enqueue('create', null, { body });
    loadList();
    // a refusal (a 400) is said on the line, with what was typed kept there
    await outcome;
    if (state.session !== s) return task;
    snackbar(`Added “${task.title}”.`, () => trash(s.tasks.get(task.id) || task));
    return task;
  },
});
window.matchMedia('(min-width: 901px)').addEventListener('change', () => setDrawer(false));

function boot() {
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

window.taskbus = { get lastSeq() { return state.session ? state.session.live.lastSeq : null; } };
boot();
registerServiceWorker();
