// Import and export: a namespace's configs as a zip (Nacos 2's layout), imported all or nothing under a conflict policy.
import { call, describe } from '../api.js';
import { clear, h } from '../dom.js';
import { configUrl } from './api.js';

export async function mount(root) {
  const tenant = h('input', { id: 'export-tenant', autocomplete: 'off', spellcheck: 'false', placeholder: 'public' });
  const group = h('input', { id: 'export-group', autocomplete: 'off', spellcheck: 'false', placeholder: 'all groups' });
  // Note that the export is a plain link: a GET with the session cookie downloads it, no script in between.
  const link = h('a', { class: 'button primary', download: 'configs.zip', 'data-action': 'export' }, 'Export');
  const relink = () => {
    const t = tenant.value.trim() === 'public' ? '' : tenant.value.trim();
    link.setAttribute('href', configUrl('export', { tenant: t, group: group.value.trim() }));
  };
  relink();
  tenant.addEventListener('input', relink);
  group.addEventListener('input', relink);

  const file = h('input', { id: 'import-file', type: 'file', accept: '.zip,application/zip' });
  const importTenant = h('input', { id: 'import-tenant', autocomplete: 'off', spellcheck: 'false', placeholder: 'public' });
  const policy = h('select', { id: 'import-policy' },
    h('option', { value: 'abort' }, 'Abort: import nothing if any config exists'),
    h('option', { value: 'skip' }, 'Skip configs that exist'),
    h('option', { value: 'overwrite' }, 'Overwrite configs that exist'));
  const result = h('div', { role: 'status' });

  root.append(
    h('section', { class: 'config-editor', 'aria-label': 'Export' },
      h('h3', {}, 'Export'),
      h('div', { class: 'config-field' }, h('label', { for: 'export-tenant' }, 'Namespace'), tenant),
      h('div', { class: 'config-field' }, h('label', { for: 'export-group' }, 'Group'), group),
      h('p', { class: 'hint' }, 'Secrets stay sealed: only a server with the same master key can import them.'),
      h('div', { class: 'config-actions' }, link)),
    h('form', { class: 'config-editor', 'aria-label': 'Import', onsubmit: (e) => { e.preventDefault(); doImport(); } },
      h('h3', {}, 'Import'),
      h('div', { class: 'config-field' }, h('label', { for: 'import-file' }, 'Zip file'), file),
      h('div', { class: 'config-field' }, h('label', { for: 'import-tenant' }, 'Into namespace'), importTenant),
      h('div', { class: 'config-field' }, h('label', { for: 'import-policy' }, 'When a config exists'), policy),
      h('div', { class: 'config-actions' }, h('button', { type: 'submit', class: 'primary' }, 'Import')),
      result));

  async function doImport() {
    clear(result);
    const chosen = file.files && file.files[0];
    if (!chosen) {
      result.append(h('p', { class: 'error', role: 'alert' }, 'Choose a zip file first.'));
      return;
    }
    const t = importTenant.value.trim() === 'public' ? '' : importTenant.value.trim();
    try {
      const done = await call('POST', configUrl('import', { tenant: t, policy: policy.value }), { body: chosen, headers: { 'Content-Type': 'application/zip' } });
      result.append(h('p', {}, `Imported: ${done.created.length} created, ${done.updated.length} updated, ${done.skipped.length} skipped.`));
    } catch (err) {
      result.append(h('p', { class: 'error', role: 'alert' }, describe(err)));
    }
  }

  return null;
}
