// The public HTTP API, called with the signed-in user's bearer token; nothing else is private.
const TOKEN_KEY = 'alur.token';

/** `/api/` next to the page (`/ui/`), so the app also works under a path prefix. */
export const API_BASE = new URL('../api/', window.location.href).href;

export const getToken = () => window.sessionStorage.getItem(TOKEN_KEY);
export const setToken = (token) => window.sessionStorage.setItem(TOKEN_KEY, token);
export const clearToken = () => window.sessionStorage.removeItem(TOKEN_KEY);

let onUnauthorized = () => {};
export const whenUnauthorized = (handler) => { onUnauthorized = handler; };

/** A problem+json answer (RFC 9457): `status`, `title`, `detail` and, on 422, `errors` per field. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = this.problem.errors || null;
  }
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { title: response.statusText, status: response.status };
  }
}

/**
 * Call `path` (relative to /api/). Returns parsed JSON, text (XML, CSV, HTML) or throws ApiError.
 * `token` checks a token that is not stored yet (sign-in).
 */
export async function api(path, { method = 'GET', body, accept = 'application/json', token } = {}) {
  const headers = { Authorization: `Bearer ${token ?? getToken() ?? ''}`, Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(API_BASE + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit', cache: 'no-store',
  });
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && token === undefined) onUnauthorized();
    throw new ApiError(response.status, problem);
  }
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) return response.json();
  return response.text();
}

/** Fetch `path` as a file and hand it to the browser as a download named `filename`. */
export async function download(path, accept, filename) {
  const text = await api(path, { accept });
  const url = URL.createObjectURL(new Blob([text], { type: accept }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Every item of a paginated list (at most `limit`). */
export async function allPages(path, limit = 500) {
  const items = [];
  const join = path.includes('?') ? '&' : '?';
  for (let page = 1; items.length < limit; page += 1) {
    const found = await api(`${path}${join}page=${page}&per_page=100`);
    items.push(...found.items);
    if (items.length >= found.total || found.items.length === 0) break;
  }
  return items;
}
