// The user menu in the top bar: who is signed in, the shortcuts, sign out. A menu button per the ARIA pattern:
// Enter/Space/Down opens it on the first item, arrows move, Escape closes and returns focus.
import { h } from './dom.js';

export function userMenu(user, { onHelp, onSignOut }) {
  const name = user ? user.user : '';
  const button = h('button', {
    type: 'button', class: 'user-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'user-menu',
    'aria-label': `User menu: ${name}`,
  }, name, user && user.admin ? h('span', { class: 'badge' }, 'admin') : null, ' ▾');
  const item = (label, run) => h('li', { role: 'none' },
    h('button', { type: 'button', role: 'menuitem', tabindex: '-1', onclick: () => { close(); run(); } }, label));
  const menu = h('ul', { id: 'user-menu', role: 'menu', 'aria-label': 'User menu', hidden: true },
    h('li', { role: 'none', class: 'menu-note' }, `Signed in as ${name}${user && user.groups && user.groups.length ? ` (${user.groups.join(', ')})` : ''}`),
    item('Keyboard shortcuts', onHelp),
    item('Sign out', onSignOut));
  const wrap = h('div', { class: 'user-menu' }, button, menu);
  const items = () => [...menu.querySelectorAll('[role=menuitem]')];

  function open() {
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    items()[0].focus();
  }
  function close(focusButton = false) {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (focusButton) button.focus();
  }

  button.addEventListener('click', () => (menu.hidden ? open() : close()));
  button.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      open();
    }
  });
  menu.addEventListener('keydown', (e) => {
    const list = items();
    const at = list.indexOf(document.activeElement);
    if (e.key === 'Escape') close(true);
    else if (e.key === 'ArrowDown') list[(at + 1) % list.length].focus();
    else if (e.key === 'ArrowUp') list[(at - 1 + list.length) % list.length].focus();
    else return;
    e.preventDefault();
    e.stopPropagation();
  });
  wrap.addEventListener('focusout', (e) => {
    if (!wrap.contains(e.relatedTarget)) close();
  });
  return wrap;
}
