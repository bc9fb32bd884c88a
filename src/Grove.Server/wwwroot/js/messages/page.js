// The Messages page (docs/messages.md): partners' messages filtered by partner, type, received time and a business key,
// newest first in keyset pages (GET /api/v1/messages); the filter is kept in the address (#/messages?partner=…, so
// reload and Back keep it) and #/messages/<id> also shows one message with its display names,
// master fields and detail table (GET /api/v1/messages/{id}), a link to its PDF, and a link to its mapping in the
// config center (group GROVE_MESSAGES, dataId <partner>.<type>). Print all prints the current filter (GET …/print).
// PDF links are plain links: the session cookie authenticates them. Styles are css/messages.css, loaded with the page.
import { call, describe } from '../api.js';
import { clear, h } from '../dom.js';
import { formatTime } from '../format.js';

const PAGE = 50;
const BATCH = 200; // the server prints at most 200 messages per batch request
const MAPPING_GROUP = 'GROVE_MESSAGES';

function ensureStyles() {
  if (document.querySelector('link[data-messages-styles]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: 'css/messages.css', 'data-messages-styles': true }));
}

/** The listing's query string from the filter form's values (empty ones left out). */
export function filterQuery({ partner, type, from, to, key, where }, extra = {}) {
  const q = new URLSearchParams();
  if (partner) q.set('partner', partner);
  if (type) q.set('type', type);
  if (from) q.set('from', new Date(from).toISOString());
  if (to) q.set('to', new Date(to).toISOString());
  const cut = key ? key.indexOf('=') : -1;
  if (cut > 0) q.set(`key.${key.slice(0, cut).trim()}`, key.slice(cut + 1).trim());
  if (where) q.set('where', where);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null) q.set(k, String(v));
  return q.toString();
}

/** The page module's entry point (see registry.js). */
export async function mount(root, ctx) {
  ensureStyles();
  const input = (id, props = {}) => h('input', { id, type: 'text', spellcheck: 'false', ...props });
  const f = {
    partner: input('messages-partner', { placeholder: 'acme', list: 'messages-partners', autocomplete: 'off' }),
    type: input('messages-type', { placeholder: 'waybill', list: 'messages-types', autocomplete: 'off' }),
    from: input('messages-from', { type: 'datetime-local', step: '1' }),
    to: input('messages-to', { type: 'datetime-local', step: '1' }),
    key: input('messages-key', { placeholder: 'orderNo=A-1' }),
    where: input('messages-where', { placeholder: '{"total": "[100,200)", "buyer": "张*"}' }),
  };
  const partners = h('datalist', { id: 'messages-partners' });
  const types = h('datalist', { id: 'messages-types' });
  const error = h('p', { class: 'messages-error', role: 'alert', hidden: true });
  const list = h('table', { class: 'messages-list', 'aria-label': 'Messages' });
  const prev = h('button', { type: 'button', onclick: () => page(index - 1) }, 'Previous');
  const next = h('button', { type: 'button', onclick: () => page(index + 1) }, 'Next');
  const pageNo = h('span', { class: 'messages-pageno' });
  const printAll = h('a', { class: 'button', href: '#', download: 'messages.pdf' }, 'Print all (PDF)');
  const zipAll = h('a', { class: 'button', href: '#', download: 'messages.zip' }, 'Print all (zip)');
  const capped = h('p', { class: 'messages-capped muted', role: 'status', hidden: true });
  const problems = h('section', { class: 'messages-problems', 'aria-label': 'Mapping problems', hidden: true });
  const detail = h('section', { class: 'messages-detail', 'aria-label': 'Message', hidden: true });
  const label = (id, text) => h('label', { for: `messages-${id}` }, text);
  const form = h('form', { class: 'messages-filter', onsubmit: (ev) => { ev.preventDefault(); find(); } },
    label('partner', 'Partner'), f.partner, label('type', 'Type'), f.type,
    label('from', 'From'), f.from, label('to', 'To'), f.to,
    label('key', 'Business key'), f.key, label('where', 'Where (WnQuery JSON)'), f.where, partners, types,
    h('button', { type: 'submit', class: 'primary' }, 'Find'));
  root.append(h('h1', { class: 'messages-title' }, 'Messages'), problems, form, error, list,
    h('div', { class: 'messages-pager' }, prev, pageNo, next, printAll, zipAll), capped, detail);

  let cursors = [null];
  let index = 0;
  let applied = null;
  const values = () => Object.fromEntries(Object.entries(f).map(([k, el]) => [k, el.value.trim()]).filter(([, v]) => v));

  function find() {
    const hash = ctx.hashOf('messages', [], values());
    if (new URLSearchParams(values()).toString() === applied) restart();
    else ctx.navigate(hash);
  }

  /** Fills the form from the address and lists again when the filter changed. */
  async function apply(route) {
    for (const [k, el] of Object.entries(f)) el.value = route.params.get(k) || '';
    const filter = new URLSearchParams(values()).toString();
    if (filter === applied) return;
    applied = filter;
    await restart();
  }

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
  }

  async function restart() {
    cursors = [null];
    const v = values();
    if (v.key && !/^[^=]+=/.test(v.key)) {
      fail('Business key: write name=value, for example orderNo=A-1.');
      return;
    }
    if (v.where) {
      try {
        JSON.parse(v.where);
      } catch (e) {
        fail(`Where: not JSON (${e.message}); write a WnQuery filter such as {"total": "[100,200)"}.`);
        return;
      }
    }
    printAll.href = `/api/v1/messages/print?${filterQuery(v, { format: 'pdf', limit: BATCH })}`;
    zipAll.href = `/api/v1/messages/print?${filterQuery(v, { format: 'zip', limit: BATCH })}`;
    await page(0);
  }

  async function page(i) {
    if (i < 0 || i >= cursors.length) return;
    error.hidden = true;
    try {
      const result = await call('GET', `/api/v1/messages?${filterQuery(values(), { limit: PAGE, after: cursors[i] || undefined })}`);
      index = i;
      cursors.length = i + 1;
      if (result.next) cursors.push(result.next);
      drawList(result.items, Boolean(result.next));
      prev.disabled = i === 0;
      next.disabled = !result.next;
      pageNo.textContent = `page ${i + 1}`;
      if (i === 0) await checkCap(result);
    } catch (e) {
      fail(describe(e));
    }
  }

  /** A page may be short, even empty, with more to come: the server tests a bounded number of documents per page. */
  function drawList(items, more) {
    const columns = ['#', 'Partner', 'Type', 'Received', 'Source id', 'Revision'];
    const rows = items.map((m) => h('tr', { 'data-message': String(m.id) },
      h('td', { class: 'num' }, h('a', { href: ctx.hashOf('messages', [String(m.id)], values()) }, String(m.id))),
      h('td', {}, m.partner), h('td', {}, m.type), h('td', {}, formatTime(m.receivedAt)),
      h('td', {}, m.sourceId || ''), h('td', { class: 'num' }, String(m.revision))));
    if (more && items.length < PAGE) {
      rows.push(h('tr', {}, h('td', { colspan: String(columns.length), class: 'muted' },
        'Searched part of the history for this filter; Next searches older messages.')));
    } else if (items.length === 0) {
      rows.push(h('tr', {}, h('td', { colspan: String(columns.length), class: 'muted' }, 'No messages match.')));
    }
    clear(list).append(
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows));
  }

  async function show(route) {
    const id = route.segments[0];
    if (!id || !/^\d+$/.test(id)) {
      detail.hidden = true;
      return;
    }
    try {
      drawMessage(await call('GET', `/api/v1/messages/${id}`));
      ctx.setTitle(`Message ${id}`);
    } catch (e) {
      clear(detail).append(h('p', { role: 'alert' }, describe(e)));
      detail.hidden = false;
    }
  }

  function drawMessage(m) {
    const mapping = ctx.hashOf('config', ['edit', MAPPING_GROUP, `${m.partner}.${m.type}`]);
    const facts = `${m.partner} · ${m.type} · ${m.sourceId || 'no source id'} · ${formatTime(m.receivedAt)} · revision ${m.revision}`;
    const parts = [
      h('h2', {}, title(m)),
      h('p', { class: 'messages-facts' }, facts),
      h('p', { class: 'messages-actions' },
        h('a', { class: 'button', href: `/api/v1/messages/${m.id}/pdf`, target: '_blank', rel: 'noopener' }, 'Print (PDF)'),
        h('a', { class: 'button', href: `/api/v1/messages/${m.id}/original`, target: '_blank', rel: 'noopener' }, 'Original'),
        h('a', { href: mapping }, 'Mapping in the config center')),
      h('table', { class: 'messages-fields', 'aria-label': 'Fields' },
        h('tbody', {}, m.fields.map((x) => h('tr', { 'data-field': x.name, class: x.mapped === false ? 'unmapped' : undefined },
          h('th', { scope: 'row', title: x.name }, x.display || x.name),
          h('td', {}, x.value ?? '', x.mapped === false ? h('span', { class: 'messages-unmapped' }, ' (not in the mapping)') : ''))))),
    ];
    const unmapped = m.fields.filter((x) => x.mapped === false).length;
    if (unmapped > 0) {
      parts.splice(2, 0, h('p', { class: 'messages-unmapped-note', role: 'note' },
        `${unmapped} field(s) did not map: the mapping of revision ${m.revision} does not name them; they are kept as sent.`));
    }
    if (m.detail) {
      parts.push(h('h3', {}, m.detail.title || 'Detail'),
        h('table', { class: 'messages-rows', 'aria-label': 'Detail' },
          h('thead', {}, h('tr', {}, m.detail.columns.map((c) => h('th', { scope: 'col', title: c.name }, c.display || c.name)))),
          h('tbody', {}, m.detail.rows.map((row) => h('tr', {}, row.map((cell) => h('td', {}, cell ?? '')))))));
    }
    clear(detail).append(...parts);
    detail.hidden = false;
  }

  /** Says when Print all would stop at the server's cap: asks whether more than BATCH messages match. */
  async function checkCap(first) {
    capped.hidden = true;
    if (!first.next) return;
    const probe = await call('GET', `/api/v1/messages?${filterQuery(values(), { limit: BATCH })}`);
    // Note that a short page with a cursor is a scan cut short, not more than BATCH matches.
    if (!probe.next || probe.items.length < BATCH) return;
    capped.textContent = `More than ${BATCH} messages match: Print all prints the newest ${BATCH}. Narrow the filter (time range, key, where) to print the rest.`;
    capped.hidden = false;
  }

  /** Lists published mappings that fail validation (GET …/problems; readers and admins only). */
  async function showProblems() {
    let found;
    try {
      found = await call('GET', '/api/v1/messages/problems');
    } catch {
      return; // Not a reader of every partner's messages: nothing to show.
    }
    const entries = Object.entries(found || {});
    if (entries.length === 0) return;
    clear(problems).append(h('h2', {}, 'Mapping problems'),
      h('p', { class: 'muted' }, 'These published mappings do not validate; messages sent for them are refused (invalid_mapping).'),
      h('ul', {}, entries.map(([dataId, errors]) => h('li', { 'data-mapping': dataId },
        h('a', { href: ctx.hashOf('config', ['edit', MAPPING_GROUP, dataId]) }, dataId),
        h('ul', {}, errors.map((x) => h('li', {}, x)))))));
    problems.hidden = false;
  }

  /** Suggests partners and types from the published mappings; a caller who may not list configs gets none. */
  async function suggest() {
    try {
      const { items } = await call('GET', `/api/v1/config?group=${MAPPING_GROUP}&pageSize=1000`);
      const names = items.filter((c) => c.group === MAPPING_GROUP && c.dataId.includes('.')).map((c) => c.dataId.split('.'));
      const options = (list) => [...new Set(list)].sort().map((v) => h('option', { value: v }));
      clear(partners).append(...options(names.map(([p]) => p)));
      clear(types).append(...options(names.map(([, t]) => t)));
    } catch {
      // Suggestions only: the filter works without them.
    }
  }

  /** The print title with {field} replaced, as the PDF shows it; else partner/type #id. */
  function title(m) {
    if (!m.title) return `${m.partner} / ${m.type} #${m.id}`;
    const byName = Object.fromEntries(m.fields.map((x) => [x.name, x.value ?? '']));
    return m.title.replace(/\{([^}]+)\}/g, (all, name) => (name in byName ? byName[name] : all));
  }

  suggest();
  showProblems();
  await Promise.all([apply(ctx.route), show(ctx.route)]);
  return { update: (route) => Promise.all([apply(route), show(route)]), unmount: () => {} };
}
