// The metadata editor: labels, MIME type and the custom keys as a JSON object. Saving sends only the difference
// (set what changed, unset what was removed); the server's validation errors are shown in the dialog.
import { apiUrl, call } from '../api.js';
import { field, formDialog } from '../dialog.js';
import { h } from '../dom.js';
import { customOf } from './paths.js';

/** Opens the editor for o; answers the updated object, or null when cancelled. */
export function editMetadata(o) {
  const original = customOf(o);
  const originalLabels = o.lbls || [];
  const labels = field('Labels (comma-separated)', { name: 'lbls', value: originalLabels.join(', ') });
  const mime = o.race === 'DIR' ? null : field('MIME type', { name: 'mime', value: o.mime || '' });
  const json = field('Custom keys (a JSON object)', {
    name: 'meta', multiline: true, rows: '10', value: JSON.stringify(original, null, 2),
  });
  const hint = h('p', { class: 'hint' }, 'Example: {"year": 2026, "owner": "ana"}. Remove a key to unset it.');
  return formDialog({
    title: `Metadata of ${o.nm || '/'}`,
    body: [labels, mime, json, hint],
    submitLabel: 'Save',
    onSubmit: async (form) => {
      const edited = parseObject(form.elements.namedItem('meta').value);
      const set = {};
      const unset = [];
      for (const [k, v] of Object.entries(edited)) {
        if (!(k in original) || JSON.stringify(original[k]) !== JSON.stringify(v)) set[k] = v;
      }
      for (const k of Object.keys(original)) if (!(k in edited)) unset.push(k);
      const newLabels = form.elements.namedItem('lbls').value.split(',').map((s) => s.trim()).filter(Boolean);
      if (JSON.stringify(newLabels) !== JSON.stringify(originalLabels)) {
        if (newLabels.length) set.lbls = newLabels;
        else unset.push('lbls');
      }
      if (mime) {
        const value = form.elements.namedItem('mime').value.trim();
        if (value && value !== (o.mime || '')) set.mime = value;
      }
      if (Object.keys(set).length === 0 && unset.length === 0) return o;
      return call('PATCH', apiUrl('meta', o.ph), { json: { set, unset } });
    },
  });
}

function parseObject(text) {
  let value;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (e) {
    throw new Error(`Custom keys are not valid JSON: ${e.message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('Custom keys must be one JSON object: {"key": value, …}');
  }
  return value;
}
