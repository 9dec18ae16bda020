// Notifications: the unread badge on the header's bell, the Notifications view (mark read, mark
// all read, snooze), live toasts for notifications pushed on user.<id>.notifications,
// and the notification settings dialog.
//
// Pushes carry the unread count itself, so the badge takes the newest number it hears (from a push
// or GET /notifications/unread-count) and never counts on its own: a change seen twice or in
// another tab cannot make it drift. Notifications have no sequence number, so every (re)connect
// reads the count and, when it is on screen, the list again.
import { $, $$, el, field, clearFieldErrors, offerZones, showFieldErrors, FieldErrors } from './dom.js';
import { browserZone, isZone } from './due.js';
import { state as app } from './store.js';
import { showSystemNotification, systemNotificationsControl } from './system-notifications.js';
import { formatExact, formatWhen } from './when.js';

const SNOOZE = { duration: 'PT10M', text: '10 minutes' };
const TOAST_MS = 10000;
const PAGE = 30;
const TYPE_TEXT = { 'reminder.due': 'Reminder', 'reminder.missed': 'Missed reminder' };

let hooks = { openTask: () => {}, toast: () => {} };
/**
 * The signed-in user's notifications, kept in the store's session: { api, unread, items, cursor,
 * token, visible, available, active }; null when signed out.
 */
const notes = () => (app.session ? app.session.notifications : null);

// ---------------------------------------------------------------------------------------------
// Session

export function startInbox(api) {
  app.session.notifications = {
    api, unread: 0, items: [], cursor: null, token: 0, visible: false, available: true,
    // ids of unread notifications already toasted in this tab: a repeated push is not a new toast,
    // but one that went away (read or snoozed) and is pushed again is
    active: new Set(),
  };
  setUnread(0);
  $('#notifications-list').replaceChildren();
  refreshCount();
}

export function stopInbox() {
  if (app.session) app.session.notifications = null;
  setUnread(0);
  $('#notifications-list').replaceChildren();
  for (const t of $$('#toasts .toast.notification')) t.remove();
  if ($('#settings').open) $('#settings').close();
}

/** After the bridge (re)connected: whatever was pushed while it was down is read again. */
export function inboxConnected() {
  if (!notes()) return;
  refreshCount();
  if (notes().visible) refreshInbox();
}

export function setInboxVisible(visible) {
  if (!notes()) return;
  notes().visible = visible;
  if (visible) refreshInbox();
}

// ---------------------------------------------------------------------------------------------
// The unread badge

function setUnread(n) {
  const count = Math.max(0, Number(n) || 0);
  if (notes()) notes().unread = count;
  const badge = $('#notifications-badge');
  badge.textContent = count > 99 ? '99+' : String(count);
  badge.hidden = count === 0;
  const button = $('#notifications-button');
  button.dataset.unread = String(count);
  button.setAttribute('aria-label', count ? `Notifications, ${count} unread` : 'Notifications, nothing unread');
  const title = document.title.replace(/^\(\d+\+?\) /, '');
  document.title = count ? `(${count > 99 ? '99+' : count}) ${title}` : title;
}

