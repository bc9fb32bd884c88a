// The Queues page: every queue mount the caller may list (empty ones too), with its depth, messages in flight and
// its oldest message (GET /api/v1/mq/stats), and a queue's pending messages in FIFO order (GET /api/v1/mq/ls/{queue}).
// Address: #/queues, #/queues/<queue path>. Refreshes every 5 s while shown. Its stylesheet is css/queues.css.
import { apiUrl, call, describe } from '../api.js';
import { clear, h } from '../dom.js';
import { formatTime } from '../format.js';

const RefreshMs = 5000;

function ensureStyles() {
  if (document.querySelector('link[data-queues-styles]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: 'css/queues.css', 'data-queues-styles': true }));
}

/** "3 min" for a duration in ms (how long the oldest message has waited). */
export function age(ms) {
  if (ms < 0) ms = 0;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

/** The page module's entry point (see registry.js). */
export async function mount(root, ctx) {
  ensureStyles();
  const selectedOf = (route) => (route.segments.length ? '/' + route.segments.join('/') : null);
  let selected = selectedOf(ctx.route);
  const queues = h('tbody');
  const messages = h('tbody');
  const messagesTitle = h('h2', {}, 'Messages');
  const messagesHint = h('p', { class: 'hint' }, 'Choose a queue to list its pending messages in the order they are claimed.');
  const table = (name, columns, body) => h('table', { class: 'queues-table', 'aria-label': name },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))), body);
  const messagesTable = table('Messages', ['#', 'Message', 'Deliveries', 'Enqueued', 'State'], messages);
  root.append(
    h('div', { class: 'queues-head' },
      h('h1', { class: 'queues-title' }, 'Queues'),
      h('button', { type: 'button', onclick: () => refresh() }, 'Refresh')),
    h('p', { class: 'hint' }, 'Queue mounts (mq), empty ones too: depth counts every message, in flight those claimed and not yet acked.'),
    table('Queues', ['Queue', 'Depth', 'In flight', 'Oldest message', 'Waiting'], queues),
    h('section', { class: 'queues-section', 'aria-label': 'Pending messages' }, messagesTitle, messagesHint, messagesTable));

  const empty = (body, columns, text) => body.append(h('tr', {}, h('td', { colspan: String(columns), class: 'muted' }, text)));

  async function loadQueues() {
    const { items } = await call('GET', '/api/v1/mq/stats');
    const now = Date.now();
    clear(queues).append(...items.map((q) => h('tr', { 'data-queue': q.path, class: q.path === selected ? 'selected' : null },
      h('td', {}, h('a', { href: ctx.hashOf('queues', q.path.split('/').filter(Boolean)) }, q.path)),
      h('td', { class: 'num' }, String(q.depth)),
      h('td', { class: 'num' }, String(q.inFlight)),
      h('td', {}, q.oldest ? formatTime(q.oldest) : ''),
      h('td', {}, q.oldest ? age(now - q.oldest) : ''))));
    if (items.length === 0) empty(queues, 5, 'No queue mount.');
  }

  async function loadMessages() {
    if (!selected) {
      messagesTable.hidden = true;
      return;
    }
    const listing = await call('GET', apiUrl('mq/ls', selected));
    const now = Date.now();
    messagesTitle.textContent = `Messages in ${selected}`;
    messagesHint.textContent = `${listing.depth} pending, ${listing.inFlight} in flight${listing.oldest ? `, the oldest enqueued ${formatTime(listing.oldest)}` : ''}.`;
    messagesTable.hidden = false;
    clear(messages).append(...listing.items.map((m) => h('tr', { 'data-message': String(m.sequence) },
      h('td', { class: 'num' }, String(m.sequence)),
      h('td', {}, m.path),
      h('td', { class: 'num' }, String(m.deliveries)),
      h('td', {}, formatTime(m.enqueued)),
      h('td', {}, m.visibleAt > now ? `in flight until ${formatTime(m.visibleAt)}` : 'pending'))));
    if (listing.items.length === 0) empty(messages, 5, 'The queue is empty.');
  }

  let failed = false;
  async function refresh() {
    try {
      await Promise.all([loadQueues(), loadMessages()]);
      failed = false;
    } catch (err) {
      // Note that a failing refresh says so once, not every 5 s.
      if (!failed) ctx.notify(`Could not load the queues: ${describe(err)}`, { error: true });
      failed = true;
    }
  }

  if (selected) ctx.setTitle(selected);
  await refresh();
  const timer = setInterval(() => { if (!document.hidden) refresh(); }, RefreshMs);
  return {
    update: (route) => {
      selected = selectedOf(route);
      if (selected) ctx.setTitle(selected);
      refresh();
    },
    unmount: () => clearInterval(timer),
  };
}
