// The one REST client of the package: every call to a Tempus (or ThingsBoard) server goes
// through it (provisionDevice, provisionMany, the CLI's provision; later deprovision and the
// connect lookup), with the limits a hostile or broken server cannot get past:
//  - where it may connect: https, or plain http only to this machine (a literal loopback
//    address, or `localhost` when every address it resolves to is loopback; the connection then
//    goes to the address checked) unless the caller opts in;
//  - how long: every request has a deadline (`timeout`, seconds, default 30), body included;
//  - how much: an answer over 4 MiB is refused;
//  - what it says: a server's message is cut to a few hundred characters and stripped of control
//    characters before anyone prints it; the token and the password never appear in a message.
import { codedError } from './errors.js';
import { printable } from './describe.js';

export const DEFAULT_TIMEOUT_S = 30;
export const MAX_ANSWER = 4 * 1024 * 1024;
const MAX_MESSAGE = 300;

const AUTH_HEADERS = {
  both: ['X-Authorization', 'Authorization'],
  'x-authorization': ['X-Authorization'],
  authorization: ['Authorization'],
};

/** A literal loopback address (127.0.0.0/8, ::1): plain http to it never leaves this machine. */
export function isLoopbackAddress(hostname) {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Plain http allowed without the opt-in: a loopback address, or `localhost` (checked again when resolved). */
export function isLoopbackHost(hostname) {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || isLoopbackAddress(h);
}

/**
 * The base URL of a Tempus server, checked before anything is sent: http(s) only, no query or
 * fragment (they would swallow the API path), no user info, and https unless the host is this
 * machine or the caller accepts plain http (`allowInsecureHttp`). Returns it without trailing
 * slashes.
 */
export function checkBaseUrl(baseUrl, { allowInsecureHttp = false } = {}) {
  const raw = String(baseUrl ?? '').trim();
  // The URL as the message shows it: never with a password in it.
  const shown = printable(raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@'), MAX_MESSAGE);
  const bad = (why, code = 'invalid') => codedError(`baseUrl: "${shown}" ${why}`, code, { field: 'baseUrl' });
  let base;
  try {
    base = new URL(raw);
  } catch {
    throw bad('is not an http(s) URL of a Tempus server, e.g. https://tempus.example.com');
  }
  if (!/^https?:$/.test(base.protocol)) throw bad('is not an http(s) URL of a Tempus server, e.g. https://tempus.example.com');
  if (base.search || base.hash || raw.includes('?') || raw.includes('#')) {
    throw bad('carries a query (?...) or a fragment (#...), which would swallow the API path: give the server\'s address only, e.g. https://tempus.example.com');
  }
  if (base.username || base.password) {
    throw bad('carries a user name or password: give them as username and password instead (in a URL they end up in logs and histories)');
  }
  if (base.protocol === 'http:' && !isLoopbackHost(base.hostname) && !allowInsecureHttp) {
    throw bad('uses plain http: the password and the token would cross the network unencrypted, readable and replayable by anyone on the way. ' +
      'Use https://, or opt in to plain http with allowInsecureHttp: true (CLI: --allow-http) on a network you trust. ' +
      '(Plain http is allowed without that for this machine only: localhost, 127.0.0.0/8, ::1; a name that only ends in .localhost is like any other.)', 'insecure_http');
  }
  return base.href.replace(/\/+$/, '');
}

/** A server's message (JSON `message`, or the text), cut and stripped of control characters. */
export const serverMessage = (r) => printable((r.data && typeof r.data === 'object' ? r.data.message : r.data) || `HTTP ${r.status}`, MAX_MESSAGE);

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The login the caller gave, checked; the auth header names. A secret is refused by name, never shown. */
export function checkLogin({ token, username, password, authHeader = 'both' }) {
  const headerNames = AUTH_HEADERS[authHeader];
  if (!headerNames) throw codedError(`authHeader must be one of ${Object.keys(AUTH_HEADERS).join(', ')}`, 'invalid', { field: 'authHeader' });
  if (!token && !(username && password)) {
    throw codedError('Give a token, or a username and a password, to log in to Tempus', 'invalid', { field: token === undefined ? 'username' : 'token' });
  }
  if (token && CONTROL.test(token)) {
    throw codedError('token: holds a control character (a line break?); give the token alone, on one line (its value is not shown)', 'invalid', { field: 'token' });
  }
  return headerNames;
}

/** `timeout` (seconds) checked: a positive number, at most a day. */
export function checkTimeout(timeout = DEFAULT_TIMEOUT_S) {
  const n = Number(timeout);
  if (!Number.isFinite(n) || n <= 0 || n > 86400) throw codedError(`timeout must be a number of seconds above 0, got ${printable(timeout, 40)}`, 'invalid', { field: 'timeout' });
  return n;
}

/** The body, at most MAX_ANSWER bytes, read within the request's deadline. */
async function readBody(res, where) {
  const tooLarge = () => codedError(`The answer from ${where} is too large (over ${MAX_ANSWER / 1024 / 1024} MiB); nothing was kept`, 'too_large');
  if (Number(res.headers?.get?.('content-length')) > MAX_ANSWER) {
    await res.body?.cancel?.().catch(() => {});
    throw tooLarge();
  }
  const reader = res.body?.getReader?.();
  if (!reader) {
    const text = await res.text();
    if (text.length > MAX_ANSWER) throw tooLarge();
    return text;
  }
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.byteLength; }
  return new TextDecoder().decode(all);
}

/**
 * A logged-in conversation with one Tempus server: every call carries the token; a 401 with a
 * username and password logs in again once; 429 and 503 are retried with back-off (Retry-After
 * honoured up to 10 s); redirects are never followed. `resolveHost` (Node) turns `localhost`
 * into the loopback address it is checked to be, so that the connection goes there.
 */
export function makeSession({ root, token, username, password, headerNames, fetchImpl = globalThis.fetch, signal, timeout, resolveHost }) {
  let auth = token;
  let renewed = false;
  const seconds = checkTimeout(timeout);
  const host = new URL(root).host;
  let target = null; // the root actually connected to
  const secrets = () => [auth, token, password].filter((s) => s && s.length >= 4);
  /** A message with every secret taken out. */
  const redact = (text) => secrets().reduce((t, s) => t.split(s).join('***'), printable(text, MAX_MESSAGE));
  const sleep = (ms) => new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason ?? codedError('cancelled', 'aborted')); }, { once: true });
  });

  async function raw(method, path, body, withAuth) {
    target ??= resolveHost ? await resolveHost(root) : root;
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (withAuth && auth) {
      if (CONTROL.test(auth)) throw codedError(`The token from ${host} holds a control character; it is not used (its value is not shown)`, 'http_error');
      for (const h of headerNames) headers[h] = `Bearer ${auth}`;
    }
    // One deadline for the whole exchange, the body included (a server that drips bytes, or
    // never answers, is given up on); the caller's signal still cancels at once.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), seconds * 1000);
    const onAbort = () => deadline.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timedOut = () => codedError(`${host} did not answer within ${seconds} s (timeout); nothing more was sent`, 'timeout');
    try {
      let res;
      try {
        // redirect 'manual': a followed redirect would carry the login body and the
        // X-Authorization header to wherever Location points.
        res = await fetchImpl(`${target}${path}`, {
          method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: deadline.signal, redirect: 'manual', credentials: 'omit',
        });
      } catch (e) {
        if (signal?.aborted) throw e;
        if (deadline.signal.aborted) throw timedOut();
        throw codedError(`Cannot reach ${root}: the server is down or unreachable, or it refuses requests from this page (CORS: its allowed origins do not include this one). ${redact(e?.message ?? '')}`.trim(), 'unreachable');
      }
      if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
        // Browsers hide the Location of a redirect they do not follow (opaqueredirect).
        const where = res.headers?.get?.('location');
        let location = null;
        try { location = where ? new URL(where, `${root}${path}`).href : null; } catch { /* a Location that is no URL */ }
        await res.body?.cancel?.().catch(() => {});
        const shown = location && printable(location, MAX_MESSAGE);
        throw codedError(`${root}${path} answered with a redirect${shown ? ` to ${shown}` : ''} (HTTP ${res.status || '3xx'}). ` +
          'Nothing secret was sent there: credentials are never sent on to another address. ' +
          `Give the address the server really lives at as the URL${location ? ` (probably ${printable(new URL(location).origin, MAX_MESSAGE)})` : ''}.`,
        'redirected', { status: res.status, location, field: 'baseUrl' });
      }
      let text;
      try {
        text = await readBody(res, host);
      } catch (e) {
        if (deadline.signal.aborted && !signal?.aborted) throw timedOut();
        throw e;
      }
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch { data = text; }
      return { status: res.status, ok: res.ok, data, retryAfter: res.headers?.get?.('retry-after') };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async function login() {
    const r = await raw('POST', '/api/auth/login', { username, password }, false);
    if (r.status === 401) throw codedError(`Login failed: wrong username or password (${redact(serverMessage(r))})`, 'bad_login', { status: 401, field: 'password' });
    if (!r.ok || typeof r.data?.token !== 'string' || !r.data.token) throw codedError(`Login failed: ${redact(serverMessage(r))}`, 'http_error', { status: r.status });
    auth = r.data.token;
  }

  async function call(method, path, body) {
    if (!auth) await login();
    for (let attempt = 0; ; attempt++) {
      const r = await raw(method, path, body, true);
      if ((r.status === 429 || r.status === 503) && attempt < 6) {
        const after = Number(r.retryAfter);
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 10) * 1000 : 100 * 2 ** attempt);
        continue;
      }
      // An expired login is renewed once (when there is a password to renew it with).
      if (r.status === 401 && username && password && !renewed) {
        renewed = true;
        await login();
        continue;
      }
      return { ...r, message: redact(serverMessage(r)) };
    }
  }
  return { call };
}
