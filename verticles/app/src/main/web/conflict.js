// A conflict: an edit waiting in the outbox and a change made elsewhere to the same field. The
// dialog shows both values of each such field; the person keeps theirs (sent again on the
// server's version) or takes the server's (their edit is dropped). A modal <dialog>: the keyboard
// stays in it, and it stays until one is chosen.
import { $, el } from './dom.js';
import { formatValue } from './panel.js';

const LABEL = {
  title: 'Title', description: 'Description', priority: 'Priority', tags: 'Tags', dueDate: 'Due day',
  dueAt: 'Due at', timeZone: 'Time zone', recurrence: 'Repeats', reminders: 'Reminders',
};

/** Resolves with 'mine' or 'theirs'. */
export function askConflict(entry, server, fields) {
  const dialog = $('#conflict');
  $('#conflict-intro').textContent = `“${entry.title}” was changed elsewhere while your edit waited to be sent. `
    + 'Choose which version to keep.';
  $('#conflict-fields tbody').replaceChildren(...fields.map((f) => el('tr', { dataset: { field: f } },
    el('th', { scope: 'row' }, LABEL[f] || f),
    el('td', { class: 'mine' }, formatValue(entry.patch[f])),
    el('td', { class: 'theirs' }, formatValue(server[f])))));
  return new Promise((resolve) => {
    let choice = null;
    const choose = (which) => {
      choice = which;
      dialog.close();
    };
    $('#conflict-mine').onclick = () => choose('mine');
    $('#conflict-theirs').onclick = () => choose('theirs');
    // Escape does not choose for the person
    dialog.oncancel = (event) => event.preventDefault();
    dialog.onclose = () => {
      if (choice) resolve(choice);
      else dialog.showModal();
    };
    dialog.showModal();
    $('#conflict-mine').focus();
  });
}
