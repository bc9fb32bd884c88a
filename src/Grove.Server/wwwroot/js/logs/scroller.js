// A scroll position measured in lines, for logs of any length. Browsers cap an element's height (about 33 million
// px in Chromium, less elsewhere), and 10 million lines of 18 px are 180 million, so the scrollbar is scaled: the
// spacer is at most 8 million px and the thumb's position maps to a fraction of the log. The exact top line is kept
// here (a scaled pixel spans many lines), the wheel and the keys move it by lines, and only dragging the scrollbar
// sets it from the pixel position.

const MAX_PX = 8_000_000;

export class ScaledScroller {
  #el;
  #spacer;
  #layer;
  #onChange;
  #expected = 0;
  top = 0; // the line at the top edge, fractional
  total = 0;

  /**
   * @param {HTMLElement} el the scroll container; @param {HTMLElement} layer the sticky layer the rows live in;
   * @param {number} lineHeight px; @param {(byUser: boolean) => void} onChange called when the top line moved.
   */
  constructor(el, layer, lineHeight, onChange) {
    this.#el = el;
    this.#layer = layer;
    this.lineHeight = lineHeight;
    this.#onChange = onChange;
    this.#spacer = document.createElement('div');
    this.#spacer.className = 'log-spacer';
    el.append(this.#spacer);
    el.addEventListener('scroll', () => this.#scrolled(), { passive: true });
    el.addEventListener('wheel', (e) => this.#wheel(e), { passive: false });
  }

  get viewHeight() {
    return this.#el.clientHeight || this.lineHeight * 30;
  }

  /** Whole lines that fit on screen. */
  get visibleLines() {
    return Math.max(1, Math.floor(this.viewHeight / this.lineHeight));
  }

  /** The greatest top line: the last line sits at the bottom edge. */
  get maxTop() {
    return Math.max(0, this.total - this.viewHeight / this.lineHeight);
  }

  get atBottom() {
    return this.top >= this.maxTop - 0.5;
  }

  /** Sets the number of lines (keeps the top line unless it is now past the end). */
  setTotal(total) {
    this.total = total;
    this.#layout();
    if (this.top > this.maxTop) this.top = this.maxTop;
    this.#sync();
  }

  /** Moves the top edge to line t (fractional lines allowed). */
  scrollTo(t, byUser = false) {
    this.top = Math.min(Math.max(0, t), this.maxTop);
    this.#sync();
    this.#onChange(byUser);
  }

  scrollBy(lines) {
    this.scrollTo(this.top + lines, true);
  }

  /** Re-reads the container's size (after a resize). */
  relayout() {
    this.#layout();
    this.scrollTo(Math.min(this.top, this.maxTop));
  }

  #geometry() {
    const view = this.viewHeight;
    const content = Math.max(this.total * this.lineHeight, view);
    return { view, content, spacer: Math.min(content, MAX_PX) };
  }

  #layout() {
    const g = this.#geometry();
    this.#layer.style.height = `${g.view}px`;
    this.#spacer.style.height = `${Math.max(0, g.spacer - g.view)}px`;
  }

  #sync() {
    const g = this.#geometry();
    const px = g.content > g.view ? (this.top * this.lineHeight * (g.spacer - g.view)) / (g.content - g.view) : 0;
    this.#expected = px;
    if (Math.abs(this.#el.scrollTop - px) >= 1) this.#el.scrollTop = px;
  }

  #scrolled() {
    const now = this.#el.scrollTop;
    // Note that the browser rounds scrollTop: a difference of a pixel or so is our own write coming back.
    if (Math.abs(now - this.#expected) < 2) return;
    const g = this.#geometry();
    this.#expected = now;
    this.top = g.spacer > g.view ? Math.min((now * (g.content - g.view)) / (g.spacer - g.view) / this.lineHeight, this.maxTop) : 0;
    this.#onChange(true);
  }

  #wheel(e) {
    if (e.ctrlKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) return;
    e.preventDefault();
    const px = e.deltaMode === 1 ? e.deltaY * this.lineHeight : e.deltaMode === 2 ? e.deltaY * this.viewHeight : e.deltaY;
    this.scrollBy(px / this.lineHeight);
  }
}
