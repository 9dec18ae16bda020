// The page's state, in one place: every task the page knows of by id (the version rule: a task
// only replaces an older version of itself), and what the page shows — the view and its order of
// ids, the selection, the open panel, the counts, the saved filters. The bridge (live.js) and the
// API's answers write tasks; the views render from here and re-render when it says something
// changed.

/**
 * Every task of the user that this page knows of, by id: the server's version of each (`server`)
 * and the version shown (`get`), which is the server's with the changes still queued in the
 * outbox applied (`overlay`, set by pending.js), and the tasks created while they wait.
 */
export class TaskStore {
  constructor() {
    this.server = new Map();
    this.tasks = new Map();
    this.listeners = new Set();
    this.overlay = null;
  }

  get(id) {
    return this.tasks.get(id);
  }

  values() {
    return [...this.tasks.values()];
  }

  /** The shown tasks the server does not have yet (created while queued). */
  localIds() {
    return [...this.tasks.keys()].filter((id) => !this.server.has(id));
  }

  /** Keeps the task unless a newer version is already here; true when something changed. */
  put(task) {
    const current = this.server.get(task.id);
    if (current && current.version >= task.version) {
      return false;
    }
    this.server.set(task.id, task);
    this.show(task.id);
    return true;
  }

  remove(id) {
    if (!this.server.has(id) && !this.tasks.has(id)) {
      return false;
    }
    this.server.delete(id);
    this.show(id);
    return true;
  }

  /** Shows the task again as the server's version and the queued changes make it. */
  show(id) {
    const base = this.server.get(id);
    const shown = this.overlay ? this.overlay(id, base) : base;
    const previous = this.tasks.get(id);
    if (shown) {
      if (shown === previous) return;
      this.tasks.set(id, shown);
      this.emit({ kind: 'put', task: shown, previous });
    } else if (previous) {
      this.tasks.delete(id);
      this.emit({ kind: 'remove', task: previous });
    }
  }

  clear() {
    this.server.clear();
    this.tasks.clear();
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change) {
    for (const listener of this.listeners) {
      listener(change);
    }
  }
}

/** What the page shows, besides the tasks. One object per signed-in user; null when signed out. */
export function newSession({ token, user, api }) {
  return {
    token, user, api,
    tasks: new TaskStore(),
    live: null,
    expiryTimer: null,
    route: { view: 'today' },
    // the current view: its ids in the server's order, the next page's cursor, a request counter
    // so an older answer never overwrites a newer one, and occurrences of series (Upcoming)
    list: { key: null, ids: [], cursor: null, token: 0, occurrences: new Map(), error: null },
    selected: null, // the selected task's id (j/k), in the current view
    panel: null, // { mode: 'task', id } or { mode: 'new' }
    search: '', // the filter-language text of the search field
    sort: 'created-desc',
    counts: null, // the answer of /tasks/counts, or null when the server has none
    filters: null, // the saved filters, or null when the server has none
    notifications: null, // inbox.js: the unread count, the listed notifications, the toasted ids
    leaving: new Set(), // ids of rows animating away after a completion
  };
}

/** The page's one state holder: `state.session` is the signed-in user's, or null. */
export const state = { session: null };

const TASKS_KEY = 'taskbus.tasks.';

/**
 * The server's versions of the user's tasks, kept in localStorage so that a reload without a
 * network still shows them (the changes waiting to be sent are pending.js's).
 */
export function keepTasks(store, user) {
  try {
    localStorage.setItem(TASKS_KEY + user, JSON.stringify([...store.server.values()]));
  } catch (e) {
    // no room: the page works without it, it only shows less while offline
  }
}

export function recallTasks(store, user) {
  try {
    const tasks = JSON.parse(localStorage.getItem(TASKS_KEY + user) || '[]');
    for (const task of Array.isArray(tasks) ? tasks : []) store.put(task);
  } catch (e) {
    // an unreadable copy: the server's answers replace it
  }
}

export function forgetTasks(user) {
  localStorage.removeItem(TASKS_KEY + user);
}
