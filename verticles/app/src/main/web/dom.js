// DOM helpers shared by the page's modules: queries, an element builder, and field errors
// (a problem's `errors` shown next to the fields they name).
import { zones } from './due.js';

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/**
 * An input that suggests the IANA zones from the page's one datalist, whose four hundred options
 * are made when a zone field is first focused, not while the page starts.
 */
export function offerZones(input) {
  input.setAttribute('list', 'time-zones');
  input.addEventListener('focus', () => {
    const list = $('#time-zones');
    if (!list.firstElementChild) list.replaceChildren(...zones().map((z) => el('option', { value: z })));
  });
}

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('aria-') || key === 'for' || key === 'role') node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** A labelled control in a `.field`, with an error slot the control is described by. */
export function field(label, control, { grow = false, errorFor = '', help = null, props = {} } = {}) {
  const error = el('p', { class: 'field-error', id: `${control.id}-error`, hidden: true,
    dataset: { errorFor } });
  const described = [help ? `${control.id}-help` : null, error.id].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  // an error stays until the field is changed: then it may well be right, and the server says again
  control.addEventListener('input', () => {
    error.hidden = true;
    control.removeAttribute('aria-invalid');
  });
  return el('div', { class: `field${grow ? ' grow' : ''}`, ...props },
    el('label', { for: control.id }, label), control,
    help ? el('small', { id: `${control.id}-help` }, help) : null, error);
}

/** Field errors found before asking the server, in the shape of a problem's `errors`. */
export class FieldErrors extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join('; '));
    this.errors = errors;
  }
}

/**
 * The error slot for a field name: a slot listing the name in data-error-for, or for an item of a
 * list (reminders[2].before) the slot of that item's row; null when the form has none.
 */
function slotFor(form, name) {
  const item = /^([a-zA-Z]+)\[(\d+)\]/.exec(name);
  if (item) {
    const row = $$(`[data-item-of="${item[1]}"]`, form)[Number(item[2])];
    if (row) return $(':scope > .field-error', row);
  }
  return $$('[data-error-for]', form).find((s) => s.dataset.errorFor.split(' ').includes(name)) || null;
}

export function clearFieldErrors(form) {
  for (const slot of $$('.field-error[data-error-for]', form)) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const invalid of $$('[aria-invalid="true"]', form)) invalid.removeAttribute('aria-invalid');
}

/**
 * Shows each error next to its field and marks the control invalid; returns the errors no slot
 * took (the caller shows those in the form's own message), and focuses the first marked control.
 */
export function showFieldErrors(form, errors) {
  clearFieldErrors(form);
  const rest = [];
  let first = null;
  for (const error of errors) {
    const slot = slotFor(form, error.field);
    // a slot in a hidden part of the form (the custom rule while a preset is chosen) shows nothing
    if (!slot || slot.parentElement.closest('[hidden]')) {
      rest.push(error);
      continue;
    }
    slot.textContent = slot.textContent ? `${slot.textContent} ${error.message}` : error.message;
    slot.hidden = false;
    // in a row of several controls, the one the error's last part names (reminders[0].before)
    const controls = $$('input, select, textarea', slot.closest('.field, [data-item-of]') || slot.parentElement)
      .filter((c) => !c.closest('[hidden]') && c.type !== 'button');
    const key = error.field.split('.').pop();
    const control = controls.find((c) => c.dataset.errorKey === key) || controls[0];
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      first = first || control;
    }
  }
  if (first) first.focus();
  return rest;
}
