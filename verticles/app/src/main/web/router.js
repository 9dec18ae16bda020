// Where the page is, in the address bar's fragment: #today, #upcoming, #inbox, #all, #completed,
// #trash, #filter/<id>, #search/<filter text>, #notifications, #activity, and #task/<id> (a task's
// side panel over the list that was on screen). A fragment with a token in it is sign-in, not a
// place (app.js takes it away).

export const LIST_VIEWS = ['today', 'upcoming', 'inbox', 'all', 'completed', 'trash'];
const OTHER_VIEWS = ['notifications', 'activity'];

/** {view, id?, text?, task?}; null for a fragment that names no place. */
export function parseRoute(hash) {
  const h = String(hash || '').replace(/^#/, '');
  if (!h) return { view: 'today' };
  if (/(^|&)(token|access_token|id_token)=/.test(h)) return null;
  const [head, ...rest] = h.split('/');
  const tail = rest.join('/');
  if (LIST_VIEWS.includes(head) || OTHER_VIEWS.includes(head)) return { view: head };
  if (head === 'filter' && tail) return { view: 'filter', id: decodeURIComponent(tail) };
  if (head === 'search') return { view: 'search', text: decodeURIComponent(tail) };
  if (head === 'task' && tail) return { task: decodeURIComponent(tail) };
  return { view: 'today' };
}

export function routeHash(route) {
  if (route.view === 'filter') return `#filter/${encodeURIComponent(route.id)}`;
  if (route.view === 'search') return `#search/${encodeURIComponent(route.text || '')}`;
  return `#${route.view}`;
}

export function go(hash) {
  if (location.hash !== hash) location.hash = hash;
}
