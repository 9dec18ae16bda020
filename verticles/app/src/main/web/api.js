// The HTTP API (/api/v1) as the page uses it: bearer token, JSON in and out, RFC 9457 problems
// turned into ApiError with the problem attached.

export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem || {};
  }

  /** The error of one field of a failed validation, e.g. the filter's message and position. */
  field(name) {
    return (this.problem.errors || []).find((e) => e.field === name);
  }
}

function describe(status, problem) {
  if (!problem) {
    return status ? `The server answered ${status}.` : 'The server cannot be reached.';
  }
  const fields = (problem.errors || []).map((e) => `${e.field}: ${e.message}`);
  return fields.length ? fields.join('; ') : problem.detail || problem.title || `Error ${status}`;
}

export class Api {
  /**
   * @param {() => string|null} token the current bearer token
   * @param {() => void} onUnauthorized called on a 401 (the page goes back to sign-in)
   */
  constructor(token, onUnauthorized) {
    this.token = token;
    this.onUnauthorized = onUnauthorized;
  }

  /**
   * A 503 (busy, or a backing service away: nothing was done) is asked again after its Retry-After,
   * twice at most, when asking again is safe: a GET, or a request with an Idempotency-Key.
   */
  async request(method, path, options = {}) {
    const retriable = method === 'GET' || (options.headers && options.headers['Idempotency-Key']);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once(method, path, options);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 503 || !retriable || attempt >= 3) {
          throw e;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(e.retryAfterMs, 5000)));
      }
    }
  }

  async once(method, path, { body, headers = {}, contentType } = {}) {
    const all = { Accept: 'application/json', ...headers };
    const token = this.token();
    if (token) {
      all.Authorization = `Bearer ${token}`;
    }
    if (body !== undefined) {
      all['Content-Type'] = contentType || 'application/json';
    }
    let response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        headers: all,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, null);
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (e) {
        json = null;
      }
    }
    if (!response.ok) {
      if (response.status === 401 && token) {
        this.onUnauthorized();
      }
      const error = new ApiError(response.status, json);
      error.retryAfterMs = 1000 * (Number(response.headers.get('Retry-After')) || 1);
      throw error;
    }
    return { status: response.status, body: json, etag: response.headers.get('ETag') };
  }

  get(path) {
    return this.request('GET', path).then((r) => r.body);
  }

  /** A POST with an Idempotency-Key, so a retried click never does a thing twice. */
  post(path, body) {
    return this.request('POST', path, {
      body,
      headers: { 'Idempotency-Key': newKey() },
    }).then((r) => r.body);
  }
}

/** A fresh Idempotency-Key. */
export function newKey() {
  if (globalThis.crypto && crypto.randomUUID) {
    return crypto.randomUUID();
  }
  return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** The claims of a JWT (not verified: the server does that); null when it is not one. */
export function claims(token) {
  const parts = String(token || '').split('.');
  if (parts.length !== 3) {
    return null;
  }
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const json = JSON.parse(new TextDecoder().decode(bytes));
    return json && typeof json === 'object' ? json : null;
  } catch (e) {
    return null;
  }
}
