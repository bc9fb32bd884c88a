// One task's log: opens at once whatever its size (only the lines on screen are in the DOM, fetched a block at a
// time around them), scrolls through 10 million lines on a scaled scrollbar, jumps to a line, follows a running task
// over server-sent events, renders ANSI colours, searches on the server and steps through the matches, shows line
// numbers (from 1) and optional time stamps, and links the raw download. Address: #/logs/<id>?line=<n>.
import { call, describe } from '../api.js';
import { h, uid } from '../dom.js';
import { renderAnsi } from './ansi.js';
import { clock, count, dateTime, duration } from './format.js';
import { LineStore } from './line-store.js';
import { ScaledScroller } from './scroller.js';
import { LogSearch } from './search.js';

export const LINE_HEIGHT = 18;

export class LogView {
  #ctx;
  #id;
  #task = null;
  #store;
  #scroll;
  #search;
  #events = null;
  #frame = 0;
  #rows = [];
  #rowsBox;
  #layer;
  #scroller;
  #title;
  #badge;
  #info;
  #status;
  #followBox;
  #stampBox;
  #lineInput;
  #target = -1;
  #markVersion = 0;
  #resize;
  #ticker = 0;
  #destroyed = false;

  constructor(root, ctx, id) {
    this.#ctx = ctx;
    this.#id = id;
    this.#store = new LineStore(id, {
      onLoaded: () => this.#schedule(),
      onError: (err) => ctx.notify(describe(err), { error: true }),
    });
    this.#title = h('h1', { class: 'logs-title' }, id);
    this.#badge = h('span', { class: 'log-badge' });
    this.#info = h('span', { class: 'hint log-info' });
    const followId = uid('log-follow');
    const stampId = uid('log-stamps');
    const lineId = uid('log-line');
    this.#followBox = h('input', { type: 'checkbox', id: followId, onchange: () => this.setFollow(this.#followBox.checked) });
    this.#stampBox = h('input', { type: 'checkbox', id: stampId, onchange: () => this.#redrawAll() });
    this.#lineInput = h('input', { id: lineId, type: 'text', inputmode: 'numeric', class: 'log-line-input', placeholder: 'line', autocomplete: 'off' });
    this.#search = new LogSearch(id, {
      onGo: (n) => this.goTo(n, { follow: false }),
      onChange: () => {
        this.#markVersion += 1;
        this.#schedule();
      },
    });
    this.#rowsBox = h('div', { class: 'log-rows' });
    this.#layer = h('div', { class: 'log-layer' }, this.#rowsBox);
    this.#scroller = h('div', { class: 'log-scroller', tabindex: '0', role: 'region', 'aria-label': 'Log lines' }, this.#layer);
    this.#status = h('span', { class: 'log-status', 'aria-live': 'off' });
    this.#scroll = new ScaledScroller(this.#scroller, this.#layer, LINE_HEIGHT, (byUser) => {
      if (byUser && this.#followBox.checked && !this.#scroll.atBottom) this.#setFollowBox(false);
      this.#schedule();
    });
    this.#scroller.addEventListener('keydown', (e) => this.#key(e));
    this.#resize = new ResizeObserver(() => {
      this.#scroll.relayout();
      this.#schedule();
    });
    this.#resize.observe(this.#scroller);
    const download = h('a', { class: 'button', href: `/api/v1/logs/${encodeURIComponent(id)}/download?download=true`, download: `${id}.log` }, 'Download');
    root.append(
      h('div', { class: 'toolbar log-head' },
        h('div', { class: 'log-heading' },
          h('a', { href: ctx.hashOf('logs'), class: 'log-back' }, '← Tasks'),
          this.#title, this.#badge, this.#info),
        h('div', { class: 'tools' }, download)),
      h('div', { class: 'log-tools' },
        h('label', { class: 'check' }, this.#followBox, 'Follow'),
        h('label', { class: 'check' }, this.#stampBox, 'Time stamps'),
        h('form', { class: 'log-goto', onsubmit: (e) => { e.preventDefault(); this.#jump(); } },
          h('label', { for: lineId }, 'Go to line'), this.#lineInput, h('button', { type: 'submit' }, 'Go')),
        this.#search.element),
      h('div', { class: 'log-frame' }, this.#scroller),
      h('div', { class: 'list-foot' }, this.#status));
  }

  /** The page's shortcuts (registered once by the page, which forwards them to the view shown). */
  static bindKeys(keys, view) {
    keys.add({ keys: ['g'], label: 'Go to line', run: () => view()?.focusLine() });
    keys.add({ keys: ['/'], label: 'Search the log', run: () => view()?.search.focus() });
    keys.add({ keys: ['n'], label: 'Next match', run: () => view()?.search.next() });
    keys.add({ keys: ['N'], shown: 'Shift+N', label: 'Previous match', run: () => view()?.search.previous() });
    keys.add({ keys: ['f'], label: 'Follow on or off', run: () => view()?.toggleFollow() });
    keys.add({ keys: ['t'], label: 'Time stamps on or off', run: () => view()?.toggleStamps() });
  }

  get search() {
    return this.#search;
  }

  focusLine() {
    this.#lineInput.focus();
  }

  toggleFollow() {
    this.setFollow(!this.#followBox.checked);
  }

  toggleStamps() {
    this.#stampBox.checked = !this.#stampBox.checked;
    this.#redrawAll();
  }

  get id() {
    return this.#id;
  }

  /** Loads the task and shows line `line` (0-based), else the end of a running task or the start of a finished one. */
  async open(line) {
    try {
      this.#task = await call('GET', `/api/v1/logs/${encodeURIComponent(this.#id)}`);
    } catch (err) {
      this.#ctx.notify(describe(err), { error: true });
      return;
    }
    if (this.#destroyed) return;
    this.#describeTask();
    // A running task's header counts its lines as they arrive and its duration by the second, until it ends.
    if (this.#task.status === 'running') this.#ticker = setInterval(() => this.#describeTask(), 1000);
    this.#ctx.setTitle(this.#task.name);
    this.#store.total = this.#task.lines;
    this.#store.finished = this.#task.status !== 'running';
    this.#scroll.setTotal(this.#task.lines);
    if (this.#task.status === 'running') this.#listen();
    if (line !== null && line !== undefined) this.goTo(line, { follow: false });
    else if (this.#task.status === 'running') this.setFollow(true);
    else this.#scroll.scrollTo(0);
    this.#schedule();
    this.#scroller.focus({ preventScroll: true });
  }

  /** Shows line n (0-based) a third down the screen, marked. */
  goTo(n, { follow = false } = {}) {
    const line = Math.max(0, Math.min(n, Math.max(0, this.#store.total - 1)));
    this.#target = line;
    if (!follow) this.#setFollowBox(false);
    this.#scroll.scrollTo(line - Math.floor(this.#scroll.visibleLines / 3));
    this.#redrawAll();
  }

  /** Follow on: stay at the end as lines arrive. */
  setFollow(on) {
    this.#setFollowBox(on);
    if (on) {
      this.#scroll.scrollTo(this.#scroll.maxTop);
      if (this.#task && this.#task.status === 'running') this.#listen();
    }
  }

  destroy() {
    this.#destroyed = true;
    this.#resize.disconnect();
    this.#search.destroy();
    this.#store.clear();
    if (this.#events) this.#events.close();
    clearInterval(this.#ticker);
    cancelAnimationFrame(this.#frame);
  }

  #setFollowBox(on) {
    this.#followBox.checked = on;
  }

  #jump() {
    const n = Number(this.#lineInput.value.replace(/[,\s_]/g, ''));
    if (!Number.isInteger(n) || n < 1) {
      this.#ctx.notify('Enter a line number from 1.', { error: true });
      return;
    }
    history.replaceState(null, '', this.#ctx.hashOf('logs', [this.#id], { line: String(n) }));
    this.goTo(n - 1);
    this.#scroller.focus({ preventScroll: true });
  }

  /** Server-sent events from the current end: new lines, then an 'end' event with the finished task. */
  #listen() {
    if (this.#events) return;
    const url = `/api/v1/logs/${encodeURIComponent(this.#id)}/follow?from=${this.#store.total}`;
    const events = new EventSource(url);
    this.#events = events;
    events.onmessage = (e) => {
      this.#store.append(JSON.parse(e.data));
      this.#grew();
    };
    events.addEventListener('end', (e) => {
      events.close();
      this.#events = null;
      this.#task = JSON.parse(e.data);
      this.#store.finished = true;
      clearInterval(this.#ticker);
      this.#describeTask();
      this.#grew();
    });
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) {
        this.#events = null;
        this.#ctx.notify('Following stopped: the server closed the stream.', { error: true });
      }
    };
  }

  /** New lines arrived: the scroll range and the follow position are updated once per frame, not once per line. */
  #grew() {
    this.#schedule();
  }

  #applyTotal() {
    const total = this.#store.total;
    if (total !== this.#scroll.total) {
      this.#scroll.setTotal(total);
      if (this.#followBox.checked) this.#scroll.scrollTo(this.#scroll.maxTop);
      if (this.#task) this.#describeTask();
    }
  }

  #describeTask() {
    const t = this.#task;
    this.#title.textContent = t.name;
    this.#badge.className = `log-badge status-${t.status}`;
    this.#badge.textContent = t.status + (t.exitCode !== null && t.exitCode !== undefined && t.status !== 'running' ? ` (exit ${t.exitCode})` : '');
    const end = t.finished ?? Date.now();
    const lines = Math.max(t.lines, this.#store.total);
    this.#info.textContent = `${count(lines)} line${lines === 1 ? '' : 's'} · started ${dateTime(t.created)} · ${duration(end - t.created)}`
      + (t.owner ? ` · ${t.owner}` : '') + (t.truncated ? ' · truncated by the size limits' : '');
  }

  #key(e) {
    if (e.target !== this.#scroller || e.ctrlKey || e.metaKey || e.altKey) return;
    const page = Math.max(1, this.#scroll.visibleLines - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, ' ': page };
    if (e.key in moves) {
      e.preventDefault();
      e.stopPropagation();
      this.#scroll.scrollBy(moves[e.key]);
    } else if (e.key === 'Home') {
      e.preventDefault();
      e.stopPropagation();
      this.#scroll.scrollTo(0, true);
    } else if (e.key === 'End') {
      e.preventDefault();
      e.stopPropagation();
      this.setFollow(this.#task && this.#task.status === 'running');
      this.#scroll.scrollTo(this.#scroll.maxTop, true);
    }
  }

  #redrawAll() {
    for (const row of this.#rows) row.$key = undefined;
    this.#schedule();
  }

  #schedule() {
    if (this.#frame || this.#destroyed) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  #render() {
    this.#applyTotal();
    const total = this.#store.total;
    const top = this.#scroll.top;
    const first = Math.floor(top);
    const rowsNeeded = Math.ceil(this.#scroll.viewHeight / LINE_HEIGHT) + 1;
    this.#rowsBox.style.transform = `translateY(${-Math.round((top - first) * LINE_HEIGHT)}px)`;
    while (this.#rows.length < rowsNeeded) {
      const row = h('div', { class: 'log-line' }, h('span', { class: 'ln' }), h('span', { class: 'ts' }), h('span', { class: 'tx' }));
      this.#rows.push(row);
      this.#rowsBox.append(row);
    }
    const stamps = this.#stampBox.checked;
    const mark = this.#search.query ? this.#search.marker() : null;
    const current = this.#search.index >= 0 ? this.#search.matches[this.#search.index] : -1;
    this.#scroller.classList.toggle('with-stamps', stamps);
    let shown = 0;
    for (let k = 0; k < this.#rows.length; k += 1) {
      const row = this.#rows[k];
      const n = first + k;
      if (k >= rowsNeeded || n >= total) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      shown = n;
      const line = this.#store.get(n);
      const key = `${n}|${line ? 1 : 0}|${this.#markVersion}|${stamps}|${this.#target === n}|${current === n}`;
      if (row.$key === key && row.$line === line) continue;
      row.$key = key;
      row.$line = line;
      row.dataset.n = String(n + 1);
      const [ln, ts, tx] = row.children;
      ln.textContent = count(n + 1);
      row.classList.toggle('loading', !line);
      row.classList.toggle('target', this.#target === n);
      row.classList.toggle('match', this.#search.set.has(n));
      row.classList.toggle('current-match', current === n);
      if (!line) {
        ts.textContent = '';
        tx.textContent = '…';
        continue;
      }
      ts.textContent = stamps ? clock(line.t) : '';
      ts.title = stamps ? new Date(line.t).toISOString() : '';
      renderAnsi(tx, line.text, this.#search.set.has(n) ? mark : null);
    }
    this.#store.want(first, first + rowsNeeded);
    const storage = this.#task ? (this.#task.storage === 'archived' ? 'archived' : 'live') : '';
    this.#status.textContent = total === 0
      ? (this.#task && this.#task.status === 'running' ? 'No lines yet; waiting for the task…' : 'This log is empty.')
      : `Lines ${count(first + 1)}–${count(Math.min(total, shown + 1))} of ${count(total)}${storage ? ` · ${storage}` : ''}`;
  }
}
