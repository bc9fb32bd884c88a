// The config center's calls (/api/v1/config, docs/config.md) and small shared helpers of its views.
import { call } from '../api.js';
import { h } from '../dom.js';

/** The URL of a config (or one of its sub-resources): /api/v1/config/items/<group>/<dataId><suffix>?tenant=… */
export function itemUrl(key, suffix = '', query = {}) {
  const q = new URLSearchParams();
  if (key.tenant) q.set('tenant', key.tenant);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return `/api/v1/config/items/${encodeURIComponent(key.group)}/${encodeURIComponent(key.dataId)}${suffix}${text ? `?${text}` : ''}`;
}

/** A config URL of the API outside items: configUrl('limiter'), configUrl('', { dataId: 'x' }). */
export function configUrl(route, query = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return `/api/v1/config${route ? `/${route}` : ''}${text ? `?${text}` : ''}`;
}

export const getConfig = (key) => call('GET', itemUrl(key));
export const listConfigs = (query, signal) => call('GET', configUrl('', query), { signal });

/** Publishes; ifMd5 guards against overwriting a change made since the editor loaded the config. */
export function publishConfig(key, body, { ifMd5, createOnly } = {}) {
  const headers = {};
  if (ifMd5) headers['If-Match'] = `"${ifMd5}"`;
  if (createOnly) headers['If-None-Match'] = '*';
  return call('PUT', itemUrl(key), { json: body, headers });
}

export const previewConfig = (key, content, type) => call('POST', itemUrl(key, '/preview'), { json: { content, type } });
export const deleteConfig = (key) => call('DELETE', itemUrl(key));

/** The address of a config's view in the console: #/config/<view>/<group>/<dataId>?tenant=… */
export function viewHash(ctx, view, key) {
  return ctx.hashOf('config', [view, key.group, key.dataId], key.tenant ? { tenant: key.tenant } : undefined);
}

/** The key named by a route's segments (view, group, dataId) and tenant parameter. */
export function keyOfRoute(route) {
  return { group: route.segments[1] || '', dataId: route.segments[2] || '', tenant: route.params.get('tenant') || '' };
}

/** ms since the epoch → 'YYYY-MM-DD HH:MM:SS' in local time: the console's one date format. */
export { formatTime } from '../format.js';

/** A unified diff drawn line by line: additions and removals marked for sight and for screen readers. */
export function diffView(unified, label = 'Changes') {
  if (!unified) return h('p', { class: 'muted', 'data-diff': 'none' }, 'No differences.');
  const lines = unified.replace(/\n$/, '').split('\n').map((line) => {
    const kind = line.startsWith('+++') || line.startsWith('---') ? 'file'
      : line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'same';
    return h('span', { class: `diff-${kind}` }, line, '\n');
  });
  return h('pre', { class: 'diff', 'aria-label': label, tabindex: '0' }, lines);
}

/** Loads the config page's stylesheet once (the shared console.css stays as it is). */
export function ensureStyles() {
  if (document.querySelector('link[data-config-styles]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: 'css/config.css', 'data-config-styles': true }));
}
