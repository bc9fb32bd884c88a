// The details panel: every field of the selected object, its custom metadata and labels, and its actions.
import { apiUrl } from '../api.js';
import { clear, h } from '../dom.js';
import { customOf, formatBytes, formatMode, formatTime } from './paths.js';

/**
 * Draws the object's details into panel. actions: { onEdit, onMove, onDelete, onOpen } (buttons call them).
 * Download and Open are plain links: a GET with the session cookie, no script in between.
 */
export function renderDetails(panel, o, actions) {
  clear(panel);
  if (!o) {
    panel.append(h('h2', {}, 'Details'), h('p', { class: 'muted' }, 'Select an entry to see its details.'));
    return;
  }
  const isDir = o.race === 'DIR';
  const rows = [
    ['Path', o.ph],
    ['Kind', isDir ? 'Directory' : 'File'],
    !isDir && ['Size', o.len < 1024 ? formatBytes(o.len) : `${formatBytes(o.len)} (${o.len.toLocaleString('en')} bytes)`],
    !isDir && ['MIME type', o.mime],
    o.tp && ['Type', o.tp],
    ['Owner', o.c],
    ['Group', o.g],
    ['Mode', formatMode(o.md)],
    ['Modified', `${formatTime(o.lm)}${o.m ? ` by ${o.m}` : ''}`],
    ['Created', formatTime(o.ct)],
    ['Version', o.v],
    o.mnt && ['Mount', o.mnt],
    o.ln && ['Link', o.ln],
    o.expi && ['Expires', formatTime(o.expi)],
    o.sha256 && !isDir && ['SHA-256', h('code', { class: 'hash' }, o.sha256)],
  ].filter(Boolean);
  const custom = Object.entries(customOf(o));
  const download = isDir ? null : h('a', {
    class: 'button', href: apiUrl('files', o.ph, { download: true }), download: o.nm, 'data-action': 'download',
  }, 'Download');
  const open = isDir
    ? h('button', { type: 'button', onclick: () => actions.onOpen(o) }, 'Open')
    : h('a', { class: 'button', href: apiUrl('files', o.ph), target: '_blank', rel: 'noopener noreferrer' }, 'View');

  panel.append(
    h('h2', { class: 'details-name', title: o.nm }, o.nm || '/'),
    h('div', { class: 'details-actions' },
      download,
      open,
      h('button', { type: 'button', onclick: () => actions.onEdit(o) }, 'Edit metadata'),
      h('button', { type: 'button', onclick: () => actions.onMove(o) }, 'Rename or move'),
      h('button', { type: 'button', class: 'danger', onclick: () => actions.onDelete(o) }, 'Delete')),
    h('dl', { class: 'fields' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v === undefined ? '' : v)])),
    h('h3', {}, 'Labels'),
    o.lbls && o.lbls.length
      ? h('ul', { class: 'labels', 'aria-label': 'Labels' }, o.lbls.map((l) => h('li', {}, l)))
      : h('p', { class: 'muted' }, 'No labels.'),
    h('h3', {}, 'Metadata'),
    custom.length
      ? h('dl', { class: 'fields custom', 'aria-label': 'Custom metadata' },
        custom.map(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'string' ? v : JSON.stringify(v))]))
      : h('p', { class: 'muted' }, 'No custom keys.'));
}
