// The outbox (pending.js) without a browser: what a 412 means for an edit, how a create's later
// changes follow it, and the queue against a fake API that is away, refuses, or answers 412.
// Run by BrowserIT as `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../main/web/api.js';
import { Outbox, applyEntry, chainAfter, etagOf, sameValue, settleEdit } from '../../main/web/pending.js';
import { TaskStore } from '../../main/web/store.js';

test('values compare as the API means them', () => {
  assert.ok(sameValue('description', undefined, null));
  assert.ok(sameValue('dueAt', '2026-12-07T10:00:00Z', '2026-12-07T11:00:00+01:00'));
  assert.ok(sameValue('tags', ['b', 'a'], ['a', 'b']));
  assert.ok(!sameValue('title', 'a', 'b'));
});

test('a 412 on an edit: applied, sent again on the new version, or a conflict on the same field', () => {
  const patch = { title: 'mine' };
  assert.equal(settleEdit(patch, { title: 'old' }, { title: 'mine', priority: 'high' }).outcome, 'applied');
  assert.equal(settleEdit(patch, { title: 'old' }, { title: 'old', priority: 'high' }).outcome, 'rebase');
  assert.deepEqual(settleEdit(patch, { title: 'old' }, { title: 'theirs' }), { outcome: 'conflict', fields: ['title'] });
});

test('a create\'s later changes take its id, and the next one its version', () => {
  const entries = [{ taskId: 'local-1', chained: true, ifMatch: null }, { taskId: 'local-1', chained: true, ifMatch: null }];
  chainAfter(entries, 'local-1', { id: 't', version: 1 }, '"t.1"');
  assert.deepEqual(entries, [{ taskId: 't', chained: false, ifMatch: '"t.1"' }, { taskId: 't', chained: true, ifMatch: null }]);
});

test('a change shows at once on the task', () => {
  const task = { id: 't', title: 'a', tags: [], completed: false, version: 1 };
  assert.equal(applyEntry(task, { kind: 'complete' }, 'now').completed, true);
  assert.deepEqual(applyEntry(task, { kind: 'patch', patch: { tags: ['B', 'a'] } }).tags, ['a', 'b']);
  assert.equal(applyEntry(null, { kind: 'create', taskId: 'local-x', body: { title: 'n' }, at: 0 }).title, 'n');
});

/** A fake API: `answer(method, path, options)` gives the result or throws; every call is recorded. */
function fakeApi(answer) {
  const calls = [];
  return { calls, once: async (method, path, options = {}) => { calls.push({ method, path, ...options }); return answer(method, path, options); } };
}

function memoryStorage() {
  const data = new Map();
  return { getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k) };
}

const offline = () => { throw new ApiError(0, null); };

test('offline: a create and its edit wait, survive a new outbox (a reload), then go as one task', async () => {
  const storage = memoryStorage();
  const store = new TaskStore();
  let box = new Outbox({ api: fakeApi(offline), store, user: 'u', storage });
  const { task } = box.enqueue('create', null, { body: { title: 'new' } });
  assert.ok(store.get(task.id).pending, 'shown at once, pending');
  box.enqueue('patch', store.get(task.id), { patch: { title: 'new, edited' }, base: { title: 'new' } });
  await box.flush();
  clearTimeout(box.retryTimer);
  assert.equal(store.get(task.id).title, 'new, edited');
  const key = JSON.parse(storage.getItem('taskbus.outbox.u'))[0].key;

  // the reload: a new store and outbox over the same storage, and the server back
  const again = new TaskStore();
  const server = { id: 't1', title: 'new', version: 1 };
  const api = fakeApi((method, path, options) => {
    if (method === 'POST') return { body: { ...server }, etag: etagOf(server) };
    assert.equal(options.headers['If-Match'], '"t1.1"', 'the edit is based on the created version');
    return { body: { ...server, title: options.body.title, version: 2 }, etag: '"t1.2"' };
  });
  box = new Outbox({ api, store: again, user: 'u', storage });
  await box.flush();
  assert.deepEqual(api.calls.map((c) => `${c.method} ${c.path}`), ['POST /tasks', 'PATCH /tasks/t1']);
  assert.equal(api.calls[0].headers['Idempotency-Key'], key, 'the key made with the change');
  assert.equal(again.get('t1').title, 'new, edited');
  assert.equal(again.get('t1').pending, undefined, 'no longer pending');
  assert.equal(storage.getItem('taskbus.outbox.u'), null, 'nothing waits');
});

