// The HTTP API client of the console: every call goes through here. Mutating calls carry the bearer token kept in
// sessionStorage; GET downloads opened as plain links rely on the HttpOnly session cookie set at login.

const TOKEN_KEY = 'grove.token';
const USER_KEY = 'grove.user';

/** A failed call: the status and the stable code and detail of the server's problem+json answer. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

/** The signed-in session of this tab. */
export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  /** { user, groups, admin } or null. */
  get user() {
    const text = sessionStorage.getItem(USER_KEY);
    return text ? JSON.parse(text) : null;
  },
  save(token, user) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  saveUser(user) {
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
  },
};

let unauthorized = () => {};

/** Sets what happens when a call answers 401 (the shell returns to the login page). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/** A tree path as URL segments: '/a b/c' → 'a%20b/c'. */
export function encodePath(path) {
  return String(path).split('/').filter(Boolean).map(encodeURIComponent).join('/');
}

/** An API URL: apiUrl('files', '/a/b.txt', { download: true }) → '/api/v1/files/a/b.txt?download=true'. */
export function apiUrl(route, path = '', query = undefined) {
  let url = `/api/v1/${route}/${encodePath(path)}`;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) q.set(k, String(v));
    const text = q.toString();
    if (text) url += `?${text}`;
  }
  return url;
}

/** The error of a non-2xx answer, from its problem+json body when it has one. */
export function problemOf(status, contentType, text) {
  if (contentType && contentType.includes('json') && text) {
    try {
      const p = JSON.parse(text);
      return new ApiError(status, p.code || 'error', p.detail || p.title || `HTTP ${status}`);
    } catch {
      // Not JSON after all: fall through to the generic message.
    }
  }
  return new ApiError(status, 'error', `the server answered HTTP ${status}`);
}

/** What to show a person for an error: 403 always reads "Not allowed". */
export function describe(error) {
  if (error instanceof ApiError) {
    if (error.status === 403) return `Not allowed: ${error.detail}`;
    return error.detail;
  }
  return error && error.message ? error.message : String(error);
}

/**
 * Calls the API. Options: json (a body to send as JSON), body, headers, signal, anonymous (no 401 handling, for
 * login). Answers the parsed JSON, or null for 204. Throws ApiError.
 */
export async function call(method, url, { json, body, headers, signal, anonymous = false } = {}) {
  const h = new Headers(headers || {});
  const token = session.token;
  if (token && !anonymous) h.set('Authorization', `Bearer ${token}`);
  let payload = body;
  if (json !== undefined) {
    h.set('Content-Type', 'application/json');
    payload = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(url, { method, headers: h, body: payload, signal, credentials: 'same-origin' });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', `the server cannot be reached (${e && e.message ? e.message : e})`);
  }
  if (response.status === 204 || response.status === 304) return null;
  const type = response.headers.get('Content-Type') || '';
  if (response.ok) return type.includes('json') ? response.json() : response.text();
  const error = problemOf(response.status, type, await response.text());
  if (response.status === 401 && !anonymous) unauthorized(error);
  throw error;
}

/**
 * Uploads a file with XMLHttpRequest (fetch cannot report upload progress). onProgress(sent, total) is called as
 * bytes leave; the promise answers the stored object. An abort signal cancels the upload.
 */
export function upload(path, file, { onProgress, signal } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', apiUrl('files', path));
    xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.addEventListener('progress', (e) => {
      if (onProgress) onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(JSON.parse(xhr.responseText));
        return;
      }
      const error = problemOf(xhr.status, xhr.getResponseHeader('Content-Type'), xhr.responseText);
      if (xhr.status === 401) unauthorized(error);
      reject(error);
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'the upload was cut off (connection lost)')));
    xhr.addEventListener('abort', () => reject(new DOMException('the upload was cancelled', 'AbortError')));
    if (signal) signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
