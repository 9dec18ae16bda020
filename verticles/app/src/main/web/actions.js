// What a person does to a task from a row, the side panel or the keyboard: complete (the row
// animates away and a snackbar offers Undo), reopen, move to the trash (Undo restores), restore.
import { renderList, loadList } from './list.js';
import { state } from './store.js';
import { snackbar, toast } from './toast.js';

const LEAVE_MS = 260;

async function post(task, what) {
  const s = state.session;
  const updated = await s.api.post(`/tasks/${encodeURIComponent(task.id)}/${what}`);
  if (updated && state.session === s) s.tasks.put(updated);
  return updated;
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

export async function complete(task) {
  const s = state.session;
  if (!s) return;
  leave(s, task.id);
  try {
    await post(task, 'complete');
    snackbar(`Completed “${task.title}”.`, () => reopen(task, false));
  } catch (e) {
    toast(`Complete “${task.title}”: ${e.message}`, 'error');
    loadList();
  }
}

export async function reopen(task, offerUndo = true) {
  const s = state.session;
  if (!s) return;
  if (s.route.view === 'completed') leave(s, task.id);
  try {
    await post(task, 'reopen');
    if (offerUndo) snackbar(`Reopened “${task.title}”.`, () => complete(task));
  } catch (e) {
    toast(`Reopen “${task.title}”: ${e.message}`, 'error');
    loadList();
  }
}

export function toggle(task) {
  return task.completed ? reopen(task) : complete(task);
}

export async function trash(task) {
  const s = state.session;
  if (!s) return;
  try {
    await s.api.request('DELETE', `/tasks/${encodeURIComponent(task.id)}`);
    // the store learns it from the bridge; the list need not wait for that
    s.list.ids = s.list.ids.filter((id) => id !== task.id || s.route.view === 'trash');
    renderList();
    snackbar(`“${task.title}” is in the trash.`, () => restore(task, false));
    loadList();
  } catch (e) {
    toast(`Delete “${task.title}”: ${e.message}`, 'error');
  }
}

export async function restore(task, offerUndo = true) {
  const s = state.session;
  if (!s) return;
  try {
    await post(task, 'restore');
    if (offerUndo) snackbar(`Restored “${task.title}”.`, null);
    loadList();
  } catch (e) {
    toast(`Restore “${task.title}”: ${e.message}`, 'error');
  }
}
