// Keyboard shortcuts: q add, / search, j/k move the selection, x complete (u undoes), e edit,
// Delete trash, Escape close the panel, ? the list of them. Never while typing in a field.
import { complete, reopen, trash } from './actions.js';
import { $ } from './dom.js';
import { select, selectableRows } from './list.js';
import { closePanel, openNew, openTask } from './panel.js';
import { state } from './store.js';

function typing(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable
      || target.matches('input:not([type=checkbox]):not([type=radio]):not([type=button]), textarea, select'));
}

function selectedTask() {
  const s = state.session;
  return s && s.selected ? s.tasks.get(s.selected) : null;
}

function move(by) {
  const rows = selectableRows();
  if (!rows.length) return;
  const s = state.session;
  const at = rows.findIndex((li) => li.dataset.id === s.selected);
  const next = at < 0 ? (by > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, at + by));
  select(rows[next].dataset.id);
}

/** The selection moves on to the next row, as the completed one leaves. */
function completeSelected(task) {
  const rows = selectableRows();
  const at = rows.findIndex((li) => li.dataset.id === task.id);
  const next = rows[at + 1] || rows[at - 1];
  if (task.completed) reopen(task);
  else complete(task);
  const leaves = task.completed ? state.session.route.view === 'completed' : true;
  if (next && leaves) select(next.dataset.id);
}

function quickAdd() {
  const input = $('#quick-add input');
  if (input) input.focus();
  else openNew();
}

export function initKeys() {
  document.addEventListener('keydown', (event) => {
    const s = state.session;
    if (!s || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Escape') {
      if (document.querySelector('dialog[open]')) return; // a dialog closes itself
      if (s.panel) {
        event.preventDefault();
        closePanel();
      }
      return;
    }
    if (typing(event.target) || document.querySelector('dialog[open]')) return;
    const task = selectedTask();
    const handlers = {
      q: quickAdd,
      '/': () => $('#search-input').focus(),
      j: () => move(1),
      k: () => move(-1),
      ArrowDown: () => (event.target.closest && event.target.closest('#task-list') ? move(1) : null),
      ArrowUp: () => (event.target.closest && event.target.closest('#task-list') ? move(-1) : null),
      x: () => task && !task.deletedAt && completeSelected(task),
      u: () => $('#snackbar [data-undo]')?.click(),
      e: () => task && openTask(task.id, { edit: true }),
      Delete: () => task && !task.deletedAt && trash(task),
      '?': () => $('#shortcuts').showModal(),
    };
    const handler = handlers[event.key];
    if (handler) {
      event.preventDefault();
      handler();
    }
  });
  // a click or focus on a row selects it, so the keys act on what the person looks at
  $('#task-list').addEventListener('focusin', (event) => {
    const li = event.target.closest('li.task[data-id]');
    if (li && state.session) {
      state.session.selected = li.dataset.id;
      select(li.dataset.id, { focus: false });
    }
  });
}