async function refreshCount() {
  const current = notes();
  if (!current) return;
  try {
    const answer = await current.api.get('/notifications/unread-count');
    if (notes() === current) {
      current.available = true;
      setUnread(answer.unread);
    }
  } catch (e) {
    if (notes() === current && e.status === 404) current.available = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Pushes

export function onNotificationPush(body) {
  if (!notes() || !body) return;
  if (typeof body.unread === 'number') setUnread(body.unread);
  if (body.kind === 'notification' && body.notification) {
    arrived(body.notification);
  } else if (body.kind === 'state') {
    changedElsewhere(body.all === true ? null : (body.ids || []));
  }
}

function arrived(n) {
  const known = notes().active.has(n.id);
  if (!n.readAt) notes().active.add(n.id);
  if (notes().visible) {
    const unreadOnly = $('#notifications-unread-only').checked;
    notes().items = [n, ...notes().items.filter((i) => i.id !== n.id)];
    if (unreadOnly && n.readAt) notes().items = notes().items.filter((i) => i.id !== n.id);
    renderInbox();
  }
  if (!known && !n.readAt) notificationToast(n);
}

/** Read or snoozed in another tab (ids), or everything read (null). */
function changedElsewhere(ids) {
  const gone = ids === null ? [...notes().active] : ids;
  for (const id of gone) {
    notes().active.delete(id);
    const t = $(`#toasts .toast.notification[data-id="${CSS.escape(id)}"]`);
    if (t) t.remove();
  }
  if (ids === null) {
    const now = new Date().toISOString();
    notes().items = notes().items.map((i) => (i.readAt ? i : { ...i, readAt: now }));
    renderInbox();
  }
  // which of them were read and which snoozed the push does not say: the list asks
  if (notes().visible) refreshInbox();
}

// ---------------------------------------------------------------------------------------------
// Toasts

function notificationToast(n) {
  const heading = `${TYPE_TEXT[n.type] || 'Notification'}: ${n.title}`;
  const id = `toast-${n.id}`;
  const item = el('div', { class: `toast notification${n.type === 'reminder.missed' ? ' missed' : ''}`,
    dataset: { id: n.id }, role: 'group', 'aria-labelledby': `${id}-title` },
  el('p', { class: 'toast-title', id: `${id}-title` }, heading),
  el('p', { class: 'toast-when' }, el('time', { dateTime: n.fireAt || n.createdAt }, formatWhen(n.fireAt || n.createdAt))),
  n.body ? el('p', { class: 'toast-body' }, n.body) : null,
  el('div', { class: 'toast-actions' },
    n.taskId ? el('button', { type: 'button', class: 'link', dataset: { toast: 'open' } }, 'Open task') : null,
    el('button', { type: 'button', class: 'link', dataset: { toast: 'snooze' },
      'aria-label': `Snooze 10 min “${n.title}”` }, 'Snooze 10 min'),
    el('button', { type: 'button', class: 'link', dataset: { toast: 'dismiss' },
      'aria-label': `Dismiss “${n.title}”` }, 'Dismiss')));
  // the timer stops while a pointer or the keyboard is on the toast: nobody loses it mid-read
  let timer = null;
  const arm = () => { clearTimeout(timer); timer = setTimeout(() => item.remove(), TOAST_MS); };
  const hold = () => clearTimeout(timer);
  item.addEventListener('mouseenter', hold);
  item.addEventListener('focusin', hold);
  item.addEventListener('mouseleave', () => { if (!item.contains(document.activeElement)) arm(); });
  item.addEventListener('focusout', (e) => { if (!item.contains(e.relatedTarget)) arm(); });
  item.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') dismissToast(item);
  });
  item.addEventListener('click', (e) => {
    const action = e.target.closest('[data-toast]');
    if (!action) return;
    dismissToast(item);
    if (action.dataset.toast === 'open') {
      markRead(n);
      hooks.openTask(n.taskId);
    } else if (action.dataset.toast === 'snooze') {
      snooze(n);
    }
  });
  $('#toasts').append(item);
  arm();
  showSystemNotification(heading, n, () => {
    dismissToast(item);
    markRead(n);
    hooks.openTask(n.taskId);
  });
}

function dismissToast(item) {
  const hadFocus = item.contains(document.activeElement);
  item.remove();
  if (hadFocus) $('#notifications-button').focus();
}

// ---------------------------------------------------------------------------------------------
// The Notifications view

