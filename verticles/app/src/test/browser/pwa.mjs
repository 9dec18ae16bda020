// The page as an installable app: its manifest as Chromium reads it (no errors, icons that load at
// their sizes), the service worker served with no long cache, controlling the page after a reload
// and keeping the shell (never the API or the bridge); system notifications turned on in the
// Notifications' settings and shown for a reminder only while the tab is hidden; then, with the origin gone
// and the browser offline, a reload still shows the page and quick add (used once online) still
// reads a phrase.
// The page is served through a proxy of the scenario's own, so that "the origin is gone" is real.
// BASE_URL; TOKEN; SCREENSHOT_DIR.
import { apiAs, assert, connected, connection, env, eventually, log, run, same, screenshot, step } from './lib.mjs';
import { startProxy } from './proxy.mjs';

const base = env('BASE_URL');
const token = env('TOKEN');

const api = apiAs(base, token);

const remindSoon = (title, seconds = 2) =>
  api('POST', '/tasks', { title, reminders: [{ at: new Date(Date.now() + seconds * 1000).toISOString() }] });

/**
 * Runs in the page before its scripts: `document.visibilityState` as the test sets it (a headless
 * tab is never hidden by itself), and every Notification the page constructs recorded.
 */
function emulation() {
  let visibility = 'visible';
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => visibility });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => visibility === 'hidden' });
  window.testSetVisibility = (v) => {
    visibility = v;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  window.testNotifications = [];
  const Real = window.Notification;
  window.Notification = class extends Real {
    constructor(title, options) {
      window.testNotifications.push({ title, body: options && options.body, tag: options && options.tag });
      super(title, options);
    }

    static get permission() { return Real.permission; }

    static requestPermission() { return Real.requestPermission(); }
  };
}

