// Listeners: which clients probe or long-poll this config, and whether the MD5 each holds is the current one.
import { call, describe } from '../api.js';
import { clear, h } from '../dom.js';
import { configUrl, formatTime, itemUrl, viewHash } from './api.js';

export async function mount(root, ctx) {
  const status = h('p', { class: 'muted', role: 'status' });
  const body = h('tbody');
  const ip = h('input', { id: 'listeners-ip', autocomplete: 'off', spellcheck: 'false', placeholder: '10.0.0.5' });
  const byIp = h('section', { 'aria-label': 'Configs of one client' });
  root.append(
    h('table', { class: 'config-table', 'aria-label': 'Listeners' },
      h('thead', {}, h('tr', {}, ['Client', 'MD5 held', 'Up to date', 'Waiting', 'Last seen'].map((t) => h('th', { scope: 'col' }, t)))),
      body),
    status,
    h('button', { type: 'button', onclick: () => load() }, 'Refresh'),
    h('form', { class: 'config-compare', 'aria-label': 'Configs of a client', onsubmit: (e) => { e.preventDefault(); loadIp(); } },
      h('label', { for: 'listeners-ip' }, 'Client IP'), ip, h('button', { type: 'submit' }, 'Show its configs')),
    byIp);

  const rows = (list, withKey) => list.map((l) => h('tr', {},
    h('td', {}, withKey ? h('a', { href: viewHash(ctx, 'edit', l) }, `${l.group}/${l.dataId}`) : l.ip),
    h('td', {}, h('code', { class: 'hash' }, l.md5 || '(none)')),
    h('td', {}, l.current ? 'yes' : 'no'),
    h('td', {}, l.waiting ? 'yes' : 'no'),
    h('td', {}, formatTime(l.lastSeen))));

  async function load() {
    try {
      const list = await call('GET', itemUrl(ctx.key, '/listeners'));
      clear(body).append(...rows(list, false));
      status.textContent = list.length ? `${list.length} client${list.length === 1 ? '' : 's'}` : 'No client has asked for this config recently.';
    } catch (err) {
      status.textContent = describe(err);
    }
  }

  async function loadIp() {
    try {
      const list = await call('GET', configUrl('listeners', { ip: ip.value.trim() }));
      clear(byIp).append(h('table', { class: 'config-table', 'aria-label': `Configs of ${ip.value.trim()}` },
        h('thead', {}, h('tr', {}, ['Config', 'MD5 held', 'Up to date', 'Waiting', 'Last seen'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows(list, true))));
    } catch (err) {
      clear(byIp).append(h('p', { class: 'error', role: 'alert' }, describe(err)));
    }
  }

  await load();
  return null;
}
