// The Records page: #/records lists the record sets; #/records/<set> shows one set: its tables and rotation status
// (with Rotate now), a paged grid of rows across the main and history tables with a JSON filter, sort keys and how many
// history tables to include, and a row's detail with an edit form (the version field makes it optimistic: a row
// changed meanwhile is refused and shown). Styles are css/records.css, loaded with the page.
import { call, describe } from '../api.js';
import { clear, h } from '../dom.js';

const PAGE = 50;
let styles = null;

function loadStyles() {
  if (!styles) {
    styles = new Promise((resolve) => {
      const link = h('link', { rel: 'stylesheet', href: 'css/records.css' });
      link.addEventListener('load', () => resolve());
      link.addEventListener('error', () => resolve());
      document.head.append(link);
    });
  }
  return styles;
}

const api = (set, tail = '') => `/api/v1/records${set ? `/${encodeURIComponent(set)}` : ''}${tail}`;

/** The page module's entry point (see registry.js). */
export async function mount(root, ctx) {
  await loadStyles();
  const nav = h('nav', { class: 'records-sets', 'aria-label': 'Record sets' });
  const outlet = h('div', { class: 'records-view' });
  root.append(h('h1', { class: 'records-title' }, 'Records'), h('div', { class: 'records-layout' }, nav, outlet));
  let shown = null;

  async function show(route) {
    const set = route.segments[0] || null;
    await drawSets(set);
    if (set === shown) return;
    shown = set;
    clear(outlet);
    if (set) await new SetView(outlet, ctx, set).open();
    else outlet.append(h('p', { class: 'records-hint' }, 'Choose a record set.'));
  }

  async function drawSets(current) {
    try {
      const { items } = await call('GET', api(null));
      clear(nav).append(items.length === 0
        ? h('p', {}, 'No record sets yet: define one with grove records define NAME --mapping FILE.json.')
        : h('ul', {}, items.map((name) => h('li', {}, h('a', { href: ctx.hashOf('records', [name]), 'aria-current': name === current ? 'page' : null }, name)))));
    } catch (e) {
      clear(nav).append(h('p', { role: 'alert' }, describe(e)));
    }
  }

  await show(ctx.route);
  return { update: (route) => show(route), unmount: () => {} };
}

class SetView {
  #root;
  #ctx;
  #set;
  #info = null;
  #cursors = [null];
  #index = 0;
  #els = {};

  constructor(root, ctx, set) {
    this.#root = root;
    this.#ctx = ctx;
    this.#set = set;
  }

