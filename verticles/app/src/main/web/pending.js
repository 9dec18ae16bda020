// The outbox: every change the page makes to a task (create, edit, complete, reopen, trash,
// restore) is queued here first, shown at once through the store (marked pending), kept in
// localStorage so that a reload loses nothing, and sent in order, one at a time, with the
// Idempotency-Key it got when it was made (the POSTs: create, complete, reopen, restore) and the
// If-Match of the version it was based on (every change of an existing task). No answer at all
// (offline, the server away) keeps it and tries again with backoff, as do 408, 429 and 5xx
// (after their Retry-After). A 412 is settled by comparing fields: already applied (an answer
// that was lost), someone changed only other fields (sent again on the new version), or the same
// field changed on both sides: a conflict, which the person settles. Any other 4xx drops the
// change and says why.
import { ApiError, newKey } from './api.js';

export const LOCAL_PREFIX = 'local-';
const PATCH_TYPE = 'application/merge-patch+json';
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30000;
const RETRY_AFTER_MAX_MS = 60000;
// a task that keeps changing between our tries is a conflict the person sees, not a loop
const REBASES_MAX = 5;
const RETRIED = new Set([0, 408, 425, 429]);

/** The task's ETag as the API writes it (`"<id>.<version>"`): the version a change is based on. */
export const etagOf = (task) => `"${task.id}.${task.version}"`;

export const isLocal = (id) => String(id).startsWith(LOCAL_PREFIX);

const VERB = {
  create: 'add', patch: 'save the edit of', complete: 'complete', reopen: 'reopen', trash: 'delete',
  restore: 'restore',
};

/** Equal as the API means it: absent and null alike, instants by time, arrays and objects by value. */
export function sameValue(field, a, b) {
  const x = a ?? null;
  const y = b ?? null;
  if (field === 'dueAt' && x && y) return Date.parse(x) === Date.parse(y);
  if (field === 'tags' && Array.isArray(x) && Array.isArray(y)) {
    return JSON.stringify([...x].sort()) === JSON.stringify([...y].sort());
  }
  return JSON.stringify(x) === JSON.stringify(y);
}

/**
 * What a 412 on an edit means, from the edit, the values it was made over (`base`) and the
 * server's task now: 'applied' (the server has every value of the edit), 'rebase' (the server
 * changed none of the edit's fields: send it again on the new version) or 'conflict' with the
 * fields where the server and the edit differ.
 */
export function settleEdit(patch, base, server) {
  const fields = Object.keys(patch);
  const differing = fields.filter((f) => !sameValue(f, patch[f], server[f]));
  if (!differing.length) return { outcome: 'applied', fields: [] };
  if (fields.every((f) => sameValue(f, (base || {})[f], server[f]))) return { outcome: 'rebase', fields: [] };
  return { outcome: 'conflict', fields: differing };
}

/** Whether a state change (complete, reopen, trash, restore) already holds on the task. */
export function stateHolds(kind, task) {
  if (!task) return kind === 'trash';
  return {
    complete: task.completed === true, reopen: task.completed === false,
    trash: Boolean(task.deletedAt), restore: !task.deletedAt,
  }[kind];
}

/** The task as the change makes it, at once (`now` an ISO instant). */
export function applyEntry(task, entry, now) {
  if (entry.kind === 'create') {
    const b = entry.body;
    return {
      id: entry.taskId, title: b.title, description: b.description ?? null, priority: b.priority || 'medium',
      tags: [...new Set((b.tags || []).map((t) => t.toLowerCase()))].sort(),
      dueDate: b.dueDate ?? null, dueAt: b.dueAt ?? null, timeZone: b.timeZone ?? null,
      recurrence: b.recurrence ?? null, reminders: b.reminders || [],
      completed: false, completedAt: null, deletedAt: null, version: 0,
      createdAt: new Date(entry.at).toISOString(), updatedAt: new Date(entry.at).toISOString(),
    };
  }
  if (!task) return task;
  switch (entry.kind) {
    case 'patch': {
      const next = { ...task, ...entry.patch };
      if (entry.patch.tags) next.tags = [...new Set(entry.patch.tags.map((t) => t.toLowerCase()))].sort();
      return next;
    }
    case 'complete': return { ...task, completed: true, completedAt: task.completedAt || now };
    case 'reopen': return { ...task, completed: false, completedAt: null };
    case 'trash': return { ...task, deletedAt: task.deletedAt || now };
    case 'restore': return { ...task, deletedAt: null };
    default: return task;
  }
}

