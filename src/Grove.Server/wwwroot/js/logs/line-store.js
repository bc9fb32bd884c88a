// The lines of one task, fetched a block of 1,000 at a time around what is on screen and kept in a small LRU cache,
// so a 10-million-line log costs the page a few blocks whatever its size. Blocks still being fetched are simply
// missing: the view draws placeholders and redraws when they arrive. Lines that a follower receives are added to
// the last block directly.
import { call } from '../api.js';

export const BLOCK = 1000;
const MAX_BLOCKS = 48;
const MAX_IN_FLIGHT = 4;

export class LineStore {
  #id;
  #blocks = new Map(); // index → { lines: [], complete, stale, used }
  #loading = new Map(); // index → AbortController
  #wanted = new Set();
  #onLoaded;
  #onError;
  #tick = 0;
  total = 0;
  finished = false;

  /** onLoaded(): some lines arrived (redraw). onError(err): a block could not be fetched. */
  constructor(id, { onLoaded, onError }) {
    this.#id = id;
    this.#onLoaded = onLoaded;
    this.#onError = onError;
  }

  /** The line numbered n, or undefined while its block is not here. */
  get(n) {
    const block = this.#blocks.get(Math.floor(n / BLOCK));
    if (!block) return undefined;
    block.used = ++this.#tick;
    return block.lines[n - Math.floor(n / BLOCK) * BLOCK];
  }

  /** Lines kept in memory now (for the page's memory bound and tests). */
  get cachedLines() {
    let n = 0;
    for (const b of this.#blocks.values()) n += b.lines.length;
    return n;
  }

  /** Makes sure the blocks covering [first, last] (and half a block around) are here or on their way. */
  want(first, last) {
    const from = Math.max(0, Math.floor((first - BLOCK / 2) / BLOCK));
    const to = Math.floor(Math.min(Math.max(this.total - 1, 0), last + BLOCK / 2) / BLOCK);
    this.#wanted = new Set();
    for (let b = from; b <= to; b += 1) this.#wanted.add(b);
    // Note that fetches for places the reader has scrolled away from are abandoned, so a fast drag across a huge
    // log does not queue a request for every block it passed.
    for (const [b, ctrl] of this.#loading) {
      if (!this.#wanted.has(b)) {
        ctrl.abort();
        this.#loading.delete(b);
      }
    }
    const order = [...this.#wanted].sort((a, b) => Math.abs(a - (first / BLOCK)) - Math.abs(b - (first / BLOCK)));
    for (const b of order) {
      const block = this.#blocks.get(b);
      const fresh = block && !block.stale && (block.complete || block.lines.length >= this.total - b * BLOCK);
      if (fresh || this.#loading.has(b)) continue;
      if (this.#loading.size >= MAX_IN_FLIGHT) break;
      this.#fetch(b);
    }
  }

  /** A line that a follower received (in order). */
  append(line) {
    if (line.n + 1 > this.total) this.total = line.n + 1;
    const b = Math.floor(line.n / BLOCK);
    let block = this.#blocks.get(b);
    if (!block && line.n === b * BLOCK) {
      block = { lines: [], complete: false, stale: false, used: ++this.#tick };
      this.#blocks.set(b, block);
      this.#evict();
    }
    if (!block) return;
    const offset = line.n - b * BLOCK;
    if (offset === block.lines.length) {
      block.lines.push(line);
      if (block.lines.length === BLOCK) block.complete = true;
    } else if (offset > block.lines.length) {
      block.stale = true;
    }
  }

  clear() {
    for (const ctrl of this.#loading.values()) ctrl.abort();
    this.#loading.clear();
    this.#blocks.clear();
  }

  async #fetch(b) {
    const ctrl = new AbortController();
    this.#loading.set(b, ctrl);
    try {
      const page = await call('GET', `/api/v1/logs/${encodeURIComponent(this.#id)}/lines?from=${b * BLOCK}&limit=${BLOCK}`, { signal: ctrl.signal });
      if (this.#loading.get(b) !== ctrl) return;
      this.#loading.delete(b);
      this.total = Math.max(this.total, page.total);
      this.finished = page.finished;
      const old = this.#blocks.get(b);
      const lines = page.lines;
      // Lines a follower added meanwhile are newer than the answer: keep them.
      if (old && old.lines.length > lines.length && !old.stale) lines.push(...old.lines.slice(lines.length));
      this.#blocks.set(b, { lines, complete: lines.length === BLOCK, stale: false, used: ++this.#tick });
      this.#evict();
      this.#onLoaded();
    } catch (err) {
      if (this.#loading.get(b) === ctrl) this.#loading.delete(b);
      if (err && err.name === 'AbortError') return;
      this.#onError(err);
    }
  }

  #evict() {
    if (this.#blocks.size <= MAX_BLOCKS) return;
    const victims = [...this.#blocks.entries()]
      .filter(([b]) => !this.#wanted.has(b))
      .sort((x, y) => x[1].used - y[1].used);
    for (const [b] of victims.slice(0, this.#blocks.size - MAX_BLOCKS)) this.#blocks.delete(b);
  }
}
