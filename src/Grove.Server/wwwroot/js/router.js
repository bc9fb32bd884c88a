// Hash addresses: #/<page>/<segment>/<segment>?<query>. Hash routing needs no server fallback route, so any deep
// link works with the server's plain static files.

/** Parses location.hash into { page, segments, params }. Segments are decoded; a malformed one is kept as typed. */
export function parseHash(hash) {
  const raw = hash.replace(/^#\/?/, '');
  const cut = raw.indexOf('?');
  const pathPart = cut < 0 ? raw : raw.slice(0, cut);
  const params = new URLSearchParams(cut < 0 ? '' : raw.slice(cut + 1));
  const parts = pathPart.split('/').filter((s) => s.length > 0).map(decodeSegment);
  const page = parts.shift() || '';
  return { page, segments: parts, params };
}

function decodeSegment(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Builds a hash: hashOf('tree', ['a b', 'c']) → '#/tree/a%20b/c'. */
export function hashOf(page, segments = [], params = undefined) {
  let hash = `#/${page}/${segments.map(encodeURIComponent).join('/')}`;
  const query = params ? new URLSearchParams(params).toString() : '';
  if (query) hash += `?${query}`;
  return hash;
}

/** Goes to a hash (a new history entry, so Back works). */
export function navigate(hash) {
  if (location.hash === hash) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}
