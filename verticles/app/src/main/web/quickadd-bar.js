// The quick-add bar: one line at the top of the page. As one types, the parts it recognises are
// marked in a copy of the line under it and a preview says what Enter will create (title, due in
// words, repeat, tags, priority, reminders); Enter creates the task, Escape clears (and, on an
// empty line, gives the keyboard back to the page's shortcuts; keys.js's `q` brings it here).
// Self-contained: the page gives it a container, the user's zone and how to create a task.
import { el } from './dom.js';
import { describeReminder } from './schedule.js';
import { describeDue } from './when.js';

const KIND_LABEL = { date: 'date', recurrence: 'repeat', tag: 'tag', priority: 'priority', reminder: 'reminder' };

/**
 * @param {HTMLElement} container where the bar goes
 * @param {{zone: () => string, create: (body: object) => Promise<object>, locale?: () => string}} hooks
 *   create posts the task and resolves with it (rejects with the API's error)
 */
export function mountQuickAdd(container, { zone, create, locale = () => navigator.language }) {
  const input = el('input', {
    id: 'quick-add-input', name: 'quickAdd', autocomplete: 'off', spellcheck: false, maxLength: 1000,
    placeholder: 'Add a task: “pay rent every month on the 1st #home”   q',
    'aria-describedby': 'quick-add-help quick-add-preview', 'aria-keyshortcuts': 'q',
  });
  const echo = el('p', { class: 'qa-echo', 'aria-hidden': 'true' });
  const preview = el('div', { id: 'quick-add-preview', class: 'qa-preview', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = el('form', { class: 'quick-add', 'aria-label': 'Quick add' },
    el('label', { for: input.id, class: 'sr' }, 'Quick add'),
    el('div', { class: 'qa-line' }, input, el('button', { type: 'submit' }, 'Add')),
    echo,
    preview,
    error,
    // folded, not shown on focus: a line that grew and shrank with the focus would move what is
    // under it between a press and its release, and the click would land elsewhere
    el('details', { class: 'qa-more' }, el('summary', {}, 'What can I type?'),
      el('p', { id: 'quick-add-help', class: 'qa-help' },
        'A title with a date or time (“tomorrow 6pm”, “apr 15”), a repeat (“every weekday”, “every month on the 1st”, '
        + '“every mon and thu”), #tags, !high / !low (or !1 to !3) and reminders (“remind 10m before”, '
        + '“remind me at 8am”). Enter adds, Escape clears; q comes back here from anywhere.')));
  container.replaceChildren(form);

  let parsed = null;
  // the parser (chrono-node's hundred-odd modules) loads on the line's first use, not with the
  // page: evaluated at start it blocked the Today view for 400 ms (Lighthouse)
  let parseQuickAdd = null;
  let loading = null;
  const ready = () => {
    loading ||= import('./quickadd.js').then((m) => { parseQuickAdd = m.parseQuickAdd; })
      .catch((e) => { loading = null; throw e; });
    return loading;
  };
  const whenReady = (then) => ready().then(then, (e) => showError(`Quick add cannot read the line: ${e.message}`));
  const settings = () => ({ now: new Date(), zone: zone(), locale: locale() });

  const render = () => {
    error.hidden = true;
    if (!input.value.trim()) {
      parsed = null;
      echo.replaceChildren();
      preview.replaceChildren();
      delete form.dataset.parsed;
      return;
    }
    if (!parseQuickAdd) return; // whenReady renders once it is there
    const at = settings();
    parsed = parseQuickAdd(input.value, at);
    echo.replaceChildren(...highlighted(input.value, parsed.spans));
    preview.replaceChildren(...summary(parsed, at));
    form.dataset.parsed = 'true';
  };

  const clear = () => {
    input.value = '';
    render();
  };

  input.addEventListener('focus', () => whenReady(() => {}));
  input.addEventListener('input', () => (parseQuickAdd ? render() : whenReady(render)));
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    if (input.value) clear();
    else input.blur();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // parsed again: "tomorrow" means the day it is when Enter is pressed
    try {
      await ready();
    } catch (e) {
      showError(`Quick add cannot read the line: ${e.message}`);
      return;
    }
    render();
    if (!parsed || !parsed.title) {
      showError(parsed ? 'A task needs a title besides its date, repeat and tags.' : 'Type a task first.');
      return;
    }
    input.disabled = true;
    try {
      await create(parsed.body);
      clear();
    } catch (e) {
      showError(e.message);
    } finally {
      input.disabled = false;
      input.focus();
    }
  });

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
  }

  return { input, clear };
}

/** The typed text with each recognised part in a <mark> of its kind. */
function highlighted(text, spans) {
  const out = [];
  let at = 0;
  for (const s of spans) {
    if (s.start > at) out.push(text.slice(at, s.start));
    out.push(el('mark', { class: `qa-${s.kind}`, dataset: { kind: s.kind }, title: KIND_LABEL[s.kind] },
      text.slice(s.start, s.end)));
    at = s.end;
  }
  out.push(text.slice(at));
  return out;
}

/** What Enter will create, as chips; the due in the page's words for dates (when.js). */
function summary(parsed, at) {
  const chip = (kind, label, value) => el('li', { class: `qa-chip qa-${kind}`, dataset: { kind } },
    el('span', { class: 'qa-chip-label' }, `${label}: `), value);
  const body = parsed.body;
  const due = body.dueDate || body.dueAt ? describeDue({ ...body, completed: false }, at) : null;
  const chips = [
    chip('title', 'Title', parsed.title || '(none yet)'),
    due ? chip('date', 'Due', due.text) : null,
    parsed.repeat ? chip('recurrence', 'Repeats', parsed.repeat) : null,
    parsed.tags.length ? chip('tag', 'Tags', parsed.tags.join(', ')) : null,
    parsed.priority ? chip('priority', 'Priority', parsed.priority) : null,
    ...parsed.reminders.map((r) => chip('reminder', 'Reminder', describeReminder(r))),
  ].filter(Boolean);
  return [el('p', { class: 'qa-preview-head' }, 'Enter will add:'), el('ul', { class: 'qa-chips' }, ...chips)];
}
