// The search form: a WnQuery as JSON (e.g. {"nm":"^rep"}), the folder whose children are searched (empty: the
// whole tree) and an optional sort. It parses and checks the JSON before anything is sent.
import { h } from '../dom.js';

export class SearchForm {
  #query;
  #parent;
  #sort;
  #error;
  #clear;

  /** onSearch({ where, parent, sort }) runs the search; onClear() ends it. */
  constructor({ onSearch, onClear }) {
    this.#query = h('input', {
      id: 'search-query', name: 'where', type: 'search', autocomplete: 'off', spellcheck: 'false',
      placeholder: '{"nm":"^rep"}', 'aria-describedby': 'search-help',
    });
    this.#parent = h('input', { id: 'search-parent', name: 'parent', autocomplete: 'off', spellcheck: 'false', placeholder: 'whole tree' });
    this.#sort = h('input', { id: 'search-sort', name: 'sort', autocomplete: 'off', spellcheck: 'false', placeholder: '-lm, nm', size: '10' });
    this.#error = h('p', { class: 'error', role: 'alert', hidden: true });
    this.#clear = h('button', { type: 'button', hidden: true }, 'Clear search');
    this.element = h('form', { class: 'search', role: 'search', 'aria-label': 'Search by query' },
      h('label', { for: 'search-query' }, 'Query'), this.#query,
      h('label', { for: 'search-parent' }, 'In folder'), this.#parent,
      h('label', { for: 'search-sort' }, 'Sort'), this.#sort,
      h('button', { type: 'submit' }, 'Search'),
      this.#clear,
      h('span', { id: 'search-help', class: 'hint' }, 'WnQuery JSON, e.g. {"nm":"^rep"} or {"year":"[2020,2030)"}'),
      this.#error);

    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      let where = null;
      const text = this.#query.value.trim();
      if (text) {
        try {
          where = JSON.parse(text);
        } catch (err) {
          this.showError(`The query is not valid JSON: ${err.message}`);
          return;
        }
        if (where === null || typeof where !== 'object') {
          this.showError('The query must be a JSON object (or a list of objects), e.g. {"nm":"^rep"}.');
          return;
        }
      }
      const parent = this.#parent.value.trim() || null;
      const sort = this.#sort.value.split(',').map((s) => s.trim()).filter(Boolean);
      this.showError(null);
      this.#clear.hidden = false;
      onSearch({ where, parent, sort });
    });
    const clearSearch = () => {
      this.#query.value = '';
      onClear();
    };
    this.#clear.addEventListener('click', clearSearch);
    this.#query.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.#clear.hidden) clearSearch();
    });
  }

  focus() {
    this.#query.focus();
    this.#query.select();
  }

  /** The folder searched by default follows the folder shown. */
  setParent(dir) {
    this.#parent.value = dir;
  }

  /** Marks the search as ended (hides Clear and the error). */
  ended() {
    this.#clear.hidden = true;
    this.showError(null);
  }

  showError(message) {
    this.#error.textContent = message || '';
    this.#error.hidden = !message;
  }
}
