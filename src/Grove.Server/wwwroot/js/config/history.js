// A config's history (also its audit trail): who changed what and when, a diff between any two versions, and a
// rollback that publishes an earlier version again.
import { call, describe } from '../api.js';
import { formDialog } from '../dialog.js';
import { clear, h } from '../dom.js';
import { diffView, formatTime, itemUrl } from './api.js';

export async function mount(root, ctx) {
  const key = ctx.key;
  const status = h('p', { class: 'muted', role: 'status' });
  const body = h('tbody');
  const from = h('select', { id: 'history-from' });
  const to = h('select', { id: 'history-to' });
  const diff = h('section', { class: 'config-review', 'aria-label': 'Diff' });
  root.append(
    h('table', { class: 'config-table', 'aria-label': 'History' },
      h('thead', {}, h('tr', {}, ['Version', 'What', 'By', 'From', 'When', 'MD5', ''].map((t) => h('th', { scope: 'col' }, t)))),
      body),
    status,
    h('form', { class: 'config-compare', 'aria-label': 'Compare versions', onsubmit: (e) => { e.preventDefault(); compare(from.value, to.value); } },
      h('label', { for: 'history-from' }, 'From'), from,
      h('label', { for: 'history-to' }, 'To'), to,
      h('button', { type: 'submit' }, 'Compare')),
    diff);

  async function load() {
    try {
      const page = await call('GET', itemUrl(key, '/history', { pageSize: 200 }));
      draw(page.items);
      status.textContent = page.total > page.items.length ? `${page.items.length} of ${page.total} versions` : `${page.total} version${page.total === 1 ? '' : 's'}`;
    } catch (err) {
      status.textContent = describe(err);
    }
  }

  function draw(items) {
    clear(body).append(...items.map((e, i) => h('tr', { 'data-id': String(e.id) },
      h('td', {}, String(e.id)),
      h('td', {}, e.op),
      h('td', {}, e.user || ''),
      h('td', {}, e.clientIp || ''),
      h('td', {}, formatTime(e.at)),
      h('td', {}, h('code', { class: 'hash' }, e.md5 || '')),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', onclick: () => compare(items[i + 1] ? items[i + 1].id : 0, e.id) }, 'Changes'),
        e.op.startsWith('beta') ? null : h('button', { type: 'button', onclick: () => rollback(e) }, 'Roll back')))));
    const option = (e) => h('option', { value: String(e.id) }, `${e.id} · ${e.op} · ${formatTime(e.at)}`);
    clear(from).append(h('option', { value: '0' }, 'nothing'), ...items.map(option));
    clear(to).append(h('option', { value: '' }, 'served now'), ...items.map(option));
    if (items[1]) from.value = String(items[1].id);
  }

  async function compare(fromId, toId) {
    try {
      const result = await call('GET', itemUrl(key, '/diff', { from: fromId, to: toId }));
      clear(diff).append(h('h3', {}, `From ${result.from || 'nothing'} to ${toId ? result.to : 'the served content'}: +${result.added} −${result.removed}`), diffView(result.unified));
    } catch (err) {
      clear(diff).append(h('p', { class: 'error', role: 'alert' }, describe(err)));
    }
  }

  async function rollback(entry) {
    const done = await formDialog({
      title: `Roll back to version ${entry.id}?`,
      body: [h('p', {}, `Publishes the content of version ${entry.id} (${formatTime(entry.at)}) again, as a new version.`)],
      submitLabel: 'Roll back',
      onSubmit: () => call('POST', itemUrl(key, '/rollback'), { json: { id: entry.id } }),
    });
    if (done) {
      ctx.notify(`Rolled back to version ${entry.id} (revision ${done.revision}).`);
      await load();
    }
  }

  await load();
  return null;
}