  async open() {
    try {
      this.#info = await call('GET', api(this.#set));
    } catch (e) {
      this.#root.append(h('p', { role: 'alert' }, describe(e)));
      return;
    }
    const e = this.#els;
    e.status = h('section', { class: 'records-status', 'aria-label': 'Tables and rotation' });
    e.where = h('input', { id: 'records-where', type: 'text', placeholder: '{"ct": {"$gte": 0}}', spellcheck: 'false' });
    e.sort = h('input', { id: 'records-sort', type: 'text', placeholder: '-ct' });
    e.history = h('select', { id: 'records-history' }, ['all', '0', '1', '2', '3', '5', '10'].map((v) => h('option', { value: v }, v === 'all' ? 'all history' : v === '0' ? 'main only' : `main + ${v}`)));
    e.error = h('p', { class: 'records-error', role: 'alert', hidden: true });
    e.grid = h('table', { class: 'records-grid', 'aria-label': 'Rows' });
    e.prev = h('button', { type: 'button', onclick: () => this.page(this.#index - 1) }, 'Previous');
    e.next = h('button', { type: 'button', onclick: () => this.page(this.#index + 1) }, 'Next');
    e.pageNo = h('span', { class: 'records-pageno' });
    e.detail = h('section', { class: 'records-detail', 'aria-label': 'Row', hidden: true });
    const form = h('form', { class: 'records-filter', onsubmit: (ev) => { ev.preventDefault(); this.restart(); } },
      h('label', { for: 'records-where' }, 'Where (JSON)'), e.where,
      h('label', { for: 'records-sort' }, 'Sort'), e.sort,
      h('label', { for: 'records-history' }, 'History'), e.history,
      h('button', { type: 'submit', class: 'primary' }, 'Find'));
    this.#root.append(h('h2', {}, this.#set), e.status, form, e.error, e.grid,
      h('div', { class: 'records-pager' }, e.prev, e.pageNo, e.next), e.detail);
    await Promise.all([this.drawStatus(), this.restart()]);
  }

  get fieldsOf() {
    return this.#info.mapping.fields.map((f) => f.name);
  }

  get versionOf() {
    const v = this.#info.mapping.fields.find((f) => f.isVersion);
    return v ? v.name : null;
  }

  async drawStatus(result = null) {
    const box = this.#els.status;
    try {
      const stats = await call('GET', api(this.#set, '/stats'));
      const history = this.#info.mapping.history;
      const rotate = h('button', { type: 'button', disabled: !history, onclick: () => this.rotate(rotate) }, 'Rotate now');
      const last = result || stats.rotation;
      clear(box).append(
        h('table', { class: 'records-tables', 'aria-label': 'Tables' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Table'), h('th', {}, 'Kind'), h('th', { class: 'num' }, 'Rows'))),
          h('tbody', {}, stats.tables.map((t) => h('tr', {}, h('td', {}, t.name), h('td', {}, t.kind), h('td', { class: 'num' }, t.rows.toLocaleString('en')))))),
        h('p', { class: 'records-rotation' }, history
          ? `History: ${history.mainRows.toLocaleString('en')} rows in the main table, ${history.tableRows.toLocaleString('en')} per history table, ${history.keep} kept. `
            + (last ? `Last rotation moved ${last.moved.toLocaleString('en')} rows${last.complete ? '' : ' (not complete)'}.` : 'No rotation on this node yet.')
          : 'No history policy: this set never rotates.'),
        rotate);
    } catch (e) {
      clear(box).append(h('p', { role: 'alert' }, describe(e)));
    }
  }

  async rotate(button) {
    button.disabled = true;
    try {
      const result = await call('POST', api(this.#set, '/rotate'));
      this.#ctx.notify(`Rotated ${this.#set}: ${result.moved.toLocaleString('en')} rows moved`);
      this.#info = await call('GET', api(this.#set));
      await this.drawStatus(result);
      await this.restart();
    } catch (e) {
      this.#ctx.notify(describe(e), { error: true });
      button.disabled = false;
    }
  }

  async restart() {
    this.#cursors = [null];
    await this.page(0);
  }

  async page(index) {
    if (index < 0 || index >= this.#cursors.length) return;
    const e = this.#els;
    e.error.hidden = true;
    let where;
    try {
      where = e.where.value.trim() ? JSON.parse(e.where.value) : undefined;
    } catch (err) {
      this.fail(`The filter is not JSON: ${err.message}`);
      return;
    }
    const sort = e.sort.value.split(',').map((s) => s.trim()).filter(Boolean);
    const query = { where, sort, limit: PAGE, after: this.#cursors[index] || undefined };
    if (e.history.value !== 'all') query.history = Number(e.history.value);
    try {
      const page = await call('POST', api(this.#set, '/find'), { json: query });
      this.#index = index;
      this.#cursors.length = index + 1;
      if (page.next) this.#cursors.push(page.next);
      this.drawGrid(page.items);
      e.prev.disabled = index === 0;
      e.next.disabled = !page.next;
      e.pageNo.textContent = `page ${index + 1}`;
    } catch (err) {
      this.fail(describe(err));
    }
  }

  fail(message) {
    this.#els.error.textContent = message;
    this.#els.error.hidden = false;
  }

  drawGrid(items) {
    const fields = this.fieldsOf;
    clear(this.#els.grid).append(
      h('thead', {}, h('tr', {}, fields.map((f) => h('th', { scope: 'col' }, f)))),
      h('tbody', {}, items.length === 0
        ? h('tr', {}, h('td', { colspan: fields.length }, 'No rows match.'))
        : items.map((row) => h('tr', { tabindex: '0', onclick: () => this.detail(row), onkeydown: (ev) => { if (ev.key === 'Enter') this.detail(row); } },
          fields.map((f) => h('td', {}, show(row[f])))))));
  }

  keyOf(row) {
    return this.#info.mapping.pks.map((k) => encodeURIComponent(String(row[k]))).join(',');
  }

  detail(row) {
    const box = this.#els.detail;
    const pks = this.#info.mapping.pks;
    const version = this.versionOf;
    const inputs = {};
    const form = h('form', { class: 'records-edit', onsubmit: (ev) => { ev.preventDefault(); this.save(row, inputs); } },
      this.#info.mapping.fields.map((f) => {
        const id = `records-field-${f.name}`;
        const locked = pks.includes(f.name) || f.isVersion || f.readonly || f.update === false;
        const value = row[f.name] === null || row[f.name] === undefined ? '' : typeof row[f.name] === 'object' ? JSON.stringify(row[f.name]) : String(row[f.name]);
        inputs[f.name] = h('input', { id, type: 'text', value, disabled: locked, 'data-type': f.type || 'String' });
        return h('div', { class: 'records-edit-field' }, h('label', { for: id }, f.name), inputs[f.name]);
      }),
      h('button', { type: 'submit', class: 'primary' }, 'Save'),
      h('button', { type: 'button', onclick: () => { box.hidden = true; } }, 'Close'));
    clear(box).append(h('h3', {}, `Row ${pks.map((k) => row[k]).join(', ')}${version ? ` (version ${row[version]})` : ''}`), form);
    box.hidden = false;
    inputs[this.#info.mapping.fields.find((f) => !inputs[f.name].disabled)?.name]?.focus();
  }

  async save(row, inputs) {
    const changes = {};
    for (const f of this.#info.mapping.fields) {
      const input = inputs[f.name];
      if (input.disabled) continue;
      const before = row[f.name] === null || row[f.name] === undefined ? '' : typeof row[f.name] === 'object' ? JSON.stringify(row[f.name]) : String(row[f.name]);
      if (input.value === before) continue;
      changes[f.name] = parse(input.value, f.type || 'String');
    }
    if (this.versionOf) changes[this.versionOf] = row[this.versionOf];
    try {
      const saved = await call('PATCH', api(this.#set, `/rows/${this.keyOf(row)}`), { json: changes });
      this.#ctx.notify(`Saved row ${this.keyOf(row)}`);
      this.detail(saved);
      await this.page(this.#index);
    } catch (e) {
      this.#ctx.notify(e.code === 'conflict' ? `Not saved: the row changed since it was read (${describe(e)}); reload it` : describe(e), { error: true });
    }
  }
}

function show(value) {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function parse(text, type) {
  if (text === '') return null;
  if (['Integer', 'Long', 'Float', 'Double'].includes(type)) return Number(text);
  if (type === 'Boolean') return text === 'true';
  if (['Object', 'SArray', 'List', 'JSON'].includes(type)) return JSON.parse(text);
  return text;
}