export async function refreshInbox({ more = false } = {}) {
  const current = notes();
  if (!current) return;
  const token = ++current.token;
  const params = new URLSearchParams({ limit: String(more ? PAGE : Math.max(PAGE, current.items.length)) });
  if ($('#notifications-unread-only').checked) params.set('unread', 'true');
  if (more && current.cursor) params.set('cursor', current.cursor);
  let page;
  try {
    page = await current.api.get(`/notifications?${params}`);
  } catch (e) {
    if (notes() === current && token === current.token) {
      current.available = e.status !== 404;
      inboxStatus(e.status === 404 ? 'Notifications are not available on this server.' : e.message);
    }
    return;
  }
  if (notes() !== current || token !== current.token) return;
  current.available = true;
  current.items = more ? [...current.items, ...page.items.filter((i) => !current.items.some((x) => x.id === i.id))]
    : page.items;
  current.cursor = page.nextCursor;
  if (typeof page.unread === 'number') setUnread(page.unread);
  for (const n of page.items) if (!n.readAt) current.active.add(n.id);
  inboxStatus('');
  renderInbox();
}

function inboxStatus(text) {
  $('#notifications-status').textContent = text;
  $('#notifications-status').hidden = !text;
}

function renderInbox() {
  if (!notes()) return;
  const list = $('#notifications-list');
  const focused = document.activeElement && list.contains(document.activeElement)
    ? [document.activeElement.closest('li')?.dataset.id, document.activeElement.dataset.inbox] : null;
  list.replaceChildren(...notes().items.map(inboxRow));
  $('#notifications-empty').hidden = notes().items.length > 0;
  $('#notifications-more').hidden = !notes().cursor;
  $('#notifications-read-all').disabled = notes().unread === 0;
  if (focused) {
    // keep the keyboard where it was: the same button of the same row, else that row's first one
    const li = $(`li[data-id="${CSS.escape(focused[0] || '')}"]`, list);
    const again = li && ($(`[data-inbox="${focused[1]}"]`, li) || $('button', li));
    (again || $('#notifications-read-all')).focus();
  }
}

function inboxRow(n) {
  const unread = !n.readAt;
  return el('li', { class: `notification${unread ? ' unread' : ''}`, dataset: { id: n.id, unread: String(unread) } },
    el('p', { class: 'notification-head' },
      el('span', { class: 'kind' }, TYPE_TEXT[n.type] || n.type),
      unread ? el('span', { class: 'unread-dot', title: 'Unread' }, el('span', { class: 'sr' }, 'Unread')) : null,
      el('strong', { class: 'notification-title' }, n.title),
      el('time', { dateTime: n.fireAt || n.createdAt, title: formatExact(n.fireAt || n.createdAt) },
        formatWhen(n.fireAt || n.createdAt))),
    n.body ? el('p', { class: 'notification-body' }, n.body) : null,
    el('div', { class: 'actions' },
      // each name starts with what the button shows, so speaking it to voice control works
      n.taskId ? el('button', { type: 'button', class: 'secondary', dataset: { inbox: 'open' },
        'aria-label': `Open task “${n.title}”` }, 'Open task') : null,
      unread ? el('button', { type: 'button', class: 'secondary', dataset: { inbox: 'read' },
        'aria-label': `Mark read “${n.title}”` }, 'Mark read') : null,
      el('button', { type: 'button', class: 'secondary', dataset: { inbox: 'snooze' },
        'aria-label': `Snooze 10 min “${n.title}”` }, 'Snooze 10 min')));
}

// Shown read at once: the server's push of the new unread count can arrive before the answer to
// the POST, and a badge at 0 beside an entry still marked unread is a contradiction the user sees.
async function markRead(n) {
  const current = notes();
  if (!current || n.readAt) return;
  const shown = { ...n, readAt: new Date().toISOString() };
  replaceItem(shown);
  try {
    const updated = await current.api.post(`/notifications/${encodeURIComponent(n.id)}/read`);
    if (notes() !== current) return;
    current.active.delete(n.id);
    replaceItem(updated || shown);
    refreshCount();
  } catch (e) {
    if (notes() === current) refreshInbox(); // what the server has, whatever the list showed
    hooks.toast(`Mark read: ${e.message}`, 'error');
  }
}

