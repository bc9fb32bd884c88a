// Keyset paging over /api/v1/ls or /api/v1/query: pages are fetched on demand and appended. The first page is
// small so a huge directory shows at once; later pages are larger.

export class Pager {
  #fetchPage;
  #after = null;
  #loading = null;
  #abort = new AbortController();
  #compare;
  // Changes made while a page was loading: the page may have been read before them, so they are applied to it again.
  #changes = [];

  /**
   * @param {(after: string|null, limit: number, signal: AbortSignal) => Promise<{items: object[], next: string|null}>} fetchPage
   */
  constructor(fetchPage, { firstLimit = 200, limit = 1000, compare = null } = {}) {
    this.#fetchPage = fetchPage;
    this.#compare = compare;
    this.firstLimit = firstLimit;
    this.limit = limit;
    /** The objects loaded so far, in order. */
    this.items = [];
    /** True once the last page has arrived. */
    this.done = false;
    /** The last failure, or null. */
    this.error = null;
  }

  get loading() {
    return this.#loading !== null;
  }

  /** Loads the next page (one at a time; a call while loading joins it). Answers true when items were added. */
  more(limit = undefined) {
    if (this.done || this.error) return Promise.resolve(false);
    if (this.#loading) return this.#loading;
    const size = limit || (this.items.length === 0 ? this.firstLimit : this.limit);
    this.#loading = this.#fetchPage(this.#after, size, this.#abort.signal)
      .then((page) => {
        for (const o of page.items) this.items.push(o);
        this.#after = page.next;
        this.done = !page.next;
        const changes = this.#changes;
        this.#changes = [];
        for (const [kind, o] of changes) {
          if (kind === 'put') this.#place(o);
          else this.#take(o.nm);
        }
        return page.items.length > 0;
      }, (err) => {
        if (err && err.name === 'AbortError') return false;
        this.error = err;
        throw err;
      })
      .finally(() => {
        this.#loading = null;
      });
    return this.#loading;
  }

  /**
   * Puts an object made or changed here at its place in name order (needs compare). Answers the object now in the
   * list, or null when it belongs to a page not loaded yet; a page loading now gets it too when it lands.
   */
  put(o) {
    if (this.#loading) this.#changes.push(['put', o]);
    return this.#place(o);
  }

  /** Takes an object deleted or moved away here out of the list, and out of a page loading now. */
  remove(o) {
    if (this.#loading) this.#changes.push(['remove', o]);
    return this.#take(o.nm);
  }

  #place(o) {
    const items = this.items;
    const at = items.findIndex((x) => this.#compare(x.nm, o.nm) >= 0);
    if (at >= 0 && items[at].nm === o.nm) items[at] = o;
    else if (at >= 0) items.splice(at, 0, o);
    else if (this.done) items.push(o);
    else return null;
    return o;
  }

  #take(name) {
    const at = this.items.findIndex((x) => x.nm === name);
    if (at >= 0) this.items.splice(at, 1);
    return at;
  }

  /** Loads every remaining page (large pages), for End: the server's limit is 10,000 per page. */
  async rest() {
    while (!this.done && !this.error && !this.#abort.signal.aborted) await this.more(5000);
  }

  /** Drops the loading page; a pager is cancelled when its listing is replaced. */
  cancel() {
    this.#abort.abort();
    // Note that a cancelled pager must count as done: else the list, still asking for more near its end, would
    // call more() again and again on the aborted fetch, a loop of promises that hangs the tab.
    this.done = true;
  }
}
