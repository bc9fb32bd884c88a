// Searching a log on the server and stepping through the matches. The server scans the whole log (live or archived)
// and streams matching lines as NDJSON; the first match shows as soon as it arrives. Matches are fetched 1,000 at a
// time; stepping past the last one fetches the next 1,000.
import { ApiError, problemOf, session } from '../api.js';
import { h, uid } from '../dom.js';
import { count } from './format.js';

const BATCH = 1000;

export class LogSearch {
  #id;
  #onGo;
  #onChange;
  #input;
  #regex;
  #caseBox;
  #state;
  #error;
  #ctrl = null;
  matches = [];
  index = -1;
  more = false;
  query = null; // { q, regex, ignoreCase }
  set = new Set();

  /** onGo(n): show line n; onChange(): the matches changed (redraw highlights). */
  constructor(id, { onGo, onChange }) {
    this.#id = id;
    this.#onGo = onGo;
    this.#onChange = onChange;
    const inputId = uid('log-find');
    this.#input = h('input', { id: inputId, type: 'search', placeholder: 'Search the whole log', autocomplete: 'off', spellcheck: 'false' });
    this.#input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (this.query && this.query.q === this.#input.value && this.#same()) {
        if (e.shiftKey) this.previous();
        else this.next();
      } else {
        this.run();
      }
    });
    this.#regex = h('input', { type: 'checkbox', id: uid('log-regex') });
    this.#caseBox = h('input', { type: 'checkbox', id: uid('log-case') });
    this.#state = h('span', { class: 'log-match-state', 'aria-live': 'polite' });
    this.#error = h('span', { class: 'error', role: 'alert', hidden: true });
    this.element = h('form', { class: 'log-search', role: 'search', 'aria-label': 'Search the log', onsubmit: (e) => { e.preventDefault(); this.run(); } },
      h('label', { for: inputId, class: 'visually-hidden' }, 'Search'), this.#input,
      h('label', { class: 'check' }, this.#regex, 'Regex'),
      h('label', { class: 'check' }, this.#caseBox, 'Ignore case'),
      h('button', { type: 'submit' }, 'Find'),
      h('button', { type: 'button', 'aria-label': 'Previous match', title: 'Previous match (Shift+Enter)', onclick: () => this.previous() }, '▲'),
      h('button', { type: 'button', 'aria-label': 'Next match', title: 'Next match (Enter)', onclick: () => this.next() }, '▼'),
      this.#state, this.#error);
  }

  focus() {
    this.#input.focus();
    this.#input.select();
  }

  destroy() {
    if (this.#ctrl) this.#ctrl.abort();
  }

  /** Ranges of a plain text run to highlight: [[start, end], …]. */
  marker() {
    const q = this.query;
    if (!q || !q.q) return null;
    let re;
    try {
      re = q.regex ? new RegExp(q.q, q.ignoreCase ? 'gi' : 'g') : new RegExp(q.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), q.ignoreCase ? 'gi' : 'g');
    } catch {
      return null;
    }
    return (text) => {
      const ranges = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m && ranges.length < 50; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex += 1;
          continue;
        }
        ranges.push([m.index, m.index + m[0].length]);
      }
      return ranges;
    };
  }

  #same() {
    return this.query && this.query.regex === this.#regex.checked && this.query.ignoreCase === this.#caseBox.checked;
  }

  /** Starts a new search from the top of the log; shows the first match at or after startAt. */
  async run(startAt = 0) {
    const q = this.#input.value;
    this.matches = [];
    this.set = new Set();
    this.index = -1;
    this.more = false;
    this.#error.hidden = true;
    if (!q) {
      this.query = null;
      this.#state.textContent = '';
      this.#onChange();
      return;
    }
    this.query = { q, regex: this.#regex.checked, ignoreCase: this.#caseBox.checked };
    this.#state.textContent = 'Searching…';
    await this.#fetch(0, startAt);
  }

  next() {
    if (!this.query) return this.run();
    if (this.index < this.matches.length - 1) return this.#show(this.index + 1);
    if (this.more) return this.#fetch(this.matches[this.matches.length - 1] + 1, -1, true);
    if (this.matches.length > 0) return this.#show(0);
    return undefined;
  }

  previous() {
    if (!this.query) return this.run();
    if (this.index > 0) return this.#show(this.index - 1);
    if (this.matches.length > 0 && !this.more) return this.#show(this.matches.length - 1);
    return undefined;
  }

  #show(i) {
    this.index = i;
    this.#describe();
    this.#onGo(this.matches[i]);
    this.#onChange();
  }

  #describe() {
    const n = this.matches.length;
    this.#state.textContent = n === 0
      ? 'No matches'
      : `${count(this.index + 1)} of ${count(n)}${this.more ? '+' : ''}`;
  }

  async #fetch(from, startAt, stepToFirstNew = false) {
    if (this.#ctrl) this.#ctrl.abort();
    const ctrl = new AbortController();
    this.#ctrl = ctrl;
    const q = this.query;
    const params = new URLSearchParams({ q: q.q, from: String(from), max: String(BATCH) });
    if (q.regex) params.set('regex', 'true');
    if (q.ignoreCase) params.set('ignoreCase', 'true');
    const firstNew = this.matches.length;
    let found = 0;
    try {
      const response = await fetch(`/api/v1/logs/${encodeURIComponent(this.#id)}/search?${params}`, {
        headers: { Authorization: `Bearer ${session.token}` },
        signal: ctrl.signal,
      });
      if (!response.ok) throw problemOf(response.status, response.headers.get('Content-Type'), await response.text());
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let rest = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += value;
        let cut = rest.indexOf('\n');
        while (cut >= 0) {
          const text = rest.slice(0, cut);
          rest = rest.slice(cut + 1);
          cut = rest.indexOf('\n');
          if (!text) continue;
          const n = JSON.parse(text).n;
          this.matches.push(n);
          this.set.add(n);
          found += 1;
          if (this.index < 0 && (stepToFirstNew || startAt < 0 || n >= startAt)) this.#show(stepToFirstNew ? firstNew : this.matches.length - 1);
        }
      }
      this.more = found >= BATCH;
      if (this.index < 0 && this.matches.length > 0) this.#show(0);
      else if (stepToFirstNew && found > 0 && this.index < firstNew) this.#show(firstNew);
      this.#describe();
      this.#onChange();
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      this.#state.textContent = '';
      this.#error.textContent = err instanceof ApiError ? err.detail : String(err && err.message ? err.message : err);
      this.#error.hidden = false;
    }
  }
}
