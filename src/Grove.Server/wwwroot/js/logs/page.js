// The Logs page: the list of tasks (#/logs?status=…&name=…) and one task's log (#/logs/<id>?line=<n>, n from 1).
// Its styles are its own file, loaded with the page.
import { h } from '../dom.js';
import { LogView } from './log-view.js';
import { TaskList } from './task-list.js';

let styles = null;

function loadStyles() {
  if (!styles) {
    styles = new Promise((resolve) => {
      const link = h('link', { rel: 'stylesheet', href: 'css/logs.css' });
      link.addEventListener('load', () => resolve());
      link.addEventListener('error', () => resolve());
      document.head.append(link);
    });
  }
  return styles;
}

/** The page module's entry point (see registry.js). */
export async function mount(root, ctx) {
  await loadStyles();
  const page = new LogsPage(root, ctx);
  page.update(ctx.route);
  return page;
}

class LogsPage {
  #root;
  #ctx;
  #current = null;

  constructor(root, ctx) {
    this.#root = root;
    this.#ctx = ctx;
    LogView.bindKeys(ctx.keys, () => (this.#current instanceof LogView ? this.#current : null));
  }

  update(route) {
    const id = route.segments[0];
    const line = Number(route.params.get('line'));
    const at = Number.isInteger(line) && line >= 1 ? line - 1 : null;
    if (id && this.#current instanceof LogView && this.#current.id === id) {
      if (at !== null) this.#current.goTo(at);
      return;
    }
    this.unmount();
    this.#root.replaceChildren();
    if (id) {
      this.#current = new LogView(this.#root, this.#ctx, id);
      this.#current.open(at);
    } else {
      this.#current = new TaskList(this.#root, this.#ctx, route.params);
    }
  }

  unmount() {
    if (this.#current) this.#current.destroy();
    this.#current = null;
  }
}
