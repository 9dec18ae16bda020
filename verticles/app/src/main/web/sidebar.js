// The sidebar (a drawer on a phone): the views with their counts from /tasks/counts, the saved
// filters (/filters) with their counts, and the search field where the filter language lives;
// saving the current search as a filter, renaming and deleting one.
import { $, $$, el } from './dom.js';
import { icon } from './icons.js';
import { go, routeHash } from './router.js';
import { state } from './store.js';
import { toast } from './toast.js';
import { userZone } from './when.js';

const COUNTS_DEBOUNCE_MS = 400;
const RETRY_MS = 5000;

export function markCurrent() {
  const s = state.session;
  const hash = s ? routeHash(s.route) : '';
  for (const a of $$('#sidebar a[href]')) {
    if (a.getAttribute('href') === hash) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---------------------------------------------------------------------------------------------
// Counts

export function refreshCounts(now = false) {
  const s = state.session;
  if (!s) return;
  clearTimeout(s.countsTimer);
  s.countsTimer = setTimeout(() => loadCounts(s), now ? 0 : COUNTS_DEBOUNCE_MS);
}

async function loadCounts(s) {
  try {
    const counts = await s.api.get(`/tasks/counts?tz=${encodeURIComponent(userZone())}`);
    if (state.session !== s) return;
    s.counts = counts;
  } catch (e) {
    if (state.session !== s) return;
    // a server without counts (404): the sidebar shows none; a passing failure: ask again later
    if (e.status === 404) s.counts = null;
    else s.countsTimer = setTimeout(() => loadCounts(s), RETRY_MS);
  }
  renderCounts();
}

function renderCounts() {
  const s = state.session;
  const counts = s && s.counts;
  for (const span of $$('#sidebar [data-count]')) {
    const key = span.dataset.count;
    const n = counts ? (key.startsWith('filter:') ? (counts.filters || {})[key.slice(7)] : counts[key]) : undefined;
    span.textContent = typeof n === 'number' && n > 0 ? String(n) : '';
    span.hidden = !(typeof n === 'number' && n > 0);
  }
  const overdue = counts && counts.overdue > 0;
  $('#sidebar [data-count="today"]').classList.toggle('alert', Boolean(overdue));
}

// ---------------------------------------------------------------------------------------------
// Saved filters

export async function loadFilters() {
  const s = state.session;
  if (!s) return;
  try {
    const answer = await s.api.get('/filters');
    if (state.session !== s) return;
    s.filters = [...answer.items].sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.name.localeCompare(b.name));
  } catch (e) {
    if (state.session !== s) return;
    if (e.status === 404) {
      s.filters = null; // a server without saved filters
    } else {
      setTimeout(() => {
        if (state.session === s) loadFilters().then(() => document.dispatchEvent(new CustomEvent('taskbus:route')));
      }, RETRY_MS);
    }
  }
  renderFilters();
}

function renderFilters() {
  const s = state.session;
  const filters = s && s.filters;
  $('#filters-nav').hidden = !filters;
  $('#saved-filters').replaceChildren(...(filters || []).map((f) => el('li', {},
    el('a', { href: routeHash({ view: 'filter', id: f.id }), dataset: { view: 'filter' }, title: f.filter },
      el('span', { class: 'nav-icon' }, icon('filter')), f.name,
      el('span', { class: 'count', dataset: { count: `filter:${f.id}` } })))));
  $('#filters-empty').hidden = Boolean(filters && filters.length);
  markCurrent();
  renderCounts();
}

/** The view's head offers what fits: save a search, rename or delete a saved filter. */
export function filterTools() {
  const s = state.session;
  const route = s ? s.route : {};
  const can = Boolean(s && s.filters);
  $('#save-filter').hidden = !(can && route.view === 'search' && route.text);
  $('#rename-filter').hidden = !(can && route.view === 'filter' && s.filters.some((f) => f.id === route.id));
  $('#delete-filter').hidden = $('#rename-filter').hidden;
}

/**
 * The name dialog: `submit(name)` does the work and answers null, or the message to show (a name
 * already taken stays in the dialog to be changed).
 */
function askName(title, text, name, submit) {
  const dialog = $('#filter-dialog');
  const form = $('#filter-form');
  const error = (message) => {
    $('#filter-dialog-error').textContent = message || '';
    $('#filter-dialog-error').hidden = !message;
    if (message) $('#filter-name').setAttribute('aria-invalid', 'true');
    else $('#filter-name').removeAttribute('aria-invalid');
  };
  $('#filter-dialog-title').textContent = title;
  $('#filter-dialog-text').textContent = text;
  $('#filter-name').value = name || '';
  error(null);
  form.onsubmit = async (event) => {
    event.preventDefault();
    const value = $('#filter-name').value.trim();
    if (!value) {
      error('A filter needs a name.');
      return;
    }
    const problem = await submit(value);
    if (problem) error(problem);
    else dialog.close();
  };
  $('#filter-cancel').onclick = () => dialog.close();
  dialog.showModal();
  $('#filter-name').focus();
}

function saveFilter() {
  const s = state.session;
  const text = s.route.text;
  askName('Save as filter', `Filter: ${text}`, '', async (name) => {
    try {
      const saved = await s.api.post('/filters', { name, filter: text });
      await loadFilters();
      refreshCounts(true);
      go(routeHash({ view: 'filter', id: saved.id }));
      return null;
    } catch (e) {
      return e.message;
    }
  });
}

function renameFilter() {
  const s = state.session;
  const saved = (s.filters || []).find((f) => f.id === s.route.id);
  if (!saved) return;
  askName('Rename filter', `Filter: ${saved.filter}`, saved.name, async (name) => {
    try {
      await s.api.request('PATCH', `/filters/${encodeURIComponent(saved.id)}`, {
        body: { name }, contentType: 'application/merge-patch+json',
      });
      await loadFilters();
      document.dispatchEvent(new CustomEvent('taskbus:route'));
      return null;
    } catch (e) {
      return e.message;
    }
  });
}

async function deleteFilter() {
  const s = state.session;
  const saved = (s.filters || []).find((f) => f.id === s.route.id);
  if (!saved) return;
  try {
    await s.api.request('DELETE', `/filters/${encodeURIComponent(saved.id)}`);
    await loadFilters();
    go('#all');
  } catch (e) {
    toast(`Delete filter: ${e.message}`, 'error');
  }
}

// ---------------------------------------------------------------------------------------------
// The drawer (phone width) and the search field

export function setDrawer(open) {
  $('#app').classList.toggle('drawer-open', open);
  $('#menu-button').setAttribute('aria-expanded', String(open));
  $('#scrim').hidden = !open;
  if (open) $('#sidebar a[aria-current]')?.focus();
}

export function initSidebar() {
  $('#menu-button').addEventListener('click', () => setDrawer(!$('#app').classList.contains('drawer-open')));
  $('#scrim').addEventListener('click', () => setDrawer(false));
  $('#sidebar').addEventListener('click', (event) => {
    if (event.target.closest('a')) setDrawer(false);
  });
  $('#sidebar').addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && $('#app').classList.contains('drawer-open')) {
      setDrawer(false);
      $('#menu-button').focus();
    }
  });
  $('#save-filter').addEventListener('click', saveFilter);
  $('#rename-filter').addEventListener('click', renameFilter);
  $('#delete-filter').addEventListener('click', deleteFilter);
  let timer = null;
  const input = $('#search-input');
  // typing searches (a moment after the last key); an empty field goes back where one was
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), 250);
  });
  $('#search').addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && input.value) {
      event.stopPropagation();
      input.value = '';
      search('');
    }
  });
}

function search(text) {
  const s = state.session;
  if (!s) return;
  const value = text.trim();
  if (value) {
    if (s.route.view !== 'search') {
      s.beforeSearch = routeHash(s.route);
      history.pushState(null, '', routeHash({ view: 'search', text: value }));
    } else {
      history.replaceState(null, '', routeHash({ view: 'search', text: value }));
    }
    document.dispatchEvent(new CustomEvent('taskbus:route'));
  } else if (s.route.view === 'search') {
    go(s.beforeSearch || '#today');
  }
}
