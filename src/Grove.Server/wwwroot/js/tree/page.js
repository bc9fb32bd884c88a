// The tree browser: breadcrumbs, a virtual listing paged from /api/v1/ls (or a query's results), the details of the
// selected entry, uploads, and the dialogs that change the tree. Address: #/tree/<dir segments>?select=<name>.
import { apiUrl, call, describe } from '../api.js';
import { h } from '../dom.js';
import { objectIcon } from '../icons.js';
import { deleteObject, newFolder, renameOrMove } from './actions.js';
import { renderDetails } from './details.js';
import { bindKeys } from './keys.js';
import { editMetadata } from './meta-editor.js';
import { Pager } from './pager.js';
import { compareNames, formatBytes, formatTime, joinPath, nameOf, parentOf, pathOf, segmentsOf } from './paths.js';
import { SearchForm } from './search.js';
import { Uploads } from './uploads.js';
import { VirtualList } from './virtual-list.js';

/** The folders the services keep in the root of a new server (task logs, record sets, users and settings). */
const SERVICE_FOLDERS = ['logs', 'records', 'sys'];

/** The page module's entry point (see registry.js). */
export function mount(root, ctx) {
  return new TreePage(root, ctx);
}

class TreePage {
  dir = null;
  mode = 'dir';
  pager = null;

