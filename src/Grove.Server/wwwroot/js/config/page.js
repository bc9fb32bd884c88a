// The config center's page: #/config (list and search), #/config/new, #/config/edit|history|beta|listeners/<group>/<dataId>,
// #/config/transfer (import and export), #/config/settings (the request counter; users are on the Admin page). One view at a time.
import { clear, h } from '../dom.js';
import { ensureStyles, keyOfRoute, viewHash } from './api.js';

const VIEWS = {
  '': () => import('./list.js'),
  new: () => import('./editor.js'),
  edit: () => import('./editor.js'),
  history: () => import('./history.js'),
  beta: () => import('./beta.js'),
  listeners: () => import('./listeners.js'),
  transfer: () => import('./transfer.js'),
  settings: () => import('./settings.js'),
};

const ITEM_TABS = [['edit', 'Edit'], ['history', 'History'], ['beta', 'Gray release'], ['listeners', 'Listeners']];

export async function mount(root, ctx) {
  ensureStyles();
  const nav = h('nav', { class: 'config-nav', 'aria-label': 'Config center' });
  const tabs = h('nav', { class: 'config-tabs', 'aria-label': 'This config' });
  const outlet = h('div', { class: 'config-view' });
  root.append(h('h1', { class: 'config-title' }, 'Config center'), nav, tabs, outlet);
  let current = null; // { view, controller, key }
  let ticket = 0;

  async function show(route) {
    const view = route.segments[0] || '';
    const loader = VIEWS[view] || VIEWS[''];
    const key = keyOfRoute(route);
    drawNav(view);
    drawTabs(view, key);
    const same = current && current.view === view && current.key === `${key.tenant}/${key.group}/${key.dataId}`;
    if (same && current.controller && current.controller.update) {
      current.controller.update(route);
      return;
    }
    if (current && current.controller && current.controller.unmount) current.controller.unmount();
    current = { view, controller: null, key: `${key.tenant}/${key.group}/${key.dataId}` };
    const mine = ++ticket;
    clear(outlet);
    const module = await loader();
    if (mine !== ticket) return;
    current.controller = (await module.mount(outlet, { ...ctx, route, key, view })) || null;
  }

  function drawNav(view) {
    const links = [['', 'Configs'], ['transfer', 'Import / export'], ['settings', 'Request limits']];
    clear(nav).append(h('ul', {}, links.map(([id, title]) => h('li', {},
      h('a', { href: ctx.hashOf('config', id ? [id] : []), 'aria-current': (id === view || (!id && !['transfer', 'settings'].includes(view))) ? 'page' : null }, title)))));
  }

  function drawTabs(view, key) {
    clear(tabs);
    tabs.hidden = !ITEM_TABS.some(([id]) => id === view);
    if (tabs.hidden) return;
    tabs.append(h('h2', { class: 'config-key' }, `${key.tenant ? `${key.tenant} / ` : ''}${key.group} / ${key.dataId}`),
      h('ul', {}, ITEM_TABS.map(([id, title]) => h('li', {},
        h('a', { href: viewHash(ctx, id, key), 'aria-current': id === view ? 'page' : null }, title)))));
  }

  await show(ctx.route);
  return {
    update: (route) => show(route),
    unmount: () => {
      ticket += 1;
      if (current && current.controller && current.controller.unmount) current.controller.unmount();
    },
  };
}
