// The list of task logs: newest first, filtered by status and name, a page at a time from /api/v1/logs.
import { call, describe } from '../api.js';
import { h, uid } from '../dom.js';
import { count, dateTime, duration } from './format.js';

const STATUSES = ['running', 'succeeded', 'failed', 'canceled', 'abandoned'];
const PAGE = 100;

export class TaskList {
  #ctx;
  #rows;
  #status;
  #name;
  #more;
  #note;
  #next = null;
  #ticket = 0;
  #timer = 0;

  constructor(root, ctx, params) {
    this.#ctx = ctx;
    const statusId = uid('log-status');
    const nameId = uid('log-name');
    this.#status = h('select', { id: statusId, onchange: () => this.#filtersChanged() },
      h('option', { value: '' }, 'All'),
      STATUSES.map((s) => h('option', { value: s }, s)));
    this.#status.value = params.get('status') || '';
    this.#name = h('input', { id: nameId, type: 'search', placeholder: 'part of the name', value: params.get('name') || '' });
    this.#name.addEventListener('input', () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#filtersChanged(), 250);
    });
    this.#rows = h('tbody', {});
    this.#more = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => this.#load(false) }, 'Load more');
    this.#note = h('p', { class: 'hint', 'aria-live': 'polite' });
    root.append(
      h('div', { class: 'toolbar' },
        h('h1', { class: 'logs-title' }, 'Task logs'),
        h('form', { class: 'log-filters', role: 'search', 'aria-label': 'Filter tasks', onsubmit: (e) => { e.preventDefault(); this.#filtersChanged(); } },
          h('label', { for: statusId }, 'Status'), this.#status,
          h('label', { for: nameId }, 'Name'), this.#name,
          h('button', { type: 'button', onclick: () => this.#load(true) }, 'Refresh'))),
      h('div', { class: 'log-tasks' },
        h('table', { class: 'log-task-table', 'aria-label': 'Tasks' },
          h('thead', {}, h('tr', {},
            ['Name', 'Status', 'Lines', 'Started', 'Duration', 'Owner'].map((c) => h('th', { scope: 'col' }, c)))),
          this.#rows)),
      h('div', { class: 'list-foot' }, this.#note, this.#more));
    this.#load(true);
  }

  destroy() {
    clearTimeout(this.#timer);
    this.#ticket += 1;
  }

  #filtersChanged() {
    const params = {};
    if (this.#status.value) params.status = this.#status.value;
    if (this.#name.value.trim()) params.name = this.#name.value.trim();
    history.replaceState(null, '', this.#ctx.hashOf('logs', [], params));
    this.#load(true);
  }

  async #load(reset) {
    const ticket = ++this.#ticket;
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (this.#status.value) q.set('status', this.#status.value);
    if (this.#name.value.trim()) q.set('name', this.#name.value.trim());
    if (!reset && this.#next) q.set('after', this.#next);
    try {
      const page = await call('GET', `/api/v1/logs?${q}`);
      if (ticket !== this.#ticket) return;
      if (reset) this.#rows.replaceChildren();
      for (const t of page.items) this.#rows.append(this.#row(t));
      this.#next = page.next;
      this.#more.hidden = !page.next;
      const shown = this.#rows.children.length;
      this.#note.textContent = shown === 0 ? 'No tasks match.' : `${count(shown)} task${shown === 1 ? '' : 's'}${page.next ? ' loaded; more below' : ''}`;
    } catch (err) {
      if (ticket === this.#ticket) this.#ctx.notify(describe(err), { error: true });
    }
  }

  #row(t) {
    const end = t.finished ?? (t.status === 'running' ? Date.now() : t.lastActivity);
    return h('tr', { 'data-task': t.id },
      h('td', {}, h('a', { href: this.#ctx.hashOf('logs', [t.id]) }, t.name)),
      h('td', {}, h('span', { class: `log-badge status-${t.status}` }, t.status + (t.exitCode !== null && t.exitCode !== undefined && t.status !== 'running' ? ` (${t.exitCode})` : ''))),
      h('td', { class: 'num' }, count(t.lines)),
      h('td', {}, dateTime(t.created)),
      h('td', {}, duration(end - t.created)),
      h('td', {}, t.owner || ''));
  }
}
