// Configs: fuzzy search by dataId, group, tags and content (from the server's memory), a page at a time.
import { describe } from '../api.js';
import { clear, h } from '../dom.js';
import { formatTime, listConfigs, viewHash } from './api.js';

const PAGE_SIZE = 50;

export async function mount(root, ctx) {
  const params = ctx.route.params;
  const fields = {
    dataId: h('input', { id: 'config-search-dataid', name: 'dataId', value: params.get('dataId') || '', autocomplete: 'off', spellcheck: 'false' }),
    group: h('input', { id: 'config-search-group', name: 'group', value: params.get('group') || '', autocomplete: 'off', spellcheck: 'false' }),
    tags: h('input', { id: 'config-search-tags', name: 'tags', value: params.get('tags') || '', autocomplete: 'off', spellcheck: 'false' }),
    content: h('input', { id: 'config-search-content', name: 'content', value: params.get('content') || '', autocomplete: 'off', spellcheck: 'false' }),
    tenant: h('input', { id: 'config-search-tenant', name: 'tenant', value: params.get('tenant') || '', autocomplete: 'off', spellcheck: 'false', placeholder: 'all' }),
  };
  const label = (id, text) => h('label', { for: id }, text);
  const status = h('p', { class: 'muted', role: 'status' });
  const body = h('tbody');
  const pager = h('div', { class: 'config-pager' });
  let pageNo = 1;
  let timer = 0;
  let controller = null;

  const form = h('form', { class: 'config-search', role: 'search', 'aria-label': 'Search configs' },
    label('config-search-dataid', 'Data ID'), fields.dataId,
    label('config-search-group', 'Group'), fields.group,
    label('config-search-tags', 'Tags'), fields.tags,
    label('config-search-content', 'Content'), fields.content,
    label('config-search-tenant', 'Namespace'), fields.tenant,
    h('a', { class: 'button primary', href: ctx.hashOf('config', ['new']) }, 'New config'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    search(1);
  });
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(1), 200);
  });

  root.append(form, status,
    h('table', { class: 'config-table', 'aria-label': 'Configs' },
      h('thead', {}, h('tr', {}, ['Data ID', 'Group', 'Namespace', 'Type', 'Modified', 'By'].map((t) => h('th', { scope: 'col' }, t)))),
      body),
    pager);
  ctx.keys.add({ keys: ['/'], label: 'Search configs', run: () => fields.dataId.focus() });
  ctx.keys.add({ keys: ['n'], label: 'New config', run: () => ctx.navigate(ctx.hashOf('config', ['new'])) });

  async function search(page) {
    pageNo = page;
    if (controller) controller.abort();
    controller = new AbortController();
    const query = {
      dataId: fields.dataId.value.trim(),
      group: fields.group.value.trim(),
      tags: fields.tags.value.trim(),
      content: fields.content.value,
      pageNo,
      pageSize: PAGE_SIZE,
    };
    if (fields.tenant.value.trim()) query.tenant = fields.tenant.value.trim() === 'public' ? '' : fields.tenant.value.trim();
    try {
      const result = await listConfigs(query, controller.signal);
      draw(result);
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      status.textContent = describe(err);
    }
  }

  function draw(result) {
    clear(body).append(...result.items.map((c) => h('tr', { 'data-key': `${c.group}/${c.dataId}` },
      h('td', {}, h('a', { href: viewHash(ctx, 'edit', c) }, c.dataId)),
      h('td', {}, c.group),
      h('td', {}, c.tenant || 'public'),
      h('td', {}, c.type + (c.secret ? ' (secret)' : '')),
      h('td', {}, formatTime(c.modifiedAt)),
      h('td', {}, c.modifiedBy || ''))));
    status.textContent = result.total === 0 ? 'No configs match.' : `${result.total} config${result.total === 1 ? '' : 's'}`;
    clear(pager);
    if (result.pages > 1) {
      pager.append(
        h('button', { type: 'button', disabled: pageNo <= 1, onclick: () => search(pageNo - 1) }, 'Previous'),
        h('span', {}, `Page ${pageNo} of ${result.pages}`),
        h('button', { type: 'button', disabled: pageNo >= result.pages, onclick: () => search(pageNo + 1) }, 'Next'));
    }
  }

  await search(1);
  fields.dataId.focus();
  return {
    unmount() {
      clearTimeout(timer);
      if (controller) controller.abort();
    },
  };
}
