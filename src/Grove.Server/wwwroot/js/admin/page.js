// The Admin page (admins only): users, groups and the signed-in admin's API keys, over /api/v1/users, /groups and
// /keys (docs/api.md). Address: #/admin. Its stylesheet is its own file, loaded with the page.
import { call, describe } from '../api.js';
import { field, formDialog, infoDialog } from '../dialog.js';
import { clear, h } from '../dom.js';
import { formatTime } from '../format.js';

const list = (text) => text.split(',').map((t) => t.trim()).filter(Boolean);

function ensureStyles() {
  if (document.querySelector('link[data-admin-styles]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: 'css/admin.css', 'data-admin-styles': true }));
}

/** The page module's entry point (see registry.js). */
export async function mount(root, ctx) {
  ensureStyles();
  const users = h('tbody');
  const groups = h('tbody');
  const keys = h('tbody');
  const table = (name, columns, body) => h('table', { class: 'admin-table', 'aria-label': name },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))), body);
  const section = (title, hint, tableEl, button) => h('section', { class: 'admin-section', 'aria-label': title },
    h('div', { class: 'admin-head' }, h('h2', {}, title), button), h('p', { class: 'hint' }, hint), tableEl);
  root.append(
    h('h1', { class: 'admin-title' }, 'Administration'),
    section('Users', 'Everyone who can sign in. Members of the group "config" may change configs; admins may do anything.',
      table('Users', ['User', 'Groups', 'Admin', 'Created', ''], users),
      h('button', { type: 'button', class: 'primary', onclick: () => addUser() }, 'Add user')),
    section('Groups', 'Groups grant access through directory modes and the config center ("config" edits configs).',
      table('Groups', ['Group', 'Members', ''], groups),
      h('button', { type: 'button', onclick: () => addGroup() }, 'New group')),
    section('API keys', `Your own keys (${ctx.user.user}): programs sign in with one as a bearer token or GROVE_TOKEN.`,
      table('API keys', ['Name', 'Id', 'Created', 'Expires', ''], keys),
      h('button', { type: 'button', onclick: () => addKey() }, 'New API key')));

  const row = (attrs, ...cells) => h('tr', attrs, cells.map((c) => (c instanceof Node && c.tagName === 'TD' ? c : h('td', {}, c))));
  const actions = (...buttons) => h('td', { class: 'row-actions' }, buttons);
  const empty = (body, columns, text) => body.append(h('tr', {}, h('td', { colspan: String(columns), class: 'muted' }, text)));

  async function load(what, run) {
    try {
      await run();
    } catch (err) {
      ctx.notify(`Could not load the ${what}: ${describe(err)}`, { error: true });
    }
  }

  const loadUsers = () => load('users', async () => {
    const items = await call('GET', '/api/v1/users');
    clear(users).append(...items.map((u) => row({ 'data-user': u.name },
      u.name, u.groups.join(', '), u.isAdmin ? 'yes' : 'no', formatTime(u.created),
      actions(
        h('button', { type: 'button', onclick: () => changePassword(u.name) }, 'Change password'),
        u.name === ctx.user.user ? null : h('button', { type: 'button', class: 'danger', onclick: () => removeUser(u.name) }, 'Delete')))));
  });

  const loadGroups = () => load('groups', async () => {
    const items = await call('GET', '/api/v1/groups');
    clear(groups).append(...items.map((g) => row({ 'data-group': g.name },
      g.name, g.members.join(', '),
      actions(h('button', { type: 'button', class: 'danger', onclick: () => removeGroup(g.name) }, 'Delete')))));
    if (items.length === 0) empty(groups, 3, 'No groups yet.');
  });

  const loadKeys = () => load('API keys', async () => {
    const items = await call('GET', '/api/v1/keys');
    clear(keys).append(...items.map((k) => row({ 'data-key': k.id },
      k.name, h('code', {}, k.id), formatTime(k.created), k.expiresAt ? formatTime(k.expiresAt) : 'never',
      actions(h('button', { type: 'button', class: 'danger', onclick: () => removeKey(k) }, 'Delete')))));
    if (items.length === 0) empty(keys, 5, 'No API keys yet.');
  });

  async function addUser() {
    const added = await formDialog({
      title: 'Add a user',
      body: [
        field('User name', { name: 'name', required: true }),
        field('Password', { name: 'password', type: 'password', autocomplete: 'new-password', required: true }),
        field('Groups (comma separated)', { name: 'groups', value: 'config' }),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'admin' }), 'Admin (may do anything)'),
      ],
      submitLabel: 'Add',
      onSubmit: (form) => call('POST', '/api/v1/users', {
        json: {
          name: form.elements.name.value.trim(),
          password: form.elements.password.value,
          groups: list(form.elements.groups.value),
          admin: form.elements.admin.checked,
        },
      }),
    });
    if (added) {
      ctx.notify(`Added ${added.name}.`);
      await Promise.all([loadUsers(), loadGroups()]);
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
    const done = await confirm(`Delete ${name}?`, 'Their sessions and API keys stop working at once.',
      () => call('DELETE', `/api/v1/users/${encodeURIComponent(name)}`));
    if (done) {
      ctx.notify(`Deleted ${name}.`);
      await Promise.all([loadUsers(), loadGroups()]);
    }
  }

  async function addGroup() {
    const added = await formDialog({
      title: 'New group',
      body: [field('Group name', { name: 'name', required: true }), field('Members (comma separated user names)', { name: 'members' })],
      submitLabel: 'Create',
      onSubmit: (form) => call('POST', '/api/v1/groups', { json: { name: form.elements.name.value.trim(), members: list(form.elements.members.value) } }),
    });
    if (added) {
      ctx.notify(`Created the group ${added.name}.`);
      await Promise.all([loadUsers(), loadGroups()]);
    }
  }

  async function removeGroup(name) {
    const done = await confirm(`Delete the group ${name}?`, 'Its members lose what the group granted them.',
      () => call('DELETE', `/api/v1/groups/${encodeURIComponent(name)}`));
    if (done) {
      ctx.notify(`Deleted the group ${name}.`);
      await Promise.all([loadUsers(), loadGroups()]);
    }
  }

  async function addKey() {
    const created = await formDialog({
      title: 'New API key',
      body: [field('Name', { name: 'name', required: true, placeholder: 'ci-deploy' }),
        field('Expires after (days, empty: never)', { name: 'days', type: 'number', min: '1', step: '1' })],
      submitLabel: 'Create',
      onSubmit: (form) => {
        const days = Number(form.elements.days.value);
        const expiresAt = form.elements.days.value && days > 0 ? Date.now() + days * 86_400_000 : undefined;
        return call('POST', '/api/v1/keys', { json: { name: form.elements.name.value.trim(), expiresAt } });
      },
    });
    if (!created) return;
    await loadKeys();
    const secret = h('input', { class: 'admin-secret', readonly: true, value: created.key, 'aria-label': 'The new API key' });
    const shown = infoDialog(`API key ${created.name}`, [
      h('p', {}, 'Copy it now: it is shown this once (only its hash is kept).'), secret]);
    secret.select();
    await shown;
  }

  async function removeKey(k) {
    const done = await confirm(`Delete the API key ${k.name}?`, 'Programs using it are refused at once.',
      () => call('DELETE', `/api/v1/keys/${encodeURIComponent(k.id)}`));
    if (done) {
      ctx.notify(`Deleted the API key ${k.name}.`);
      await loadKeys();
    }
  }

  function confirm(title, text, run) {
    return formDialog({
      title,
      body: [h('p', {}, text)],
      submitLabel: 'Delete',
      danger: true,
      onSubmit: async () => {
        await run();
        return true;
      },
    });
  }

  await Promise.all([loadUsers(), loadGroups(), loadKeys()]);
  return null;
}
