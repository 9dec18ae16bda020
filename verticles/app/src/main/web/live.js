// Live updates that never miss one: the bridge's pushes and GET /sync, glued by the per-user
// sequence number every change carries.
//
//   push with seq <= lastSeq        already applied: dropped
//   push with seq == lastSeq + 1    applied
//   push with seq  > lastSeq + 1    a gap: kept, and /sync fills the gap first
//   (re)connect                     register, then /sync?since=lastSeq, then the kept pushes
//
// The tasks live in a map keyed by id, and a task only replaces one of a lower version, so a
// change applied twice or late can neither duplicate a row nor undo a newer state.
import { claims } from './api.js';

export { TaskStore } from './store.js';

/**
 * Applies one change (a push's CloudEvent or a /sync item) to the store. Only task events carry
 * the whole task; others on the channel (reminder.due, reminder.missed) take a sequence number
 * too, and name the task only in part, so they change no task here.
 */
export function applyChange(store, change) {
  if (change.purged || change.type === 'task.purged') {
    return store.remove(change.taskId || change.subject);
  }
  if (change.type && !change.type.startsWith('task.')) {
    return false;
  }
  const task = change.task || (change.data && change.data.task);
  return task && typeof task.version === 'number' ? store.put(task) : false;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 8000;
const OFFLINE_AFTER_FAILURES = 4;
// Registration travels through the cluster to the node that publishes; a change committed in
// that window is pushed to nobody. A second sync shortly after connecting closes the window,
// and a slow periodic one catches anything a silent network lost.
const SETTLE_SYNC_MS = 2000;
const PERIODIC_SYNC_MS = 60000;

/**
 * The bridge connection and the sync engine.
 * States reported to onState: connecting, connected, reconnecting, offline, stopped.
 */
export class Live {
  constructor({ api, store, userId, token, onState, onApplied, onAuthLost, onError, onNotification }) {
    this.api = api;
    this.store = store;
    this.userId = userId;
    this.token = token;
    this.onState = onState || (() => {});
    this.onApplied = onApplied || (() => {});
    this.onAuthLost = onAuthLost || (() => {});
    this.onError = onError || (() => {});
    // notifications carry no sequence number: the page re-reads the inbox on every (re)connect
    this.onNotification = onNotification || null;
    this.lastSeq = null; // null: nothing loaded yet
    this.buffer = [];
    this.syncing = null;
    this.syncAgain = false;
    this.failures = 0;
    this.stopped = false;
    this.bus = null;
    this.timers = new Set();
    this.state = null;
    this.onlineListener = () => this.reconnectNow();
    this.offlineListener = () => this.setState('offline');
  }

  get address() {
    return `user.${this.userId}.tasks`;
  }

  get notificationsAddress() {
    return `user.${this.userId}.notifications`;
  }

  start() {
    window.addEventListener('online', this.onlineListener);
    window.addEventListener('offline', this.offlineListener);
    this.periodic = setInterval(() => {
      if (this.state === 'connected') {
        this.resync();
      }
    }, PERIODIC_SYNC_MS);
    this.connect();
    return this.resync();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onlineListener);
    window.removeEventListener('offline', this.offlineListener);
    clearInterval(this.periodic);
    for (const t of this.timers) {
      clearTimeout(t);
    }
    this.timers.clear();
    this.closeBus();
    this.setState('stopped');
  }

  later(ms, fn) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  setState(state) {
    if (this.state !== state) {
      this.state = state;
      this.onState(state);
    }
  }

  closeBus() {
    const bus = this.bus;
    this.bus = null;
    if (bus) {
      bus.onopen = bus.onclose = null;
      try {
        bus.close();
      } catch (e) {
        // already closed
      }
    }
  }

  connect() {
    if (this.stopped) {
      return;
    }
    clearTimeout(this.retryTimer);
    this.closeBus();
    if (this.failures === 0 && this.state !== 'reconnecting') {
      this.setState('connecting');
    }
    if (typeof EventBus === 'undefined') {
      this.onError('The live-update library did not load; reload the page.');
      this.setState('offline');
      return;
    }
    // the token goes in the SockJS URL: a browser cannot set headers on a WebSocket
    const bus = new EventBus(`/eventbus?token=${encodeURIComponent(this.token)}`, {
      vertxbus_ping_interval: 10000,
    });
    this.bus = bus;
    let opened = false;
    bus.onerror = (err) => {
      if (err && err.body === 'rejected') {
        this.onError('The server refused the live channel of this user.');
      }
    };
    bus.onopen = () => {
      opened = true;
      this.failures = 0;
      // register first, then ask what was missed: nothing can fall between the two
      bus.registerHandler(this.address, (err, message) => {
        if (!err && message && message.body) {
          this.onPush(message.body);
        }
      });
      if (this.onNotification) {
        bus.registerHandler(this.notificationsAddress, (err, message) => {
          if (!err && message && message.body) {
            this.onNotification(message.body);
          }
        });
      }
      this.setState('connected');
      this.resync();
      this.later(SETTLE_SYNC_MS, () => this.resync());
    };
    bus.onclose = (event) => {
      if (this.bus !== bus) {
        return;
      }
      this.bus = null;
      const code = event && event.code;
      // over SockJS's own transports every close the bridge makes reaches the page as SockJS's
      // 3000, never its 4401: the token's own expiry says why
      if (code === 4401 || tokenExpired(this.token)) {
        this.onAuthLost('Your session expired. Sign in again.');
        return;
      }
      if (!opened) {
        this.failures += 1;
      }
      this.scheduleReconnect();
    };
  }

  scheduleReconnect() {
    if (this.stopped) {
      return;
    }
    const offline = (typeof navigator !== 'undefined' && navigator.onLine === false)
      || this.failures >= OFFLINE_AFTER_FAILURES;
    this.setState(offline ? 'offline' : 'reconnecting');
    const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(this.failures, 10));
    const delay = Math.round(exp * (0.75 + Math.random() * 0.5));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
    // a failing bridge with a dead token: the API's 401 sends the page to sign-in
    if (this.failures > 0 && this.failures % 3 === 0) {
      this.resync();
    }
  }

  reconnectNow() {
    if (!this.stopped && this.state !== 'connected') {
      this.failures = 0;
      this.setState('reconnecting');
      this.connect();
    }
  }

  onPush(event) {
    if (typeof event.seq !== 'number') {
      return;
    }
    if (this.syncing || this.lastSeq === null) {
      this.buffer.push(event);
      return;
    }
    if (event.seq <= this.lastSeq) {
      return;
    }
    if (event.seq > this.lastSeq + 1) {
      this.buffer.push(event);
      this.resync();
      return;
    }
    this.apply(event, 'live');
  }

  apply(change, how) {
    applyChange(this.store, change);
    this.lastSeq = change.seq;
    this.onApplied(change, how);
  }

  /** Catches up from lastSeq; calls made while one runs join it and make it run once more. */
  resync() {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = this.runSync().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  async runSync() {
    let rounds = 0;
    do {
      this.syncAgain = false;
      rounds += 1;
      try {
        await this.syncOnce();
      } catch (e) {
        // offline (no answer at all) is the connection indicator's to say, not an error
        if (e && e.status !== 401 && e.status !== 0) {
          this.onError(`Could not catch up: ${e.message}`);
        }
        return;
      }
      this.drainBuffer(rounds >= 3);
    } while (this.syncAgain && !this.stopped);
  }

  async syncOnce() {
    const first = this.lastSeq === null;
    let since = this.lastSeq || 0;
    let newest = since;
    for (;;) {
      const page = await this.api.get(`/sync?since=${since}&limit=1000`);
      if (this.stopped) {
        return;
      }
      for (const item of page.items) {
        if (this.lastSeq !== null && item.seq <= this.lastSeq) {
          continue;
        }
        applyChange(this.store, item);
        if (!first) {
          this.onApplied(item, 'sync');
        }
      }
      newest = Math.max(newest, page.seq);
      if (!page.nextCursor) {
        break;
      }
      since = Number(page.nextCursor);
    }
    this.lastSeq = Math.max(this.lastSeq || 0, newest);
  }

  drainBuffer(force) {
    const pending = this.buffer.sort((a, b) => a.seq - b.seq);
    this.buffer = [];
    for (let i = 0; i < pending.length; i++) {
      const event = pending[i];
      if (event.seq <= this.lastSeq) {
        continue;
      }
      if (event.seq === this.lastSeq + 1 || force) {
        this.apply(event, 'live');
      } else {
        // still a gap: keep the rest and sync once more
        this.buffer = pending.slice(i);
        this.syncAgain = true;
        return;
      }
    }
  }
}

/** Whether a JWT's exp has passed (a token that cannot be read counts as not expired). */
export function tokenExpired(token, now = Date.now()) {
  const exp = claims(token)?.exp;
  return typeof exp === 'number' && exp * 1000 <= now;
}
