// Gray release: other content for listed client IPs or labels, then promote it to everyone or cancel it.
import { ApiError, call, describe } from '../api.js';
import { clear, h } from '../dom.js';
import { formatTime, itemUrl } from './api.js';

const split = (text) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

export async function mount(root, ctx) {
  const key = ctx.key;
  const current = h('section', { class: 'config-beta', 'aria-label': 'Current gray release' });
  const content = h('textarea', { id: 'beta-content', rows: '10', spellcheck: 'false' });
  const ips = h('input', { id: 'beta-ips', autocomplete: 'off', spellcheck: 'false', placeholder: '10.0.0.5, 10.0.0.6' });
  const labels = h('input', { id: 'beta-labels', autocomplete: 'off', spellcheck: 'false', placeholder: 'canary, zone=a' });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  root.append(current,
    h('form', { class: 'config-editor', 'aria-label': 'Publish a gray release', onsubmit: (e) => { e.preventDefault(); publish(); } },
      h('h3', {}, 'Publish a gray release'),
      h('div', { class: 'config-field' }, h('label', { for: 'beta-ips' }, 'Client IPs'), ips),
      h('div', { class: 'config-field' }, h('label', { for: 'beta-labels' }, 'Client labels'), labels),
      h('div', { class: 'config-field' }, h('label', { for: 'beta-content' }, 'Gray content'), content),
      problem,
      h('div', { class: 'config-actions' }, h('button', { type: 'submit', class: 'primary' }, 'Publish gray release'))));

  async function load() {
    clear(current);
    let beta = null;
    try {
      beta = await call('GET', itemUrl(key, '/beta'));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) {
        current.append(h('p', { class: 'error', role: 'alert' }, describe(err)));
        return;
      }
    }
    if (!beta) {
      current.append(h('p', { class: 'muted' }, 'No gray release: every client gets the released content.'));
      if (!content.value) {
        try {
          content.value = (await call('GET', itemUrl(key))).content || '';
        } catch {
          // A config that does not exist yet can still get a gray release.
        }
      }
      return;
    }
    content.value = beta.content;
    ips.value = beta.ips.join(', ');
    labels.value = beta.labels.join(', ');
    current.append(
      h('h3', {}, 'Current gray release'),
      h('dl', { class: 'fields' },
        h('dt', {}, 'Client IPs'), h('dd', {}, beta.ips.join(', ') || '—'),
        h('dt', {}, 'Labels'), h('dd', {}, beta.labels.join(', ') || '—'),
        h('dt', {}, 'MD5'), h('dd', {}, h('code', { class: 'hash' }, beta.md5)),
        h('dt', {}, 'Published'), h('dd', {}, `${formatTime(beta.modifiedAt)}${beta.modifiedBy ? ` by ${beta.modifiedBy}` : ''}`)),
      h('div', { class: 'config-actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => act('POST', '/beta/promote', 'Promoted the gray release to everyone.') }, 'Promote to everyone'),
        h('button', { type: 'button', class: 'danger', onclick: () => act('DELETE', '/beta', 'Cancelled the gray release.') }, 'Cancel gray release')));
  }

  async function publish() {
    problem.hidden = true;
    try {
      await call('PUT', itemUrl(key, '/beta'), { json: { content: content.value, ips: split(ips.value), labels: split(labels.value) } });
      ctx.notify('Published the gray release.');
      await load();
    } catch (err) {
      problem.textContent = describe(err);
      problem.hidden = false;
    }
  }

  async function act(method, suffix, message) {
    try {
      await call(method, itemUrl(key, suffix));
      ctx.notify(message);
      content.value = '';
      ips.value = '';
      labels.value = '';
      await load();
    } catch (err) {
      ctx.notify(describe(err), { error: true });
    }
  }

  await load();
  return null;
}
