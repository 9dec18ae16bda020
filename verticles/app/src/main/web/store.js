// The page's state, in one place: every task the page knows of by id (the version rule: a task
// only replaces an older version of itself), and what the page shows — the view and its order of
// ids, the selection, the open panel, the counts, the saved filters. The bridge (live.js) and the
// API's answers write tasks; the views render from here and re-render when it says something
// changed.

/** Every task of the user that this page knows of, by id. */
export class TaskStore {
  constructor() {
    this.tasks = new Map();
    this.listeners = new Set();
  }

  get(id) {
    return this.tasks.get(id);
  }

  /** Keeps the task unless a newer version is already here; true when something changed. */
  put(task) {
    const current = this.tasks.get(task.id);
    if (current && current.version >= task.version) {
      return false;
    }
    this.tasks.set(task.id, task);
    this.emit({ kind: 'put', task, previous: current });
    return true;
  }

  remove(id) {
    const current = this.tasks.get(id);
    if (!current) {
      return false;
    }
    this.tasks.delete(id);
    this.emit({ kind: 'remove', task: current });
    return true;
  }

  clear() {
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