/**
 * After a change of `id` was confirmed as `task` (its ETag `etag`): a create's local id becomes
 * the server's in the later changes, and the next change of the task, made on top of this one,
 * is now based on that version. Returns the entries, changed in place.
 */
export function chainAfter(entries, id, task, etag) {
  let next = true;
  for (const e of entries) {
    if (task && e.taskId === id) e.taskId = task.id;
    if (next && e.taskId === (task ? task.id : id) && e.chained) {
      e.chained = false;
      e.ifMatch = task ? etag || etagOf(task) : null;
      next = false;
    }
  }
  return entries;
}

/** The queue, kept per user in localStorage; one tab at a time sends (a Web Lock). */
export class Outbox {
  /**
   * @param {object} hooks onCount(n) how many wait; onSent(entry, task); onDropped(entry, error)
   *   when no caller waits to hear it; onConflict(entry, server, fields) resolves with 'mine' or
   *   'theirs'; onState('sending'|'waiting'|'idle')
   */
  constructor({ api, store, user, storage = globalThis.localStorage, onCount, onSent, onDropped, onConflict }) {
    this.api = api;
    this.store = store;
    this.user = user;
    this.storage = storage;
    this.storageKey = `taskbus.outbox.${user}`;
    this.onCount = onCount || (() => {});
    this.onSent = onSent || (() => {});
    this.onDropped = onDropped || (() => {});
    this.onConflict = onConflict || (async () => 'theirs');
    this.entries = this.load();
    this.waiters = new Map();
    // local id of a create → the server's id, for an Undo of a task that was sent meanwhile
    this.renamed = new Map();
    // trashed (204, no body) but not yet seen in a newer version from the bridge: still shown trashed
    this.confirming = new Map();
    this.failures = 0;
    this.flushing = null;
    this.again = false;
    this.stopped = false;
    this.retryTimer = null;
    store.overlay = (id, server) => this.overlay(id, server);
    this.onlineListener = () => {
      this.failures = 0;
      this.flush();
    };
    // another tab of this user queued or sent something
    this.storageListener = (event) => {
      if (event.key !== this.storageKey) return;
      const before = new Set(this.entries.map((e) => e.taskId));
      this.entries = this.load();
      for (const id of new Set([...before, ...this.entries.map((e) => e.taskId)])) this.store.show(id);
      this.onCount(this.entries.length);
    };
  }

  start() {
    window.addEventListener('online', this.onlineListener);
    window.addEventListener('storage', this.storageListener);
    for (const e of this.entries) this.store.show(e.taskId);
    this.onCount(this.entries.length);
    return this.flush();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    window.removeEventListener('online', this.onlineListener);
    window.removeEventListener('storage', this.storageListener);
    this.store.overlay = null;
  }

