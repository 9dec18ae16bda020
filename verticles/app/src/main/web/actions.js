// What a person does to a task from a row, the side panel or the keyboard: complete (the row
// animates away and a snackbar offers Undo), reopen, move to the trash (Undo restores), restore.
// Each goes through the outbox (pending.js): shown at once, sent when the server can be reached.
import { renderList, loadList } from './list.js';
import { state } from './store.js';
import { snackbar, toast } from './toast.js';

const LEAVE_MS = 260;

/** Queues the change; a refusal (the change dropped) is said in a toast. */
function queue(kind, task, label) {
  const s = state.session;
  const { outcome } = s.outbox.enqueue(kind, task);
  outcome.catch((e) => {
    toast(`${label} “${task.title}”: ${e.message}`, 'error');
    if (state.session === s) loadList();
  });
}

/** The row stays a moment, struck through and fading, then leaves the view. */
function leave(s, id) {
  s.leaving.add(id);
  renderList();
  setTimeout(() => {
    s.leaving.delete(id);
    if (state.session === s) renderList();
  }, LEAVE_MS);
}

export function complete(task) {
  const s = state.session;
  if (!s) return;
  leave(s, task.id);
  queue('complete', task, 'Complete');
  snackbar(`Completed “${task.title}”.`, () => reopen(s.tasks.get(task.id) || task, false));
}

export function reopen(task, offerUndo = true) {
  const s = state.session;
  if (!s) return;
  if (s.route.view === 'completed') leave(s, task.id);
  queue('reopen', task, 'Reopen');
  if (offerUndo) snackbar(`Reopened “${task.title}”.`, () => complete(s.tasks.get(task.id) || task));
}

export function toggle(task) {
  return task.completed ? reopen(task) : complete(task);
}

export function trash(task) {
  const s = state.session;
  if (!s) return;
  queue('trash', task, 'Delete');
  // the list need not wait for the server
  s.list.ids = s.list.ids.filter((id) => id !== task.id || s.route.view === 'trash');
  renderList();
  snackbar(`“${task.title}” is in the trash.`, s.tasks.get(task.id) ? () => restore(s.tasks.get(task.id) || task, false) : null);
}

export function restore(task, offerUndo = true) {
  const s = state.session;
  if (!s) return;
  queue('restore', task, 'Restore');
  if (offerUndo) snackbar(`Restored “${task.title}”.`, null);
  loadList();
}
