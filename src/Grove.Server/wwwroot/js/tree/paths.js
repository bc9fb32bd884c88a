// Tree paths and the formatting of object fields.

/** '/a/b' + 'c' → '/a/b/c'; '/' + 'c' → '/c'. */
export function joinPath(dir, name) {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** The path's directory: '/a/b' → '/a'; '/a' → '/'. */
export function parentOf(path) {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** The path's last name ('' for the root). */
export function nameOf(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The segments of a path: '/a/b' → ['a', 'b']. */
export function segmentsOf(path) {
  return path.split('/').filter(Boolean);
}

/** A path from route segments. */
export function pathOf(segments) {
  return `/${segments.join('/')}`;
}

/** The keys the tree itself owns; every other key of an object is custom metadata. */
export const BUILT_IN = new Set(['id', 'pid', 'nm', 'race', 'tp', 'mime', 'len', 'sha256', 'mnt', 'ln', 'lbls', 'c', 'm', 'g',
  'md', 'ct', 'lm', 'expi', 'v', 'ph']);

/** The custom metadata of an object as a plain object. */
export function customOf(o) {
  const custom = {};
  for (const [k, v] of Object.entries(o)) if (!BUILT_IN.has(k)) custom[k] = v;
  return custom;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → '1.5 KiB'. */
export function formatBytes(n) {
  if (n === undefined || n === null) return '';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${UNITS[u]}`;
}

/** ms since the epoch → 'YYYY-MM-DD HH:MM:SS' in local time: the console's one date format. */
export { formatTime } from '../format.js';

/** Mode bits → '0755 rwl r-l r-l' (read, write, list for owner, group, others). */
export function formatMode(md) {
  if (md === undefined || md === null) return '';
  const triple = (b) => `${b & 4 ? 'r' : '-'}${b & 2 ? 'w' : '-'}${b & 1 ? 'l' : '-'}`;
  return `0${md.toString(8).padStart(3, '0')} ${triple(md >> 6)} ${triple((md >> 3) & 7)} ${triple(md & 7)}`;
}

/** Ordinal (code unit) comparison, the order in which the server lists names. */
export function compareNames(a, b) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
