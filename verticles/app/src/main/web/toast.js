// Messages: toasts (errors and notes, dismissable) and the snackbar, one line at the bottom with
// an Undo that stays about five seconds.
import { $, el } from './dom.js';

const SNACK_MS = 5000;

export function toast(text, kind = 'info') {
  const item = el('div', { class: `toast ${kind}` }, text, ' ',
    el('button', { type: 'button', class: 'link', dataset: { dismiss: '' } }, 'Dismiss'));
  $('[data-dismiss]', item).addEventListener('click', () => item.remove());
  $('#toasts').append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 12000 : 6000);
}

/** "Completed “X”. Undo": a newer one replaces it; Undo runs `undo` once. */
export function snackbar(text, undo) {
  const bar = $('#snackbar');
  clearTimeout(bar.timer);
  const item = el('div', { class: 'snack' }, el('span', {}, text));
  if (undo) {
    const button = el('button', { type: 'button', class: 'link', dataset: { undo: '' } }, 'Undo');
    button.addEventListener('click', () => {
      item.remove();
      undo();
    });
    item.append(button);
  }
  bar.replaceChildren(item);
  // the time stops while the pointer or the keyboard is on it
  const arm = () => { bar.timer = setTimeout(() => item.remove(), SNACK_MS); };
  item.addEventListener('mouseenter', () => clearTimeout(bar.timer));
  item.addEventListener('focusin', () => clearTimeout(bar.timer));
  item.addEventListener('mouseleave', arm);
  arm();
}

export function clearMessages() {
  $('#snackbar').replaceChildren();
  $('#toasts').replaceChildren();
}
