// Create and edit a config: validation and a diff against what is served before anything is published, and a
// compare-and-swap publish (If-Match: the MD5 the editor loaded), so a change made meanwhile is never overwritten.
import { ApiError, describe } from '../api.js';
import { formDialog } from '../dialog.js';
import { clear, h } from '../dom.js';
import { deleteConfig, diffView, getConfig, previewConfig, publishConfig, viewHash } from './api.js';

const TYPES = ['text', 'json', 'yaml', 'properties', 'xml', 'html'];

export async function mount(root, ctx) {
  const isNew = ctx.view === 'new';
  let loaded = null;
  if (!isNew) {
    try {
      loaded = await getConfig(ctx.key);
    } catch (err) {
      root.append(h('p', { class: 'error', role: 'alert' }, describe(err)));
      return null;
    }
  }

  const input = (id, props) => h('input', { id, autocomplete: 'off', spellcheck: 'false', ...props });
  const f = {
    tenant: input('config-tenant', { value: isNew ? ctx.route.params.get('tenant') || '' : ctx.key.tenant, disabled: !isNew, placeholder: 'public' }),
    group: input('config-group', { value: isNew ? 'DEFAULT_GROUP' : ctx.key.group, disabled: !isNew, required: true }),
    dataId: input('config-dataid', { value: isNew ? '' : ctx.key.dataId, disabled: !isNew, required: true }),
    type: h('select', { id: 'config-type' }, TYPES.map((t) => h('option', { value: t }, t))),
    desc: input('config-desc', { value: loaded?.desc || '' }),
    tags: input('config-tags', { value: (loaded?.tags || []).join(', ') }),
    secret: h('input', { id: 'config-secret', type: 'checkbox', checked: !!loaded?.secret }),
    content: h('textarea', { id: 'config-content', rows: '18', spellcheck: 'false', value: loaded?.content || '' }),
  };
  f.type.value = loaded?.type || 'text';
  const row = (id, text, el) => h('div', { class: 'config-field' }, h('label', { for: id }, text), el);
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const review = h('section', { class: 'config-review', 'aria-label': 'Review', hidden: true });
  const reviewBtn = h('button', { type: 'button', class: 'primary', onclick: () => doReview() }, 'Review changes');
  const publishBtn = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => doPublish() }, 'Publish');
  const deleteBtn = isNew ? null : h('button', { type: 'button', class: 'danger', onclick: () => doDelete() }, 'Delete');
  let reviewed = null;
  const revision = h('p', { class: 'hint config-revision' });
  const showRevision = () => {
    revision.textContent = loaded ? `Revision ${loaded.revision}, MD5 ${loaded.md5 || 'hidden'}, ${loaded.size} bytes` : '';
    revision.hidden = !loaded;
  };
  showRevision();

  root.append(
    h('form', { class: 'config-editor', 'aria-label': isNew ? 'New config' : 'Edit config', onsubmit: (e) => { e.preventDefault(); doReview(); } },
      h('div', { class: 'config-grid' },
        row('config-tenant', 'Namespace', f.tenant),
        row('config-group', 'Group', f.group),
        row('config-dataid', 'Data ID', f.dataId),
        row('config-type', 'Type', f.type),
        row('config-desc', 'Description', f.desc),
        row('config-tags', 'Tags', f.tags),
        h('label', { class: 'check', for: 'config-secret' }, f.secret, 'Secret (encrypted at rest)')),
      row('config-content', 'Content', f.content),
      revision,
      problem,
      h('div', { class: 'config-actions' }, reviewBtn, publishBtn, deleteBtn)),
    review);

  // Any edit needs a new review before it can be published.
  root.addEventListener('input', () => {
    reviewed = null;
    publishBtn.disabled = true;
  });

  function keyOf() {
    return { tenant: f.tenant.value.trim() === 'public' ? '' : f.tenant.value.trim(), group: f.group.value.trim(), dataId: f.dataId.value.trim() };
  }

  async function doReview() {
    problem.hidden = true;
    const key = keyOf();
    if (!key.group || !key.dataId) {
      showProblem('Group and Data ID are required.');
      return;
    }
    try {
      const result = await previewConfig(key, f.content.value, f.type.value);
      clear(review).append(h('h3', {}, isNew ? 'New content' : 'Changes against the served content'), diffView(result.unified));
      review.hidden = false;
      if (!result.valid) {
        // Note that the server's message already says what and where ("not valid yaml at line 2, column 9: …").
        const message = result.error.message;
        showProblem(message.charAt(0).toUpperCase() + message.slice(1));
        return;
      }
      reviewed = { content: f.content.value };
      publishBtn.disabled = false;
      publishBtn.focus();
    } catch (err) {
      showProblem(describe(err));
    }
  }

  async function doPublish() {
    if (!reviewed) return;
    const key = keyOf();
    const body = {
      content: f.content.value,
      type: f.type.value,
      desc: f.desc.value,
      tags: f.tags.value.split(',').map((t) => t.trim()).filter(Boolean),
      secret: f.secret.checked,
    };
    publishBtn.disabled = true;
    try {
      const result = await publishConfig(key, body, isNew ? { createOnly: true } : { ifMd5: loaded.md5 });
      const message = `Published ${key.group}/${key.dataId} (revision ${result.revision}).`;
      if (isNew) {
        // Note that the shell clears notices when the address changes: tell once the editor's address is shown.
        window.addEventListener('hashchange', () => setTimeout(() => ctx.notify(message)), { once: true });
        ctx.navigate(viewHash(ctx, 'edit', key));
      } else {
        ctx.notify(message);
        // The editor now holds what is served: the next publish is checked against this revision's MD5.
        loaded = { ...loaded, ...result };
        showRevision();
        reviewed = null;
        review.hidden = true;
      }
    } catch (err) {
      const stale = err instanceof ApiError && err.status === 409;
      showProblem(stale && !isNew ? 'This config changed since you opened it; reload the page to see the new version.' : describe(err));
    }
  }

  async function doDelete() {
    const key = keyOf();
    const done = await formDialog({
      title: `Delete ${key.group}/${key.dataId}?`,
      body: [h('p', {}, 'Its history keeps the last content, so it can be restored by a rollback.')],
      submitLabel: 'Delete',
      danger: true,
      onSubmit: async () => {
        await deleteConfig(key);
        return true;
      },
    });
    if (done) {
      ctx.notify(`Deleted ${key.group}/${key.dataId}.`);
      ctx.navigate(ctx.hashOf('config'));
    }
  }

  function showProblem(text) {
    problem.textContent = text;
    problem.hidden = false;
  }

  (isNew ? f.dataId : f.content).focus();
  return null;
}
