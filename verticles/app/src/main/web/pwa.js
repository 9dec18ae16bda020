// The page as an installable app: registers the service worker (sw.js), which keeps the page's
// shell for offline use. Where service workers are not available (an insecure origin, an old
// browser) the page works as before.
export function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  window.addEventListener('load', async () => {
    try {
      // updateViaCache none: a new sw.js is seen at once, whatever the HTTP cache holds
      const registration = await navigator.serviceWorker.register('sw.js', { scope: './', updateViaCache: 'none' });
      await navigator.serviceWorker.ready;
      const urls = [location.pathname, ...performance.getEntriesByType('resource').map((e) => e.name)];
      if (registration.active) registration.active.postMessage({ type: 'keep', urls });
    } catch (e) {
      console.warn(`The page cannot be kept for offline use: ${e.message}`);
    }
  });
}
