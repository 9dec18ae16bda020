// The service worker: the page's shell (HTML, CSS, modules, vendor files, icons) from the network
// when it answers, else from a versioned cache, so the page opens offline and a new version is
// never held back by an old copy. The API, the bridge and the page's configuration always go to
// the network (tasks are the server's to say). The build writes its version below, so each
// deployment gets a cache of its own and the older ones are deleted.
const VERSION = '@taskbus.web.version@';
const PREFIX = 'taskbus-shell-';
const CACHE = PREFIX + VERSION;
// what index.html names (its styles, scripts and preloaded modules); chrono-node's modules are
// kept as the page loads them (the 'keep' message below)
const SHELL = [
  './', 'style.css', 'quickadd.css', 'favicon.svg', 'manifest.webmanifest', 'icon-192.png',
  'unload-shim.js', 'vendor/sockjs.min.js', 'vendor/vertx-eventbus.js',
  'app.js', 'actions.js', 'api.js', 'conflict.js', 'dom.js', 'due.js', 'icons.js', 'inbox.js', 'keys.js', 'list.js',
  'live.js', 'panel.js', 'pending.js', 'pwa.js', 'quickadd.js', 'quickadd-bar.js', 'router.js', 'schedule.js',
  'sidebar.js', 'store.js', 'system-notifications.js', 'taskform.js', 'toast.js', 'when.js',
];
const NETWORK_ONLY = /^\/(api\/|eventbus|config\.json|health|metrics)/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function inShell(url) {
  const u = new URL(url, self.location.href);
  return u.origin === self.location.origin && !NETWORK_ONLY.test(u.pathname);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !inShell(request.url)) return;
  event.respondWith(networkFirst(request));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    // a navigation to any path of the page (a token in the fragment is not part of it) is the page
    const cached = await cache.match(request) || (request.mode === 'navigate' && await cache.match('./'));
    if (cached) return cached;
    throw offline;
  }
}

// the files the page loaded before this worker controlled it: kept too, for the first offline visit
self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== 'keep' || !Array.isArray(event.data.urls)) return;
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(event.data.urls.filter(inShell).map((url) =>
    cache.match(url).then((hit) => hit || cache.add(url)).catch(() => null)))));
});