async function snooze(n) {
  const current = notes();
  if (!current) return;
  try {
    await current.api.post(`/notifications/${encodeURIComponent(n.id)}/snooze`, { duration: SNOOZE.duration });
    if (notes() !== current) return;
    // it comes back as a new push, and that one is toasted again
    current.active.delete(n.id);
    current.items = current.items.filter((i) => i.id !== n.id);
    renderInbox();
    refreshCount();
    hooks.toast(`Snoozed “${n.title}” for ${SNOOZE.text}.`, 'info');
  } catch (e) {
    hooks.toast(`Snooze: ${e.message}`, 'error');
  }
}

async function markAllRead() {
  const current = notes();
  if (!current) return;
  try {
    const answer = await current.api.post('/notifications/read-all');
    if (notes() !== current) return;
    current.active.clear();
    for (const t of $$('#toasts .toast.notification')) t.remove();
    setUnread(answer && typeof answer.unread === 'number' ? answer.unread : 0);
    refreshInbox();
  } catch (e) {
    hooks.toast(`Mark all read: ${e.message}`, 'error');
  }
}

function replaceItem(n) {
  const unreadOnly = $('#notifications-unread-only').checked;
  notes().items = notes().items.map((i) => (i.id === n.id ? n : i)).filter((i) => !(unreadOnly && i.readAt));
  renderInbox();
}

// ---------------------------------------------------------------------------------------------
// Settings

async function openSettings() {
  const dialog = $('#settings');
  const form = $('#settings-form');
  if (!form.elements.pushEnabled) buildSettingsForm();
  form.reset();
  clearFieldErrors(form);
  settingsError(null);
  showQuiet();
  $('#settings-save').disabled = true;
  $('#settings-status').textContent = 'Loading…';
  if (!dialog.open) dialog.showModal();
  const current = notes();
  try {
    const settings = await current.api.get('/notification-settings');
    if (notes() !== current || !dialog.open) return;
    fillSettings(form, settings);
    $('#settings-status').textContent = '';
    $('#settings-save').disabled = false;
  } catch (e) {
    $('#settings-status').textContent = e.status === 404
      ? 'Notifications are not available on this server.' : e.message;
  }
}

function fillSettings(form, s) {
  form.email.value = s.email || '';
  form.emailEnabled.checked = s.emailEnabled === true;
  form.pushEnabled.checked = s.pushEnabled !== false;
  form.timeZone.value = s.timeZone || browserZone();
  form.quiet.checked = Boolean(s.quietHours);
  form.quietStart.value = s.quietHours ? s.quietHours.start : '22:00';
  form.quietEnd.value = s.quietHours ? s.quietHours.end : '07:00';
  showQuiet();
}

function readSettings(form) {
  const errors = [];
  const zone = form.timeZone.value.trim();
  if (!isZone(zone)) errors.push({ field: 'timeZone', message: `“${zone}” is not a time zone this browser knows.` });
  const email = form.email.value.trim();
  let quietHours = null;
  if (form.quiet.checked) {
    if (!form.quietStart.value) errors.push({ field: 'quietHours.start', message: 'When they start.' });
    if (!form.quietEnd.value) errors.push({ field: 'quietHours.end', message: 'When they end.' });
    quietHours = { start: form.quietStart.value.slice(0, 5), end: form.quietEnd.value.slice(0, 5) };
  }
  if (errors.length) throw new FieldErrors(errors);
  return { email: email || null, emailEnabled: form.emailEnabled.checked, pushEnabled: form.pushEnabled.checked,
    timeZone: zone, quietHours };
}

function showQuiet() {
  $('#settings-quiet-times').hidden = !$('#settings-form').quiet.checked;
}

function settingsError(text) {
  const p = $('#settings-error');
  p.textContent = text || '';
  p.hidden = !text;
}

