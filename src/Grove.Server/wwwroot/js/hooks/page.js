// The Hooks page (admins only): every hook with its target, how far it has delivered (revision), and its delivery
// status — "ok", or failing with the number of failures in a row and the last error — over GET /api/v1/hooks; add,
// test and delete (docs/watch-hooks-queues.md). Address: #/hooks. Refreshes every 5 s while shown.
import { call, describe } from '../api.js';
import { field, formDialog, infoDialog } from '../dialog.js';
import { clear, h } from '../dom.js';
import { formatTime } from '../format.js';

const RefreshMs = 5000;
const Kinds = ['create', 'write', 'meta', 'move', 'delete'];

function ensureStyles() {
  if (document.querySelector('link[data-queues-styles]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: 'css/queues.css', 'data-queues-styles': true }));
}

/** "ok", or "failing (3): connection refused". */
export function status(hook) {
  if (!hook.lastError) return 'ok';
  return hook.failures > 0 ? `failing (${hook.failures}): ${hook.lastError}` : `last test failed: ${hook.lastError}`;
}

/** The page module's entry point (see registry.js). */
export async function mount(root, ctx) {
  ensureStyles();
  const hooks = h('tbody');
  root.append(
    h('div', { class: 'queues-head' },
      h('h1', { class: 'queues-title' }, 'Hooks'),
      h('div', { class: 'row-actions' },
        h('button', { type: 'button', onclick: () => refresh() }, 'Refresh'),
        h('button', { type: 'button', class: 'primary', onclick: () => addHook() }, 'Add hook'))),
    h('p', { class: 'hint' }, 'Committed changes under a path, posted to a webhook (signed with HMAC-SHA256) or pushed into a queue, at least once and in order. A failing hook retries with back-off before any later event.'),
    h('table', { class: 'queues-table', 'aria-label': 'Hooks' },
      h('thead', {}, h('tr', {}, ['Path', 'On', 'Target', 'Revision', 'Status', 'Last attempt', ''].map((c) => h('th', { scope: 'col' }, c)))),
      hooks));

  async function loadHooks() {
    const { items } = await call('GET', '/api/v1/hooks');
    clear(hooks).append(...items.map((k) => h('tr', { 'data-hook': k.id, class: k.lastError ? 'failing' : null },
      h('td', {}, k.path),
      h('td', {}, k.on.join(', ')),
      h('td', {}, k.url ? h('code', {}, k.url) : `queue ${k.queue}`),
      h('td', { class: 'num' }, String(k.revision)),
      h('td', { class: 'status' }, status(k)),
      h('td', {}, k.lastAttempt ? formatTime(k.lastAttempt) : ''),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', onclick: () => testHook(k) }, 'Test'),
        h('button', { type: 'button', class: 'danger', onclick: () => removeHook(k) }, 'Delete')))));
    if (items.length === 0) hooks.append(h('tr', {}, h('td', { colspan: '7', class: 'muted' }, 'No hooks yet.')));
  }

  let failed = false;
  async function refresh() {
    try {
      await loadHooks();
      failed = false;
    } catch (err) {
      if (!failed) ctx.notify(`Could not load the hooks: ${describe(err)}`, { error: true });
      failed = true;
    }
  }

  async function addHook() {
    const created = await formDialog({
      title: 'Add a hook',
      body: [
        field('Path', { name: 'path', required: true, value: '/' }),
        h('fieldset', { class: 'check-group' }, h('legend', {}, 'On'),
          Kinds.map((k) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'on', value: k, checked: k === 'create' || k === 'write' }), k))),
        field('Webhook URL', { name: 'url', type: 'url', placeholder: 'https://example.org/grove-hook' }),
        field('or queue', { name: 'queue', placeholder: '/events' }),
      ],
      submitLabel: 'Add',
      onSubmit: (form) => call('POST', '/api/v1/hooks', {
        json: {
          path: form.elements.path.value.trim(),
          on: [...form.querySelectorAll('input[name=on]:checked')].map((c) => c.value),
          url: form.elements.url.value.trim() || undefined,
          queue: form.elements.queue.value.trim() || undefined,
        },
      }),
    });
    if (!created) return;
    await refresh();
    const secret = h('input', { class: 'queues-secret', readonly: true, value: created.secret, 'aria-label': 'The signing secret' });
    const shown = infoDialog(`Hook on ${created.path}`, [
      h('p', {}, 'The receiver checks X-Grove-Signature with this secret. Copy it now: it is shown this once.'), secret]);
    secret.select();
    await shown;
  }

  async function testHook(k) {
    try {
      const answer = await call('POST', `/api/v1/hooks/${encodeURIComponent(k.id)}/test`);
      if (answer.delivered) ctx.notify(`The test event to ${k.url || k.queue} was delivered.`);
      else ctx.notify(`The test event failed: ${answer.error}`, { error: true });
    } catch (err) {
      ctx.notify(`Could not test the hook: ${describe(err)}`, { error: true });
    }
    await refresh();
  }

  async function removeHook(k) {
    const done = await formDialog({
      title: `Delete the hook on ${k.path}?`,
      body: [h('p', {}, 'Changes are no longer delivered to it.')],
      submitLabel: 'Delete',
      danger: true,
      onSubmit: async () => {
        await call('DELETE', `/api/v1/hooks/${encodeURIComponent(k.id)}`);
        return true;
      },
    });
    if (done) {
      ctx.notify(`Deleted the hook on ${k.path}.`);
      await refresh();
    }
  }

  await refresh();
  const timer = setInterval(() => { if (!document.hidden) refresh(); }, RefreshMs);
  return { unmount: () => clearInterval(timer) };
}