run(async (browser) => {
  const proxy = await startProxy(base, base);
  const origin = proxy.url;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['notifications'], { origin });
  await context.addInitScript(emulation);
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.goto(`${origin}/#token=${token}`);
  await connected(page);
  const cdp = await context.newCDPSession(page);

  step('the manifest: served as application/manifest+json, read by Chromium without errors');
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  const manifestUrl = new URL(href, `${origin}/`).href;
  const served = await fetch(manifestUrl);
  same(served.status, 200, 'the manifest is served');
  same(served.headers.get('content-type'), 'application/manifest+json', 'its media type');
  const read = await cdp.send('Page.getAppManifest');
  same(read.url, manifestUrl, 'Chromium found the manifest the page links');
  same(read.errors, [], 'Chromium\'s manifest parser has no errors or warnings');
  const manifest = JSON.parse(read.data);
  same([manifest.name, manifest.start_url, manifest.display], ['taskbus', '/', 'standalone'], 'name, start and display');
  same(manifest.theme_color, await page.locator('meta[name=theme-color]').getAttribute('content'),
    'the theme colour is the page\'s');
  for (const icon of manifest.icons) {
    const size = await page.evaluate((src) => new Promise((resolve, reject) => {
      const image = new Image();
      image.onload = () => resolve(`${image.naturalWidth}x${image.naturalHeight}`);
      image.onerror = () => reject(new Error(`${src} does not load`));
      image.src = src;
    }), icon.src);
    if (icon.sizes !== 'any') same(size, icon.sizes, `${icon.src} is ${icon.sizes}`);
    log(`icon ${icon.src} (${icon.type}) loads: ${size}`);
  }
  assert(manifest.icons.some((i) => i.sizes === '512x512' && i.type === 'image/png')
    && manifest.icons.some((i) => i.sizes === '192x192' && i.type === 'image/png'), 'PNG icons of 192 and 512');

  step('the service worker: no long cache; after a reload it controls the page and keeps the shell only');
  const sw = await fetch(`${origin}/sw.js`);
  same(sw.headers.get('cache-control'), 'no-cache', 'sw.js is looked at again on every visit');
  const source = await sw.text();
  assert(!source.includes('@taskbus.web.version@') && /taskbus-shell-/.test(source), 'the build wrote its version');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  await connected(page);
  same(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true, 'the worker controls the page');
  const installability = await cdp.send('Page.getInstallabilityErrors');
  // a Playwright context is an off-the-record profile, where Chromium never offers to install
  same(installability.installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), [],
    'Chromium finds the page installable');
  // quick add's parser (chrono-node) loads on the line's first use; from then on the worker has it
  await page.getByRole('textbox', { name: 'Quick add' }).fill('call mum tomorrow');
  await page.locator('#quick-add .qa-chip[data-kind=date]').waitFor();
  await page.getByRole('textbox', { name: 'Quick add' }).press('Escape');
  const kept = await page.evaluate(async () => {
    const names = await caches.keys();
    const urls = [];
    for (const name of names) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return { names, urls };
  });
  same(kept.names.length, 1, `one cache: ${kept.names}`);
  // everything index.html names (styles, scripts, preloaded modules), chrono-node and the icon
  const named = await page.evaluate(() => [...document.querySelectorAll(
    'link[rel=stylesheet], link[rel=modulepreload], script[src]')].map((e) => new URL(e.href || e.src).pathname));
  assert(named.includes('/store.js') && named.includes('/quickadd-bar.js'), `the page names its modules: ${named}`);
  for (const path of ['/', ...named, '/vendor/chrono-node/locales/en/index.js', '/icon-192.png']) {
    assert(kept.urls.includes(path), `${path} is kept (${kept.urls.length} kept)`);
  }
  same(kept.urls.filter((u) => /^\/(api\/|eventbus)|config\.json/.test(u)), [], 'nothing of the API or the bridge');

  step('system notifications: asked for with a click in the Notifications\' settings');
  same(await page.evaluate(() => window.testNotifications.length), 0, 'none before');
  await page.locator('#notifications-button').click();
  await page.locator('#notifications-settings').click();
  const dialog = page.locator('#settings');
  await eventually('the settings are loaded', () => dialog.locator('#settings-save').isEnabled(), (v) => v);
  // the browser's permission is granted, but nothing is on before the person says so
  same(await dialog.locator('#settings-system-status').textContent(), 'Off: reminders show in this page only.',
    'off until turned on');
  await dialog.getByRole('button', { name: 'Turn on system notifications' }).click();
  await eventually('they say they are on', () => dialog.locator('#settings-system-status').textContent(),
    (t) => /^On:/.test(t));
  await screenshot(page, '41-system-notifications-setting');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.locator('#notifications-button').click(); // back to Today

  step('a reminder while the tab is visible: a toast, no system notification');
  await remindSoon('Visible reminder');
  await eventually('the toast', () => page.locator('#toasts .toast.notification', { hasText: 'Visible reminder' }).count(),
    (n) => n === 1, 15000);
  same(await page.evaluate(() => window.testNotifications), [], 'no system notification for a visible tab');

  step('a reminder while the tab is hidden: a system notification with the reminder\'s title');
  await page.evaluate(() => window.testSetVisibility('hidden'));
  const task = await remindSoon('Stand up and stretch');
  await eventually('a system notification', () => page.evaluate(() => window.testNotifications),
    (list) => list.length === 1, 15000);
  const [shown] = await page.evaluate(() => window.testNotifications);
  same(shown.title, 'Reminder: Stand up and stretch', 'its title');
  const [notification] = (await api('GET', '/notifications?limit=1')).items;
  same(notification.taskId, task.id, 'the newest notification is this task\'s');
  same(shown.tag, notification.id, 'tagged with the notification, so a repeat replaces it');
  await page.evaluate(() => window.testSetVisibility('visible'));

  step('offline: the origin gone and the browser offline, a reload still shows the page');
  proxy.close();
  await context.setOffline(true);
  const reload = await page.reload();
  assert(reload && reload.fromServiceWorker(), 'the page came from the service worker');
  const input = page.getByRole('textbox', { name: 'Quick add' });
  await eventually('the page is there', () => input.isVisible(), (v) => v, 10000);
  await eventually('and says it is not connected', () => connection(page), (s) => s !== 'connected');
  await input.fill('call mum tomorrow 6pm #family');
  await eventually('quick add still reads a phrase (chrono from the cache)',
    () => page.locator('#quick-add .qa-chip').allTextContents(),
    (chips) => chips.includes('Title: call mum') && chips.some((c) => c.startsWith('Due: ')) && chips.includes('Tags: family'));
  await screenshot(page, '42-offline');
  await context.setOffline(false);
  await context.close();
});
