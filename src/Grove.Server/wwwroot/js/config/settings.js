// The request counter: the seed's refuse-request count (requests per client address per window; 0 turns it off).
// Diamond's users are Grove's users (editors are in the group "config"); they are managed on the Admin page.
import { call, describe } from '../api.js';
import { h } from '../dom.js';

export async function mount(root, ctx) {
  const counter = h('input', { id: 'limiter-count', type: 'number', min: '0', step: '1' });
  const counterNote = h('p', { class: 'hint' });
  const counterForm = h('form', { class: 'config-editor', 'aria-label': 'Request counter', onsubmit: (e) => { e.preventDefault(); saveCounter(); } },
    h('h3', {}, 'Request counter'),
    h('div', { class: 'config-field' }, h('label', { for: 'limiter-count' }, 'Requests per client per window'), counter),
    counterNote,
    ctx.user.admin ? h('div', { class: 'config-actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save')) : null);
  root.append(counterForm);
  if (ctx.user.admin) {
    // Note that Diamond's users are Grove's users: they are managed with groups and API keys on their own page.
    root.append(h('p', { class: 'hint' }, 'Config editors are the users in the group "config": add and remove them on the ',
      h('a', { href: ctx.hashOf('admin') }, 'Admin page'), '.'));
  }

  async function loadCounter() {
    try {
      const limiter = await call('GET', '/api/v1/config/limiter');
      counter.value = String(limiter.refuseRequestCount);
      counterNote.textContent = `per ${limiter.windowSeconds} s; over it clients get 503 with a randomized Retry-After.`;
      counter.disabled = !ctx.user.admin;
    } catch (err) {
      counterNote.textContent = describe(err);
    }
  }

  async function saveCounter() {
    try {
      await call('PUT', '/api/v1/config/limiter', { json: { refuseRequestCount: Number(counter.value) } });
      ctx.notify(`The request counter is ${counter.value}.`);
    } catch (err) {
      ctx.notify(describe(err), { error: true });
    }
  }

  await loadCounter();
  return null;
}