  load() {
    try {
      const list = JSON.parse(this.storage.getItem(this.storageKey) || '[]');
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  /**
   * Changes the queue as stored now (another tab of the user may have changed it since it was
   * read): `fn` gets the list, changes it in place or returns a new one.
   */
  update(fn) {
    const list = this.load();
    this.entries = fn(list) || list;
    this.save();
  }

  save() {
    if (this.entries.length) this.storage.setItem(this.storageKey, JSON.stringify(this.entries));
    else this.storage.removeItem(this.storageKey);
    this.onCount(this.entries.length);
  }

  get size() {
    return this.entries.length;
  }

  /** The shown version of a task: the server's with the queued changes applied, marked pending. */
  overlay(id, server) {
    let task = server || null;
    const confirming = this.confirming.get(id);
    if (confirming) {
      if (task && task.version > confirming.version) this.confirming.delete(id);
      else task = applyEntry(task, confirming.entry, confirming.at);
    }
    const keys = [];
    for (const e of this.entries) {
      if (e.taskId !== id) continue;
      task = applyEntry(task, e, new Date(e.at).toISOString());
      keys.push(e.key);
    }
    return task && keys.length ? { ...task, pending: keys.join(' ') } : task;
  }

  /**
   * Queues a change and starts sending. `kind`: create (data.body), patch (data.patch, data.base
   * the edited fields' values it was made over, data.ifMatch the version the form showed),
   * complete, reopen, trash, restore. Returns the task as shown now and `outcome`, which resolves
   * with 'sent', 'queued' (kept for later) or 'conflict', and rejects with the ApiError of a
   * change the server refused (dropped).
   */
  enqueue(kind, given, data = {}) {
    const task = given && this.renamed.has(given.id) ? this.store.get(this.renamed.get(given.id)) || given : given;
    const key = newKey();
    const at = Date.now();
    this.entries = this.load();
    let entry;
    if (kind === 'create') {
      entry = { key, kind, taskId: LOCAL_PREFIX + key, body: data.body, title: data.body.title, at, chained: false, ifMatch: null };
    } else {
      const prior = this.entries.some((e) => e.taskId === task.id);
      const server = this.store.server.get(task.id);
      const chained = prior || !server;
      entry = {
        key, kind, taskId: task.id, title: task.title, at, chained,
        ifMatch: chained ? null : data.ifMatch || etagOf(server),
      };
      if (kind === 'patch') Object.assign(entry, { patch: data.patch, base: data.base });
    }
    // a trashed task that was never sent: nothing to send at all
    if (kind === 'trash' && isLocal(task.id) && !this.inFlight(task.id)) {
      const gone = this.entries.filter((e) => e.taskId === task.id);
      this.update((list) => list.filter((e) => e.taskId !== task.id));
      for (const e of gone) this.settle(e.key, 'resolve', 'sent');
      this.store.show(task.id);
      return { task: null, outcome: Promise.resolve('sent') };
    }
    this.update((list) => {
      list.push(entry);
    });
    const outcome = new Promise((resolve, reject) => this.waiters.set(key, { resolve, reject }));
    this.store.show(entry.taskId);
    this.flush();
    return { task: this.store.get(entry.taskId), outcome };
  }

  inFlight(id) {
    return Boolean(this.sending && this.sending.taskId === id);
  }

  settle(key, how, value) {
    const waiter = this.waiters.get(key);
    if (!waiter) return false;
    this.waiters.delete(key);
    waiter[how](value);
    return true;
  }

  /** Sends what waits, unless a send is under way (then it runs once more after it). */
  flush() {
    if (this.stopped) return Promise.resolve();
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    clearTimeout(this.retryTimer);
    const locks = typeof navigator !== 'undefined' && navigator.locks;
    const run = () => this.drain();
    this.flushing = (locks ? locks.request(`taskbus-outbox-${this.user}`, run) : run())
      .catch((e) => console.warn(`The outbox stopped: ${e.message}`))
      .finally(() => {
        this.flushing = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.flush();
        }
      });
    return this.flushing;
  }

  async drain() {
    while (!this.stopped) {
      this.again = false;
      this.entries = this.load();
      const entry = this.entries[0];
      if (!entry) break;
      if (entry.chained) {
        // what it was chained to is gone: a dropped create takes its changes along
        if (isLocal(entry.taskId)) {
          this.remove(entry);
          this.settle(entry.key, 'resolve', 'sent');
          continue;
        }
        const server = this.store.server.get(entry.taskId);
        entry.chained = false;
        entry.ifMatch = server ? etagOf(server) : null;
        this.update((list) => list.map((e) => (e.key === entry.key ? entry : e)));
      }
      this.sending = entry;
      let next;
      try {
        next = await this.step(entry);
      } finally {
        this.sending = null;
      }
      if (next === 'stop') break;
    }
    // whoever waits on a change still queued hears it is kept for later
    for (const e of this.entries) this.settle(e.key, 'resolve', 'queued');
  }

  /** One try of the queue's first change: 'next' when it left the queue, 'again', or 'stop'. */
  async step(entry) {
    let answer;
    try {
      answer = await this.request(entry);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return this.failed(entry, e);
    }
    this.failures = 0;
    this.confirmed(entry, answer.body, answer.etag);
    return 'next';
  }

  request(entry) {
    const path = `/tasks/${encodeURIComponent(entry.taskId)}`;
    const headers = entry.ifMatch ? { 'If-Match': entry.ifMatch } : {};
    const once = (method, p, options) => this.api.once(method, p, options);
    switch (entry.kind) {
      case 'create':
        return once('POST', '/tasks', { body: entry.body, headers: { 'Idempotency-Key': entry.key } });
      case 'patch':
        return once('PATCH', path, { body: entry.patch, contentType: PATCH_TYPE, headers });
      case 'trash':
        return once('DELETE', path, { headers });
      default:
        return once('POST', `${path}/${entry.kind}`, { headers: { ...headers, 'Idempotency-Key': entry.key } });
    }
  }

  async failed(entry, error) {
    if (RETRIED.has(error.status) || error.status >= 500) {
      this.retryLater(error);
      return 'stop';
    }
    if (error.status === 401) return 'stop'; // the page goes to sign-in; the change waits for it
    if (error.status === 412) return this.precondition(entry);
    if (error.status === 404 && entry.kind !== 'create') {
      const server = await this.current(entry);
      if (server === undefined) return 'stop';
      if (stateHolds(entry.kind, server) && entry.kind !== 'patch') {
        this.confirmed(entry, server, null);
        return 'next';
      }
      this.drop(entry, new ApiError(404, { detail: 'It was deleted elsewhere.' }));
      return 'next';
    }
    this.drop(entry, error);
    return 'next';
  }

  /** The task as the server has it now; null when it is not live; undefined when unreachable. */
  async current(entry) {
    try {
      const answer = await this.api.once('GET', `/tasks/${encodeURIComponent(entry.taskId)}`);
      this.store.put(answer.body);
      return { ...answer.body, etag: answer.etag };
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      if (e instanceof ApiError) this.retryLater(e);
      return undefined;
    }
  }

  async precondition(entry) {
    const server = await this.current(entry);
    if (server === undefined) return 'stop';
    if (server === null) {
      if (entry.kind === 'trash') {
        this.confirmed(entry, null, null);
        return 'next';
      }
      if (entry.kind === 'restore') return this.rebase(entry, null);
      this.drop(entry, new ApiError(404, { detail: 'It was deleted elsewhere.' }));
      return 'next';
    }
    if (entry.kind !== 'patch') {
      if (stateHolds(entry.kind, server)) {
        this.confirmed(entry, server, server.etag);
        return 'next';
      }
      return this.rebase(entry, server);
    }
    const { outcome, fields } = settleEdit(entry.patch, entry.base, server);
    if (outcome === 'applied') {
      this.confirmed(entry, server, server.etag);
      return 'next';
    }
    if (outcome === 'rebase') return this.rebase(entry, server);
    this.settle(entry.key, 'resolve', 'conflict');
    const choice = await this.onConflict(entry, server, fields);
    if (!this.load().some((e) => e.key === entry.key)) return 'next';
    if (choice === 'mine') {
      this.update((list) => {
        const still = list.find((e) => e.key === entry.key);
        still.ifMatch = server.etag || etagOf(server);
        still.base = Object.fromEntries(Object.keys(still.patch).map((f) => [f, server[f] ?? null]));
      });
      return 'again';
    }
    this.update((list) => chainAfter(list.filter((e) => e.key !== entry.key), server.id, server, server.etag));
    this.store.show(server.id);
    return 'next';
  }

  rebase(entry, server) {
    const rebases = (entry.rebases || 0) + 1;
    if (rebases > REBASES_MAX) {
      this.drop(entry, new ApiError(409, { detail: 'The task kept changing elsewhere.' }));
      return 'next';
    }
    this.update((list) => {
      const still = list.find((e) => e.key === entry.key);
      if (!still) return;
      still.rebases = rebases;
      still.ifMatch = server ? server.etag || etagOf(server) : null;
    });
    return 'again';
  }

  remove(entry) {
    this.update((list) => list.filter((e) => e.key !== entry.key));
  }

  confirmed(entry, task, etag) {
    if (task && task.id) {
      if (entry.kind === 'create') this.renamed.set(entry.taskId, task.id);
      this.update((list) => chainAfter(list.filter((e) => e.key !== entry.key), entry.taskId, task, etag));
      const plain = { ...task };
      delete plain.etag;
      this.store.put(plain);
    } else {
      this.update((list) => chainAfter(list.filter((e) => e.key !== entry.key), entry.taskId, null, null));
      const server = this.store.server.get(entry.taskId);
      if (entry.kind === 'trash' && server) {
        this.confirming.set(entry.taskId, { entry, version: server.version, at: new Date().toISOString() });
      }
    }
    this.store.show(entry.taskId);
    this.settle(entry.key, 'resolve', 'sent');
    this.onSent(entry, task && task.id ? task : null);
  }

  drop(entry, error) {
    // a dropped create takes the changes made on it along; a change after another dropped one is
    // based on the server's version (the queue's head takes it, see drain)
    this.update((list) => list.filter((e) => e.key !== entry.key
      && !(entry.kind === 'create' && e.taskId === entry.taskId)));
    this.store.show(entry.taskId);
    if (!this.settle(entry.key, 'reject', error)) {
      this.onDropped(entry, error, `Could not ${VERB[entry.kind]} “${entry.title}”: ${error.message}`);
    }
  }

  retryLater(error) {
    this.failures += 1;
    const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(this.failures - 1, 10));
    const told = error.status && error.retryAfterMs ? Math.min(error.retryAfterMs, RETRY_AFTER_MAX_MS) : 0;
    const delay = Math.max(told, Math.round(backoff * (0.75 + Math.random() * 0.5)));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.flush(), delay);
  }
}
