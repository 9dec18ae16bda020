// Reminders as system notifications (the Notifications API) while the page's tab is hidden: the
// toast is enough while one looks at the page. Asked for only with a click in the notification
// settings, never on load: on takes that click (kept in this browser's localStorage) and the
// browser's permission, so a permission given for another reason turns nothing on.
import { el } from './dom.js';

const KEY = 'taskbus.systemNotifications';
const supported = () => typeof window.Notification === 'function';
const on = () => supported() && Notification.permission === 'granted' && localStorage.getItem(KEY) === 'on';

/**
 * Shows a pushed notification as a system notification when the tab is hidden and the person
 * allowed it; a click brings the tab back and opens the task.
 */
export function showSystemNotification(heading, n, openTask) {
  if (!on() || document.visibilityState !== 'hidden') return;
  try {
    const shown = new Notification(heading, { body: n.body || '', tag: n.id, icon: 'icon-192.png' });
    shown.onclick = () => {
      window.focus();
      if (n.taskId) openTask(n.taskId);
      shown.close();
    };
  } catch (e) {
    // some browsers allow them from a service worker only: the toast and the inbox still have it
    console.warn(`No system notification: ${e.message}`);
  }
}

/** The settings dialog's part: what is on, and the button that asks the browser. */
export function systemNotificationsControl() {
  const status = el('p', { class: 'hint', id: 'settings-system-status', role: 'status' });
  const button = el('button', { type: 'button', class: 'secondary', id: 'settings-system' });
  const render = () => {
    if (!supported()) {
      status.textContent = 'This browser cannot show system notifications.';
      button.hidden = true;
    } else if (Notification.permission === 'denied') {
      status.textContent = 'System notifications are blocked for this site in the browser\'s settings.';
      button.hidden = true;
    } else {
      status.textContent = on()
        ? 'On: a reminder also shows as a system notification while this tab is hidden.'
        : 'Off: reminders show in this page only.';
      button.textContent = on() ? 'Turn off system notifications' : 'Turn on system notifications';
      button.hidden = false;
    }
  };
  button.addEventListener('click', async () => {
    if (on()) {
      localStorage.removeItem(KEY);
    } else {
      localStorage.setItem(KEY, 'on');
      if (Notification.permission !== 'granted') await Notification.requestPermission();
    }
    render();
  });
  render();
  return el('fieldset', { class: 'system-notifications' }, el('legend', {}, 'System notifications'), status, button);
}
