// The sync engine of live.js without a browser: pushes and /sync answers in every awkward order.
// Run by BrowserIT as `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Live, TaskStore, applyChange, tokenExpired } from '../../main/web/live.js';

const task = (id, version, title = id) => ({ id, version, title, completed: false });
const push = (seq, t, type = 'task.updated') => ({ seq, type, subject: t.id, data: { task: t, changes: {} } });

/** A fake API: each /sync call gets the next answer; calls are recorded. */
function fakeApi(answers) {
  const calls = [];
  return {
    calls,
    async get(path) {
      calls.push(path);
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected ${path}`);
      return typeof answer === 'function' ? answer() : answer;
    },
  };
}

function live(api, lastSeq = null) {
  const store = new TaskStore();
  const applied = [];
  const l = new Live({ api, store, userId: 'u', token: 't', onApplied: (c, how) => applied.push([c.seq, how]) });
  l.lastSeq = lastSeq;
  return { l, store, applied };
}

test('a task only replaces an older version of itself; a purge removes it', () => {
  const store = new TaskStore();
  assert.equal(store.put(task('a', 2, 'new')), true);
  assert.equal(store.put(task('a', 1, 'old')), false);
  assert.equal(store.put(task('a', 2, 'again')), false);
  assert.equal(store.get('a').title, 'new');
  assert.equal(applyChange(store, { seq: 9, taskId: 'a', purged: true }), true);
  assert.equal(store.get('a'), undefined);
});

test('a reminder event takes its sequence number but leaves the task as it is', () => {
  const { l, store, applied } = live(fakeApi([]), 1);
  l.onPush(push(2, task('a', 3, 'full')));
  l.onPush({ seq: 3, type: 'reminder.due', subject: 'a', data: { task: { id: 'a', title: 'partial' }, changes: {} } });
  l.onPush(push(4, task('a', 4, 'next')));
  assert.deepEqual(applied.map((a) => a[0]), [2, 3, 4]);
  assert.equal(store.get('a').title, 'next');
  assert.equal(store.get('a').version, 4);
});

test('pushes at or below lastSeq are dropped, the next one is applied', async () => {
  const { l, store, applied } = live(fakeApi([]), 5);
  l.onPush(push(5, task('a', 1)));
  l.onPush(push(4, task('a', 1)));
  l.onPush(push(6, task('a', 2, 'six')));
  l.onPush(push(6, task('a', 2, 'six again')));
  assert.deepEqual(applied, [[6, 'live']]);
  assert.equal(store.get('a').title, 'six');
  assert.equal(l.lastSeq, 6);
});

test('a gap is filled by /sync before the push that revealed it', async () => {
  const api = fakeApi([{ items: [{ seq: 6, task: task('b', 1) }, { seq: 7, task: task('c', 1) }], nextCursor: null, seq: 7 }]);
  const { l, store, applied } = live(api, 5);
  l.onPush(push(8, task('b', 2, 'b2')));
  await l.syncing;
  assert.deepEqual(api.calls, ['/sync?since=5&limit=1000']);
  assert.deepEqual(applied, [[6, 'sync'], [7, 'sync'], [8, 'live']]);
  assert.equal(store.get('b').title, 'b2');
  assert.equal(l.lastSeq, 8);
});

test('pushes that arrive during a sync wait, and those the sync covered are dropped', async () => {
  let release;
  const answer = new Promise((r) => { release = r; });
  const api = fakeApi([() => answer]);
  const { l, applied } = live(api, 10);
  const syncing = l.resync();
  l.onPush(push(12, task('x', 2)));
  l.onPush(push(11, task('x', 1)));
  l.onPush(push(13, task('y', 1)));
  release({ items: [{ seq: 11, task: task('x', 1) }, { seq: 12, task: task('x', 2) }], nextCursor: null, seq: 12 });
  await syncing;
  assert.deepEqual(applied, [[11, 'sync'], [12, 'sync'], [13, 'live']]);
  assert.equal(l.lastSeq, 13);
});

test('the first load applies everything quietly and follows nextCursor', async () => {
  const api = fakeApi([
    { items: [{ seq: 1, task: task('a', 1) }], nextCursor: '1', seq: 1 },
    { items: [{ seq: 3, task: task('b', 2) }, { seq: 4, taskId: 'a', purged: true }], nextCursor: null, seq: 4 },
  ]);
  const { l, store, applied } = live(api, null);
  l.onPush(push(4, task('z', 1))); // before anything is loaded: kept, then covered by the sync
  l.onPush(push(5, task('c', 1)));
  await l.resync();
  assert.deepEqual(api.calls, ['/sync?since=0&limit=1000', '/sync?since=1&limit=1000']);
  assert.deepEqual(applied, [[5, 'live']], 'the initial load is no activity; the push after it is');
  assert.deepEqual([...store.tasks.keys()].sort(), ['b', 'c']);
  assert.equal(l.lastSeq, 5);
});

test('a gap the sync cannot close yet is synced again, not skipped', async () => {
  const api = fakeApi([
    { items: [], nextCursor: null, seq: 5 }, // the change 6 was not committed when the sync read
    { items: [{ seq: 6, task: task('a', 1) }], nextCursor: null, seq: 6 },
  ]);
  const { l, applied } = live(api, 5);
  l.onPush(push(7, task('b', 1)));
  await l.syncing;
  assert.deepEqual(applied, [[6, 'sync'], [7, 'live']]);
  assert.equal(api.calls.length, 2);
});

test('on (re)connect the channel is registered before /sync is asked', async () => {
  const order = [];
  globalThis.window = { addEventListener() {}, removeEventListener() {} };
  globalThis.EventBus = class {
    constructor(url) {
      order.push(`connect ${url}`);
      setTimeout(() => this.onopen(), 0);
    }

    registerHandler(address) {
      order.push(`register ${address}`);
    }

    close() {}
  };
  const api = { get: async (path) => { order.push(`GET ${path}`); return { items: [], nextCursor: null, seq: 3 }; } };
  const { l } = live(api, 3);
  const states = [];
  l.onState = (s) => states.push(s);
  l.connect();
  await new Promise((r) => setTimeout(r, 20));
  l.stop();
  assert.deepEqual(order.slice(0, 3), ['connect /eventbus?token=t', 'register user.u.tasks', 'GET /sync?since=3&limit=1000']);
  assert.deepEqual(states.slice(0, 2), ['connecting', 'connected']);
});

test('a wall-clock time in a zone becomes an instant with that zone\'s offset, DST included', async () => {
  const { zonedToOffsetDateTime, toZonedLocal } = await import('../../main/web/due.js');
  assert.equal(zonedToOffsetDateTime('2026-12-24T09:00', 'America/New_York'), '2026-12-24T09:00:00-05:00');
  assert.equal(zonedToOffsetDateTime('2026-07-01T09:00', 'America/New_York'), '2026-07-01T09:00:00-04:00');
  assert.equal(zonedToOffsetDateTime('2026-03-29T12:30', 'Europe/Berlin'), '2026-03-29T12:30:00+02:00');
  assert.equal(zonedToOffsetDateTime('2026-01-10T23:45', 'Asia/Kolkata'), '2026-01-10T23:45:00+05:30');
  assert.equal(zonedToOffsetDateTime('2026-06-01T08:00', 'UTC'), '2026-06-01T08:00:00+00:00');
  assert.equal(toZonedLocal('2026-12-24T14:00:00Z', 'America/New_York'), '2026-12-24T09:00');
});

test('with a notification handler the notifications channel is registered too, and its pushes go there', async () => {
  const registered = new Map();
  globalThis.window = { addEventListener() {}, removeEventListener() {} };
  globalThis.EventBus = class {
    constructor() {
      setTimeout(() => this.onopen(), 0);
    }

    registerHandler(address, handler) {
      registered.set(address, handler);
    }

    close() {}
  };
  const api = { get: async () => ({ items: [], nextCursor: null, seq: 0 }) };
  const pushed = [];
  const store = new TaskStore();
  const l = new Live({ api, store, userId: 'u', token: 't', onNotification: (body) => pushed.push(body) });
  l.connect();
  await new Promise((r) => setTimeout(r, 20));
  l.stop();
  assert.deepEqual([...registered.keys()], ['user.u.tasks', 'user.u.notifications']);
  const body = { kind: 'state', all: true, unread: 0 };
  registered.get('user.u.notifications')(null, { body });
  assert.deepEqual(pushed, [body]);
  assert.equal(l.lastSeq, 0, 'a notification moves no sequence number: only the sync set it');
});

const jwt = (payload) => `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;

test('a token past its exp is expired; one before it, or one that cannot be read, is not', () => {
  const now = Date.parse('2026-12-07T10:00:00Z');
  assert.equal(tokenExpired(jwt({ sub: 'u', exp: now / 1000 - 1 }), now), true);
  assert.equal(tokenExpired(jwt({ sub: 'u', exp: now / 1000 + 60 }), now), false);
  assert.equal(tokenExpired(jwt({ sub: 'u\u00e9?>' }), now), false);
  assert.equal(tokenExpired('not a token', now), false);
});

test('a close over SockJS (code 3000) with an expired token sends the page to sign-in at once', async () => {
  globalThis.window = { addEventListener() {}, removeEventListener() {} };
  let bus;
  globalThis.EventBus = class {
    constructor() {
      bus = this;
      setTimeout(() => this.onopen(), 0);
    }

    registerHandler() {}

    close() {}
  };
  const api = { get: async () => ({ items: [], nextCursor: null, seq: 0 }) };
  const lost = [];
  const l = new Live({
    api,
    store: new TaskStore(),
    userId: 'u',
    token: jwt({ sub: 'u', exp: Math.floor(Date.now() / 1000) - 5 }),
    onAuthLost: (message) => lost.push(message),
  });
  l.connect();
  await new Promise((r) => setTimeout(r, 20));
  bus.onclose({ code: 3000, reason: 'Go away!' });
  l.stop();
  assert.deepEqual(lost, ['Your session expired. Sign in again.']);
});
