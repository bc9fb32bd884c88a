// The shell: top bar with the user menu, the navigation built from the page registry, and the outlet in which the
// current page is mounted. It owns the session's life: no token, or a 401 from any call, returns to the login page.
import { call, describe, onUnauthorized, session } from './api.js';
import { infoDialog } from './dialog.js';
import { clear, h } from './dom.js';
import { Shortcuts } from './keys.js';
import { showLogin } from './login.js';
import { findPage, visiblePages } from './registry.js';
import { hashOf, navigate, parseHash } from './router.js';
import { userMenu } from './user-menu.js';

const DEFAULT_PAGE = 'tree';

/** Starts the console in the app element. */
export function start(app) {
  const keys = new Shortcuts();
  let shell = null;
  keys.addGlobal({ keys: ['?'], shown: '?', label: 'Show keyboard shortcuts', run: () => shell && shell.showHelp() });

  const signedOut = (message) => {
    if (shell) shell.destroy();
    shell = null;
    showLogin(app, { message, onSignedIn: signedIn });
  };
  const signedIn = () => {
    shell = new Shell(app, keys, signedOut);
  };

  onUnauthorized(() => {
    session.clear();
    signedOut('Your session has ended; sign in again.');
  });

  if (!session.token) {
    signedOut();
    return;
  }
  call('GET', '/api/v1/auth/me').then((me) => {
    session.saveUser(me);
    signedIn();
  }).catch((err) => {
    if (err.status !== 401) signedOut(describe(err));
  });
}

class Shell {
  #app;
  #keys;
  #signedOut;
  #main;
  #nav;
  #notices;
  #current = null; // { page, controller }
  #loading = 0;
  #onHash = () => this.route();

  constructor(app, keys, signedOut) {
    this.#app = app;
    this.#keys = keys;
    this.#signedOut = signedOut;
    const user = session.user;
    this.#nav = h('ul', {});
    this.#main = h('main', { id: 'main', class: 'outlet', tabindex: '-1' });
    this.#notices = h('div', { class: 'notices', 'aria-live': 'polite' });
    const menu = userMenu(user, {
      onHelp: () => this.showHelp(),
      onSignOut: () => this.signOut(),
    });
    clear(app).append(
      h('header', { class: 'topbar' },
        h('a', { class: 'brand', href: hashOf(DEFAULT_PAGE) }, 'Grove'),
        h('span', { class: 'spacer' }),
        menu),
      h('div', { class: 'frame' },
        h('nav', { class: 'sidenav', 'aria-label': 'Services' }, this.#nav),
        h('div', { class: 'content' }, this.#notices, this.#main)));
    for (const page of visiblePages(user)) {
      this.#nav.append(h('li', {}, h('a', { href: hashOf(page.id), 'data-page': page.id }, page.title)));
    }
    window.addEventListener('hashchange', this.#onHash);
    this.route();
  }

  destroy() {
    window.removeEventListener('hashchange', this.#onHash);
    this.#unmount();
  }

  async signOut() {
    try {
      await call('POST', '/api/v1/auth/logout');
    } catch {
      // Signing out locally matters most; the token expires on its own.
    }
    session.clear();
    this.#signedOut('You have signed out.');
  }

  showHelp() {
    const title = this.#current ? this.#current.page.title : 'Page';
    const body = this.#keys.groups(title).map((g) => h('section', {},
      h('h3', {}, g.title),
      h('table', { class: 'shortcuts' },
        h('tbody', {}, g.bindings.map((b) => h('tr', {},
          h('th', { scope: 'row' }, (b.shown || b.keys[0]).split(' or ').map((k, i) => [i ? ' or ' : null, h('kbd', {}, k)])),
          h('td', {}, b.label)))))));
    infoDialog('Keyboard shortcuts', body);
  }

  /**
   * Shows a message above the page; error: true makes it an alert that stays until dismissed or navigation. One
   * notice at a time: a new one replaces the last, so repeating an action (Publish, Save…) never stacks them up.
   */
  notify(message, { error = false } = {}) {
    const close = h('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss' }, '×');
    const note = h('div', { class: error ? 'notice error' : 'notice', role: error ? 'alert' : 'status' }, h('span', {}, message), close);
    close.addEventListener('click', () => note.remove());
    clear(this.#notices).append(note);
    if (!error) setTimeout(() => note.remove(), 5000);
  }

  async route() {
    const route = parseHash(location.hash);
    const page = findPage(route.page);
    if (!page || !visiblePages(session.user).includes(page)) {
      history.replaceState(null, '', hashOf(DEFAULT_PAGE));
      this.route();
      return;
    }
    for (const a of this.#nav.querySelectorAll('a')) {
      if (a.dataset.page === page.id) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    clear(this.#notices);
    if (this.#current && this.#current.page === page) {
      if (this.#current.controller && this.#current.controller.update) this.#current.controller.update(route);
      return;
    }
    this.#unmount();
    const ticket = ++this.#loading;
    const root = h('section', { class: `page page-${page.id}`, 'aria-label': page.title });
    clear(this.#main).append(root);
    this.#current = { page, controller: null };
    let module;
    try {
      module = await page.load();
    } catch (err) {
      root.append(h('p', { class: 'error', role: 'alert' }, `The ${page.title} page failed to load: ${err.message}`));
      return;
    }
    if (ticket !== this.#loading) return;
    document.title = `${page.title} · Grove`;
    // Note that the address may have moved on while the module loaded: mount with the latest one.
    this.#current.controller = await module.mount(root, this.#context(page, parseHash(location.hash))) || null;
  }

  #context(page, route) {
    return {
      route,
      user: session.user,
      navigate,
      hashOf,
      keys: { add: (binding) => this.#keys.addPage(binding) },
      notify: (message, options) => this.notify(message, options),
      setTitle: (text) => { document.title = `${text} · ${page.title} · Grove`; },
    };
  }

  #unmount() {
    this.#keys.clearPage();
    if (this.#current && this.#current.controller && this.#current.controller.unmount) this.#current.controller.unmount();
    this.#current = null;
  }
}
