// A virtual listbox: however many items are loaded, only the rows in view (plus a few) exist in the DOM, each
// absolutely placed in a spacer as tall as all rows. Rows are recycled as the list scrolls. Selection follows the
// listbox pattern with aria-activedescendant, so focus stays on the list while arrows move the selection.

const OVERSCAN = 8;
const NEAR_END = 100;

export class VirtualList {
  #el;
  #spacer;
  #rows = [];
  #rowHeight;
  #renderRow;
  #onNearEnd;
  #onSelect;
  #onActivate;
  #idPrefix;
  #frame = 0;
  #items = [];
  #more = false;
  #selected = -1;

  /**
   * @param {HTMLElement} element the listbox: a scroll container with a fixed height
   * @param {{ rowHeight: number, renderRow: (row: HTMLElement, item: object, index: number) => void,
   *           onNearEnd: () => void, onSelect: (index: number) => void, onActivate: (index: number, e: Event) => void,
   *           idPrefix: string }} options
   */
  constructor(element, { rowHeight = 32, renderRow, onNearEnd, onSelect, onActivate, idPrefix = 'row' }) {
    this.#el = element;
    this.#rowHeight = rowHeight;
    this.#renderRow = renderRow;
    this.#onNearEnd = onNearEnd;
    this.#onSelect = onSelect;
    this.#onActivate = onActivate;
    this.#idPrefix = idPrefix;
    this.#spacer = document.createElement('div');
    this.#spacer.className = 'spacer';
    this.#spacer.setAttribute('role', 'presentation');
    element.append(this.#spacer);
    element.addEventListener('scroll', () => this.#schedule(), { passive: true });
    new ResizeObserver(() => this.#schedule()).observe(element);
    element.addEventListener('click', (e) => {
      const index = this.#indexOf(e.target);
      if (index < 0) return;
      // Note that a click only selects: were a click to open a folder, the second click of a double-click would
      // land on whichever row of the new listing is under the pointer.
      this.select(index, { scroll: false });
    });
    element.addEventListener('dblclick', (e) => {
      const index = this.#indexOf(e.target);
      if (index >= 0) this.#onActivate(index, e);
    });
  }

  get items() {
    return this.#items;
  }

  get selectedIndex() {
    return this.#selected;
  }

  get selectedItem() {
    return this.#selected >= 0 ? this.#items[this.#selected] : undefined;
  }

  /** Rows in one screen, for Page Up/Down. */
  get pageSize() {
    return Math.max(1, Math.floor(this.#el.clientHeight / this.#rowHeight) - 1);
  }

  /** Shows these items (the array may later grow in place: call refresh). more: whether pages remain. */
  setItems(items, more) {
    this.#items = items;
    this.#more = more;
    if (this.#selected >= items.length) this.#selected = items.length - 1;
    this.render();
  }

  /** Empties the list and scrolls to the top. */
  reset() {
    this.#selected = -1;
    this.#el.scrollTop = 0;
    this.#el.removeAttribute('aria-activedescendant');
    this.setItems([], false);
  }

  /** Selects a row and scrolls it into view. */
  select(index, { scroll = true } = {}) {
    if (this.#items.length === 0) return;
    const i = Math.max(0, Math.min(index, this.#items.length - 1));
    this.#selected = i;
    if (scroll) {
      const top = i * this.#rowHeight;
      if (top < this.#el.scrollTop) this.#el.scrollTop = top;
      else if (top + this.#rowHeight > this.#el.scrollTop + this.#el.clientHeight) {
        this.#el.scrollTop = top + this.#rowHeight - this.#el.clientHeight;
      }
    }
    this.render();
    this.#onSelect(i);
  }

  #schedule() {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.render();
    });
  }

  #indexOf(target) {
    const row = target instanceof Element ? target.closest('[role=option]') : null;
    return row && this.#el.contains(row) ? Number(row.dataset.index) : -1;
  }

  /** Draws the rows in view. Cheap: at most a screenful plus the overscan is touched. */
  render() {
    const n = this.#items.length;
    const h = this.#rowHeight;
    this.#spacer.style.height = `${n * h}px`;
    const top = this.#el.scrollTop;
    const view = this.#el.clientHeight || h * 20;
    const first = Math.max(0, Math.floor(top / h) - OVERSCAN);
    const last = Math.min(n - 1, Math.ceil((top + view) / h) + OVERSCAN);
    const count = Math.max(0, last - first + 1);
    while (this.#rows.length < count) {
      const row = document.createElement('div');
      row.setAttribute('role', 'option');
      this.#rows.push(row);
    }
    for (let k = 0; k < this.#rows.length; k += 1) {
      const row = this.#rows[k];
      if (k >= count) {
        row.remove();
        continue;
      }
      const i = first + k;
      const item = this.#items[i];
      if (row.$item !== item || row.$index !== i) {
        row.$item = item;
        row.$index = i;
        row.dataset.index = String(i);
        row.id = `${this.#idPrefix}-${i}`;
        row.style.transform = `translateY(${i * h}px)`;
        row.setAttribute('aria-posinset', String(i + 1));
        this.#renderRow(row, item, i);
      }
      row.setAttribute('aria-setsize', this.#more ? '-1' : String(n));
      row.setAttribute('aria-selected', i === this.#selected ? 'true' : 'false');
      if (!row.isConnected) this.#spacer.append(row);
    }
    if (this.#selected >= first && this.#selected <= last) {
      this.#el.setAttribute('aria-activedescendant', `${this.#idPrefix}-${this.#selected}`);
    } else {
      this.#el.removeAttribute('aria-activedescendant');
    }
    if (this.#more && last >= n - NEAR_END) this.#onNearEnd();
  }

  /** Forces every visible row to be drawn again (after an item changed in place). */
  refresh() {
    for (const row of this.#rows) row.$item = undefined;
    this.render();
  }
}
