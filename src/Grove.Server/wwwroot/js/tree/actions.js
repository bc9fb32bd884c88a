// The dialogs that change the tree: new folder, rename or move, delete.
import { apiUrl, call } from '../api.js';
import { field, formDialog } from '../dialog.js';
import { h } from '../dom.js';
import { joinPath } from './paths.js';

/** Asks for a name and creates the directory in dir; answers the new object or null. */
export function newFolder(dir) {
  return formDialog({
    title: `New folder in ${dir}`,
    body: [field('Folder name', { name: 'name', required: true, autofocus: true })],
    submitLabel: 'Create',
    onSubmit: async (form) => {
      const name = form.elements.namedItem('name').value.trim();
      if (!name) throw new Error('Enter a name.');
      if (name.includes('/')) throw new Error('A name cannot contain "/".');
      return call('POST', apiUrl('dirs', joinPath(dir, name), { parents: false }));
    },
  });
}

/** Asks for a new path (a plain name renames in place) and moves; answers the moved object or null. */
export function renameOrMove(o) {
  return formDialog({
    title: `Rename or move ${o.nm}`,
    body: [
      field('New name or path', { name: 'to', value: o.ph, required: true, autofocus: true }),
      h('p', { class: 'hint' }, 'A name renames in place; a path starting with / moves (missing folders are not created).'),
    ],
    submitLabel: 'Move',
    onSubmit: async (form) => {
      const text = form.elements.namedItem('to').value.trim();
      if (!text) throw new Error('Enter a name or a path.');
      const parent = o.ph.slice(0, o.ph.lastIndexOf('/')) || '/';
      const to = text.startsWith('/') ? text : joinPath(parent, text);
      if (to === o.ph) return null;
      return call('POST', '/api/v1/move', { json: { from: o.ph, to } });
    },
  });
}

/** Confirms and deletes; a directory with children needs the box ticked. Answers true when deleted. */
export function deleteObject(o) {
  const isDir = o.race === 'DIR';
  const recursive = isDir ? h('input', { type: 'checkbox', name: 'recursive', id: 'delete-recursive' }) : null;
  return formDialog({
    title: `Delete ${o.nm}?`,
    body: [
      h('p', {}, isDir ? `The folder ${o.ph} will be deleted.` : `The file ${o.ph} will be deleted.`),
      isDir ? h('p', { class: 'check' }, recursive, h('label', { for: 'delete-recursive' }, 'Also delete everything inside it')) : null,
    ],
    submitLabel: 'Delete',
    danger: true,
    onSubmit: async () => {
      await call('DELETE', apiUrl('objects', o.ph, recursive && recursive.checked ? { recursive: true } : undefined));
      return true;
    },
  });
}