test('a 412 on an edit of another field is sent again on the new version; a 422 is dropped and said', async () => {
  const store = new TaskStore();
  store.put({ id: 't', title: 'a', priority: 'low', version: 1 });
  let current = { id: 't', title: 'a', priority: 'high', version: 2 };
  const api = fakeApi((method, path, options) => {
    if (method === 'GET') return { body: { ...current }, etag: etagOf(current) };
    if (options.body && options.body.title === 'bad') throw new ApiError(422, { detail: 'no' });
    if (options.headers['If-Match'] !== etagOf(current)) throw new ApiError(412, null);
    current = { ...current, ...options.body, version: current.version + 1 };
    return { body: { ...current }, etag: etagOf(current) };
  });
  const dropped = [];
  const box = new Outbox({ api, store, user: 'u', storage: memoryStorage(), onDropped: (e, err, text) => dropped.push(text) });
  const { outcome } = box.enqueue('patch', store.get('t'), { patch: { title: 'b' }, base: { title: 'a' } });
  assert.equal(await outcome, 'sent');
  assert.deepEqual([current.title, current.priority, current.version], ['b', 'high', 3]);
  const refused = box.enqueue('patch', store.get('t'), { patch: { title: 'bad' }, base: { title: 'b' } });
  await assert.rejects(refused.outcome, (e) => e.status === 422);
  assert.equal(store.get('t').title, 'b', 'the refused edit no longer shows');
  assert.equal(box.size, 0);
});

test('a conflict asks; "theirs" drops the edit, "mine" sends it on the server\'s version', async () => {
  for (const choice of ['theirs', 'mine']) {
    const store = new TaskStore();
    store.put({ id: 't', title: 'a', version: 1 });
    let current = { id: 't', title: 'theirs', version: 2 };
    const api = fakeApi((method, path, options) => {
      if (method === 'GET') return { body: { ...current }, etag: etagOf(current) };
      if (options.headers['If-Match'] !== etagOf(current)) throw new ApiError(412, null);
      current = { ...current, ...options.body, version: current.version + 1 };
      return { body: { ...current }, etag: etagOf(current) };
    });
    const asked = [];
    const box = new Outbox({
      api, store, user: 'u', storage: memoryStorage(),
      onConflict: async (entry, server, fields) => { asked.push([entry.patch.title, server.title, fields]); return choice; },
    });
    box.enqueue('patch', store.get('t'), { patch: { title: 'mine' }, base: { title: 'a' } });
    await box.flush();
    assert.deepEqual(asked, [['mine', 'theirs', ['title']]]);
    assert.equal(current.title, choice === 'mine' ? 'mine' : 'theirs');
    assert.equal(store.get('t').title, current.title);
    assert.equal(box.size, 0);
  }
});

test('a 503 waits its Retry-After and keeps the change', async () => {
  const store = new TaskStore();
  store.put({ id: 't', title: 'a', completed: false, version: 1 });
  const busy = Object.assign(new ApiError(503, null), { retryAfterMs: 5000 });
  const box = new Outbox({ api: fakeApi(() => { throw busy; }), store, user: 'u', storage: memoryStorage() });
  const { outcome } = box.enqueue('complete', store.get('t'));
  assert.equal(await outcome, 'queued');
  assert.equal(box.size, 1);
  assert.ok(store.get('t').completed && store.get('t').pending);
  clearTimeout(box.retryTimer);
});
