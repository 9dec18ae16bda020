// SockJS (vendor/sockjs.min.js) listens for 'unload' when it loads, which browsers deprecate: a
// page with an unload listener cannot enter the back/forward cache. 'pagehide' fires at the same
// moments, so while the vendor scripts load an 'unload' listener becomes a 'pagehide' one.
(() => {
  const add = window.addEventListener;
  window.addEventListener = function addListener(type, ...rest) {
    return add.call(this, type === 'unload' ? 'pagehide' : type, ...rest);
  };
  // deferred scripts, the page's modules among them, have all run by DOMContentLoaded
  add.call(window, 'DOMContentLoaded', () => {
    window.addEventListener = add;
  }, { once: true });
})();