async function saveSettings(event) {
  event.preventDefault();
  const form = $('#settings-form');
  const current = notes();
  let body;
  try {
    body = readSettings(form);
  } catch (e) {
    const rest = showFieldErrors(form, e.errors || []);
    settingsError(rest.map((x) => x.message).join(' '));
    return;
  }
  clearFieldErrors(form);
  settingsError(null);
  $('#settings-save').disabled = true;
  try {
    await current.api.request('PUT', '/notification-settings', { body });
    if (notes() !== current) return;
    $('#settings').close();
    hooks.toast('Notification settings saved.', 'info');
  } catch (e) {
    const errors = (e.problem && e.problem.errors) || [];
    const rest = showFieldErrors(form, errors);
    settingsError(errors.length ? rest.map((x) => `${x.field}: ${x.message}`).join('; ') || null : e.message);
  } finally {
    $('#settings-save').disabled = false;
  }
}

/**
 * The settings form's fields are built here, with the same error slots as the task forms, when the
 * form is first opened.
 */
function buildSettingsForm() {
  const form = $('#settings-form');
  const check = (id, name, label) => el('div', { class: 'field check' },
    el('label', {}, el('input', { type: 'checkbox', id, name }), ` ${label}`));
  $('#settings-fields').replaceChildren(
    check('settings-push', 'pushEnabled', 'Show notifications in this page while it is open'),
    check('settings-email-on', 'emailEnabled', 'Send an e-mail when I am not online'),
    field('E-mail address', el('input', { id: 'settings-email', name: 'email', type: 'email', autocomplete: 'email' }),
      { errorFor: 'email', help: 'Without an address no e-mail is sent.' }),
    field('Time zone', el('input', { id: 'settings-zone', name: 'timeZone', autocomplete: 'off' }),
      { errorFor: 'timeZone', help: 'Quiet hours are in this zone.' }),
    el('fieldset', {}, el('legend', {}, 'Quiet hours'),
      check('settings-quiet', 'quiet', 'Hold notifications back during quiet hours'),
      el('p', { class: 'field-error', hidden: true, dataset: { errorFor: 'quietHours' } }),
      el('div', { class: 'row', id: 'settings-quiet-times' },
        field('From', el('input', { id: 'settings-quiet-start', name: 'quietStart', type: 'time' }),
          { errorFor: 'quietHours.start' }),
        field('Until', el('input', { id: 'settings-quiet-end', name: 'quietEnd', type: 'time' }),
          { errorFor: 'quietHours.end' }))),
    systemNotificationsControl());
  offerZones(form.timeZone);
  form.quiet.addEventListener('change', showQuiet);
}

// ---------------------------------------------------------------------------------------------
// Wiring (once per page)

/** @param openTask (taskId) → shows the task; toast (text, kind) → the page's own messages */
export function initInbox({ openTask, toast }) {
  hooks = { openTask, toast };
  $('#notifications-list').addEventListener('click', (event) => {
    const button = event.target.closest('[data-inbox]');
    const li = button && button.closest('li[data-id]');
    const n = li && notes() && notes().items.find((i) => i.id === li.dataset.id);
    if (!n) return;
    if (button.dataset.inbox === 'read') markRead(n);
    else if (button.dataset.inbox === 'snooze') snooze(n);
    else if (button.dataset.inbox === 'open') {
      markRead(n);
      hooks.openTask(n.taskId);
    }
  });
  $('#notifications-read-all').addEventListener('click', markAllRead);
  $('#notifications-more').addEventListener('click', () => refreshInbox({ more: true }));
  $('#notifications-unread-only').addEventListener('change', () => {
    if (notes()) notes().items = [];
    refreshInbox();
  });
  $('#notifications-settings').addEventListener('click', openSettings);
  $('#settings-form').addEventListener('submit', saveSettings);
  $('#settings-cancel').addEventListener('click', () => $('#settings').close());
}
