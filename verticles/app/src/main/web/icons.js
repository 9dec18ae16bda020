// Small line icons as inline SVG (no icon font, no emoji: they look the same on every system).
const PATHS = {
  sun: 'M12 4V2M12 22v-2M4 12H2m20 0h-2M6.3 6.3 4.9 4.9m14.2 14.2-1.4-1.4M6.3 17.7l-1.4 1.4M19.1 4.9l-1.4 1.4M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z',
  calendar: 'M4 6h16v14H4zM4 10h16M8 3v4m8-4v4',
  inbox: 'M3 13l3-8h12l3 8v6H3zM3 13h5l1 2h6l1-2h5',
  list: 'M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01',
  check: 'M4 12l5 5L20 6',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6m4-6v6',
  bell: 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0',
  alarm: 'M12 7v5l3 2M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM5 3 2 6m17-3 3 3',
  pencil: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
  flag: 'M5 21V4m0 0h11l-2 4 2 4H5',
  filter: 'M4 5h16l-6 8v6l-4-2v-4z',
  activity: 'M3 12h4l3-8 4 16 3-8h4',
  menu: 'M4 6h16M4 12h16M4 18h16',
  close: 'M6 6l12 12M18 6 6 18',
  repeat: 'M17 2l3 3-3 3M4 11V9a4 4 0 0 1 4-4h12M7 22l-3-3 3-3M20 13v2a4 4 0 0 1-4 4H4',
};

const MADE = new Map();

/** An icon for a button or a row; hidden from screen readers (the button's name says it). */
export function icon(name) {
  let made = MADE.get(name);
  if (!made) {
    made = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    made.setAttribute('viewBox', '0 0 24 24');
    made.setAttribute('aria-hidden', 'true');
    made.setAttribute('class', `icon icon-${name}`);
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', PATHS[name]);
    made.append(path);
    MADE.set(name, made);
  }
  // a list draws three per row: a copy of one made once
  return made.cloneNode(true);
}

/** Every `<span data-icon="name">` of the static page gets its icon. */
export function placeIcons(root = document) {
  for (const span of root.querySelectorAll('[data-icon]')) span.replaceChildren(icon(span.dataset.icon));
}
