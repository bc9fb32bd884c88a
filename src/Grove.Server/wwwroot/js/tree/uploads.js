// Uploads with progress: one row per file with a <progress> bar, one file at a time (a second starts when the
// first is stored). A finished or failed row stays until cleared, so the outcome is never missed.
import { describe, upload } from '../api.js';
import { h } from '../dom.js';
import { formatBytes, joinPath } from './paths.js';

export class Uploads {
  #region;
  #list;
  #queue = Promise.resolve();

  /** region: the element that shows the rows; onStored(object) is called for each stored file. */
  constructor(region, onStored) {
    this.#region = region;
    this.onStored = onStored;
    this.#list = h('ul', { class: 'upload-list' });
    const clearButton = h('button', { type: 'button', class: 'link' }, 'Clear finished');
    clearButton.addEventListener('click', () => {
      for (const li of this.#list.querySelectorAll('li[data-state=done], li[data-state=failed]')) li.remove();
      this.#region.hidden = this.#list.children.length === 0;
    });
    region.append(h('div', { class: 'uploads-head' }, h('h2', {}, 'Uploads'), clearButton), this.#list);
    region.hidden = true;
  }

  /** Queues the files for upload into dir. */
  add(dir, files) {
    for (const file of files) {
      const row = this.#row(file);
      this.#queue = this.#queue.then(() => this.#send(dir, file, row));
    }
  }

  #row(file) {
    const bar = h('progress', { max: '100', value: '0', 'aria-label': `Upload of ${file.name}` });
    const status = h('span', { class: 'upload-status', role: 'status' }, 'Waiting');
    const cancel = h('button', { type: 'button', class: 'link' }, 'Cancel');
    const li = h('li', { 'data-state': 'waiting', 'data-name': file.name },
      h('span', { class: 'upload-name' }, file.name), h('span', { class: 'muted' }, formatBytes(file.size)), bar, status, cancel);
    this.#list.append(li);
    this.#region.hidden = false;
    const abort = new AbortController();
    cancel.addEventListener('click', () => abort.abort());
    return { li, bar, status, cancel, abort };
  }

  async #send(dir, file, row) {
    const { li, bar, status, cancel, abort } = row;
    if (abort.signal.aborted) {
      finish('failed', 'Cancelled');
      return;
    }
    li.dataset.state = 'sending';
    status.textContent = '0%';
    try {
      const stored = await upload(joinPath(dir, file.name), file, {
        signal: abort.signal,
        onProgress: (sent, total) => {
          // Note that 100% waits for the server's answer: bytes sent are not yet bytes stored.
          const pct = total > 0 ? Math.min(99, Math.floor((sent / total) * 100)) : 0;
          bar.value = pct;
          status.textContent = `${pct}%`;
        },
      });
      bar.value = 100;
      finish('done', 'Uploaded');
      this.onStored(stored, dir);
    } catch (err) {
      finish('failed', err && err.name === 'AbortError' ? 'Cancelled' : describe(err));
    }

    function finish(state, text) {
      li.dataset.state = state;
      status.textContent = text;
      if (state === 'failed') {
        status.setAttribute('role', 'alert');
        bar.hidden = true;
      }
      cancel.remove();
    }
  }
}