  constructor(root, ctx) {
    this.ctx = ctx;
    this.crumbs = h('ol', {});
    this.fileInput = h('input', { type: 'file', multiple: true, class: 'visually-hidden', id: 'upload-input', tabindex: '-1', 'aria-label': 'Upload files' });
    this.fileInput.addEventListener('change', () => {
      this.uploads.add(this.dir, [...this.fileInput.files]);
      this.fileInput.value = '';
    });
    this.search = new SearchForm({ onSearch: (q) => this.showSearch(q), onClear: () => this.endSearch() });
    const uploadRegion = h('section', { class: 'uploads', 'aria-label': 'Uploads' });
    this.uploads = new Uploads(uploadRegion, (o, dir) => {
      if (this.mode === 'dir' && dir === this.dir) this.upsert(o);
    });
    this.listError = h('p', { class: 'error list-error', role: 'alert', hidden: true });
    this.listbox = h('div', { class: 'listbox', role: 'listbox', tabindex: '0', 'aria-label': 'Contents' });
    this.status = h('span', { class: 'list-status', 'aria-live': 'polite' });
    this.loadMore = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => this.more() }, 'Load more');
    this.details = h('section', { class: 'details', 'aria-label': 'Details' });
    this.list = new VirtualList(this.listbox, {
      rowHeight: 32,
      idPrefix: 'entry',
      renderRow: (row, o) => this.renderRow(row, o),
      onNearEnd: () => this.more(),
      onSelect: () => this.showDetails(),
      onActivate: (i) => this.open(this.list.items[i]),
    });
    const listing = h('div', { class: 'listing' },
      h('div', { class: 'list-head', 'aria-hidden': 'true' }, h('span', {}), h('span', {}, 'Name'), h('span', {}, 'Size'), h('span', {}, 'Modified')),
      this.listError, this.listbox,
      h('div', { class: 'list-foot' }, this.status, this.loadMore));
    listing.addEventListener('dragover', (e) => {
      if (e.dataTransfer && [...e.dataTransfer.types].includes('Files')) e.preventDefault();
    });
    listing.addEventListener('drop', (e) => {
      if (!e.dataTransfer || e.dataTransfer.files.length === 0) return;
      e.preventDefault();
      this.uploads.add(this.dir, [...e.dataTransfer.files]);
    });
    root.append(
      h('div', { class: 'toolbar' },
        h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumbs' }, this.crumbs),
        h('div', { class: 'tools' },
          h('button', { type: 'button', onclick: () => this.newFolder(), 'aria-keyshortcuts': 'n' }, 'New folder'),
          h('button', { type: 'button', onclick: () => this.fileInput.click(), 'aria-keyshortcuts': 'u' }, 'Upload…'),
          this.fileInput,
          h('button', { type: 'button', onclick: () => this.showDir(this.dir) }, 'Refresh'))),
      this.search.element,
      uploadRegion,
      h('div', { class: 'browser' }, listing, this.details));
    bindKeys(this, ctx.keys);
    this.update(ctx.route);
  }

  /** The address changed (the shell calls this for #/tree/...). */
  update(route) {
    const dir = pathOf(route.segments);
    const previous = this.dir;
    // Going up selects the folder we came from.
    const select = route.params.get('select') || (previous && parentOf(previous) === dir && previous !== dir ? nameOf(previous) : null);
    this.showDir(dir, select);
  }

  unmount() {
    if (this.pager) this.pager.cancel();
  }

  go(dir, select) {
    this.ctx.navigate(this.ctx.hashOf('tree', segmentsOf(dir), select ? { select } : undefined));
  }

  up() {
    if (this.mode === 'search') this.endSearch();
    else if (this.dir !== '/') this.go(parentOf(this.dir));
  }

  showDir(dir, select = null) {
    this.dir = dir;
    this.mode = 'dir';
    this.search.ended();
    this.search.setParent(dir);
    this.renderCrumbs();
    this.ctx.setTitle(dir);
    this.listbox.setAttribute('aria-label', `Contents of ${dir}`);
    const page = (after, limit, signal) => call('GET', apiUrl('ls', dir, { after, limit }), { signal });
    this.start(new Pager(page, { compare: compareNames }), select);
  }

  showSearch({ where, parent, sort }) {
    this.mode = 'search';
    this.listbox.setAttribute('aria-label', 'Search results');
    const body = (after, limit) => ({ parent, where, sort: sort.length ? sort : undefined, limit, after: after || undefined });
    this.start(new Pager((after, limit, signal) => call('POST', '/api/v1/query', { json: body(after, limit), signal }), { firstLimit: 200, limit: 1000 }));
  }

  endSearch() {
    this.showDir(this.dir);
    this.listbox.focus();
  }

  start(pager, select = null) {
    if (this.pager) this.pager.cancel();
    this.pager = pager;
    this.list.reset();
    this.listError.hidden = true;
    this.showDetails();
    this.status.textContent = 'Loading…';
    this.more().then(() => {
      if (pager !== this.pager || pager.items.length === 0) return;
      const at = select ? pager.items.findIndex((o) => o.nm === select) : -1;
      this.list.select(Math.max(0, at));
      const focus = document.activeElement;
      if (focus === document.body || focus === null || this.listbox.contains(focus)) this.listbox.focus();
    });
  }

  /** Loads the next page of the current listing. */
  more(limit) {
    const pager = this.pager;
    return pager.more(limit).then(() => {
      if (pager === this.pager) this.refresh();
    }, (err) => {
      if (pager !== this.pager) return;
      this.listError.textContent = describe(err);
      this.listError.hidden = false;
      this.status.textContent = '';
    });
  }

  /** Loads every remaining page, then selects the last entry (End). */
  async end() {
    const pager = this.pager;
    while (pager === this.pager && !pager.done && !pager.error) {
      this.status.textContent = `Loading… ${pager.items.length.toLocaleString('en')} entries so far`;
      await this.more(5000);
    }
    if (pager === this.pager) this.list.select(pager.items.length - 1);
  }

  refresh() {
    const { items, done } = this.pager;
    this.list.setItems(items, !done);
    const n = items.length;
    const what = this.mode === 'search' ? (n === 1 ? 'result' : 'results') : (n === 1 ? 'entry' : 'entries');
    this.status.textContent = done
      ? `${n.toLocaleString('en')} ${what}`
      : `${n.toLocaleString('en')} ${what} loaded; more below`;
    this.loadMore.hidden = done;
    if (done && items.length === 0) this.status.textContent = this.mode === 'search' ? 'No results.' : 'This folder is empty.';
    if (done && this.mode === 'dir' && this.dir === '/' && this.ctx.user.admin && items.every((o) => SERVICE_FOLDERS.includes(o.nm))) {
      // Note that a new server holds only the services' own folders: say how to see every page with real data at once.
      this.status.textContent += ` · New here? Fill every page with sample data: grove demo --server ${location.origin}`;
    }
  }

  renderRow(row, o) {
    const isDir = o.race === 'DIR';
    row.dataset.name = o.nm;
    row.dataset.race = o.race;
    if (o.hidden) {
      // An entry the user may not read: the listing shows only that the name is taken.
      row.dataset.hidden = 'true';
      row.setAttribute('aria-label', `${o.nm}, ${isDir ? 'folder' : 'file'}, no read access`);
      row.replaceChildren(
        objectIcon(o),
        h('span', { class: 'name', title: `${o.ph}: you may not read it` }, this.mode === 'search' ? o.ph : o.nm),
        h('span', { class: 'size' }, ''),
        h('span', { class: 'time' }, 'no access'));
      return;
    }

    row.setAttribute('aria-label', isDir ? `${o.nm}, folder` : `${o.nm}, ${formatBytes(o.len)}`);
    row.replaceChildren(
      objectIcon(o),
      h('span', { class: 'name', title: o.ph }, this.mode === 'search' ? o.ph : o.nm),
      h('span', { class: 'size' }, isDir ? '' : formatBytes(o.len)),
      h('span', { class: 'time' }, formatTime(o.lm)));
  }

  renderCrumbs() {
    const parts = segmentsOf(this.dir);
    const crumb = (label, path, current) => h('li', {}, current
      ? h('a', { 'aria-current': 'page', href: this.ctx.hashOf('tree', segmentsOf(path)) }, label)
      : h('a', { href: this.ctx.hashOf('tree', segmentsOf(path)) }, label));
    this.crumbs.replaceChildren(
      crumb('Root', '/', parts.length === 0),
      ...parts.map((name, i) => crumb(name, pathOf(parts.slice(0, i + 1)), i === parts.length - 1)));
  }

  showDetails() {
    renderDetails(this.details, this.list.selectedItem, {
      onOpen: (o) => this.open(o),
      onEdit: (o) => this.editMetadata(o),
      onMove: (o) => this.move(o),
      onDelete: (o) => this.remove(o),
    });
  }

  /** Enter or double-click: a folder opens; a file found by search opens in its folder; a file shows its actions. */
  open(o) {
    if (!o) return;
    if (o.race === 'DIR') this.go(o.ph);
    else if (this.mode === 'search') this.go(parentOf(o.ph), o.nm);
    else {
      const first = this.details.querySelector('a, button');
      if (first) first.focus();
    }
  }

  /** Puts an object into the loaded listing at its place in name order, keeping the selection. */
  upsert(o) {
    const selected = this.list.selectedItem;
    if (!this.pager.put(o)) return; // It belongs to a page not loaded yet.
    this.reselect(selected && selected.nm === o.nm ? o : selected);
  }

  removeItem(o) {
    const items = this.pager.items;
    // Note that search results may hold one name twice (from two folders): there the object itself is taken out.
    const at = this.mode === 'dir' ? this.pager.remove(o) : items.indexOf(o);
    if (at < 0) return;
    if (this.mode !== 'dir') items.splice(at, 1);
    this.list.setItems(items, !this.pager.done);
    if (items.length) this.list.select(Math.min(at, items.length - 1));
    else this.showDetails();
    this.refresh();
  }

  reselect(o) {
    this.refresh();
    this.list.refresh();
    const at = o ? this.pager.items.indexOf(o) : -1;
    if (at >= 0) this.list.select(at);
    else this.showDetails();
  }

  async newFolder() {
    const created = await newFolder(this.dir);
    if (!created) return;
    if (this.mode === 'dir') this.upsert(created);
    this.reselect(created);
    this.ctx.notify(`Created folder ${created.ph}`);
  }

  async editMetadata(o) {
    const updated = await editMetadata(o);
    if (!updated || updated === o) return;
    const at = this.pager.items.indexOf(o);
    if (at >= 0) this.pager.items[at] = updated;
    this.reselect(updated);
    this.ctx.notify(`Saved the metadata of ${updated.ph}`);
  }

  async move(o) {
    const moved = await renameOrMove(o);
    if (!moved) return;
    if (this.mode === 'search') {
      this.pager.items[this.pager.items.indexOf(o)] = moved;
      this.reselect(moved);
    } else {
      this.removeItem(o);
      if (parentOf(moved.ph) === this.dir) {
        this.upsert(moved);
        this.reselect(moved);
      }
    }
    this.ctx.notify(`Moved to ${moved.ph}`);
  }

  async remove(o) {
    if (!(await deleteObject(o))) return;
    this.removeItem(o);
    this.listbox.focus();
    this.ctx.notify(`Deleted ${o.ph}`);
  }
}
