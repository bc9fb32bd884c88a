// Users and the request counter: Diamond's users are Grove's users (editors are in the group "config"), and the
// counter is the seed's refuse-request count (requests per client address per window; 0 turns it off).
import { call, describe } from '../api.js';
import { formDialog, field } from '../dialog.js';
import { clear, h } from '../dom.js';

export async function mount(root, ctx) {
  const counter = h('input', { id: 'limiter-count', type: 'number', min: '0', step: '1' });
  const counterNote = h('p', { class: 'hint' });
  const counterForm = h('form', { class: 'config-editor', 'aria-label': 'Request counter', onsubmit: (e) => { e.preventDefault(); saveCounter(); } },
    h('h3', {}, 'Request counter'),
    h('div', { class: 'config-field' }, h('label', { for: 'limiter-count' }, 'Requests per client per window'), counter),
    counterNote,
    ctx.user.admin ? h('div', { class: 'config-actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save')) : null);
  const users = h('tbody');
  root.append(counterForm);
  if (ctx.user.admin) {
    root.append(h('section', { 'aria-label': 'Users' },
      h('h3', {}, 'Users'),
      h('table', { class: 'config-table', 'aria-label': 'Users' },
        h('thead', {}, h('tr', {}, ['User', 'Groups', 'Admin', ''].map((t) => h('th', { scope: 'col' }, t)))),
        users),
      h('div', { class: 'config-actions' }, h('button', { type: 'button', onclick: () => addUser() }, 'Add user'))));
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

  async function loadUsers() {
    try {
      const list = await call('GET', '/api/v1/users');
      clear(users).append(...list.map((u) => h('tr', { 'data-user': u.name },
        h('td', {}, u.name),
        h('td', {}, u.groups.join(', ')),
        h('td', {}, u.isAdmin || u.admin ? 'yes' : 'no'),
        h('td', { class: 'row-actions' },
          h('button', { type: 'button', onclick: () => changePassword(u.name) }, 'Change password'),
          u.name === ctx.user.user ? null : h('button', { type: 'button', class: 'danger', onclick: () => removeUser(u.name) }, 'Delete')))));
    } catch (err) {
      ctx.notify(describe(err), { error: true });
    }
  }

  async function addUser() {
    const added = await formDialog({
      title: 'Add a user',
      body: [
        field('User name', { name: 'name', required: true }),
        field('Password', { name: 'password', type: 'password', autocomplete: 'new-password', required: true }),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'editor', checked: true }), 'May change configs (group config)'),
      ],
      submitLabel: 'Add',
      onSubmit: (form) => call('POST', '/api/v1/users', {
        json: { name: form.elements.name.value.trim(), password: form.elements.password.value, groups: form.elements.editor.checked ? ['config'] : [] },
      }),
    });
    if (added) {
      ctx.notify(`Added ${added.name}.`);
      await loadUsers();
    }
  }

  async function changePassword(name) {
    const done = await formDialog({
      title: `New password for ${name}`,
      body: [field('Password', { name: 'password', type: 'password', autocomplete: 'new-password', required: true })],
      onSubmit: async (form) => {
        await call('POST', `/api/v1/users/${encodeURIComponent(name)}/password`, { json: { password: form.elements.password.value } });
        return true;
      },
    });
    if (done) ctx.notify(`Changed the password of ${name}.`);
  }

  async function removeUser(name) {
    const done = await formDialog({
      title: `Delete ${name}?`,
      body: [h('p', {}, 'Their sessions and API keys stop working at once.')],
      submitLabel: 'Delete',
      danger: true,
      onSubmit: async () => {
        await call('DELETE', `/api/v1/users/${encodeURIComponent(name)}`);
        return true;
      },
    });
    if (done) {
      ctx.notify(`Deleted ${name}.`);
      await loadUsers();
    }
  }

  await loadCounter();
  if (ctx.user.admin) await loadUsers();
  return null;
}
