// Putting a certificate into Tempus / ThingsBoard: the REST API (provisionDevice) and the Web
// UI's Device Credentials dialog (fillDeviceCredentials). No wasm here: the entries pass in
// `inspectCertificate` for the canonical PEM and the credentials id.
import { codedError } from './errors.js';
import { findCredentialsDialog } from './dialog.js';

export { findCredentialsDialog };

const AUTH_HEADERS = {
  both: ['X-Authorization', 'Authorization'],
  'x-authorization': ['X-Authorization'],
  authorization: ['Authorization'],
};

/** Hosts that never leave this machine, where plain http exposes nothing on a network. */
export function isLoopbackHost(hostname) {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
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
  const shown = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
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
      '(Plain http is allowed without that for this machine only: localhost, 127.0.0.0/8, ::1.)', 'insecure_http');
  }
  return base.href.replace(/\/+$/, '');
}

/**
 * Set a device's credentials to an X.509 certificate through the REST API: log in (when given
 * a user name and password), read the device's credentials record, post the same record back
 * (same `id`) with type X509_CERTIFICATE and the canonical PEM, read it again and check that
 * the server's credentialsId is the one computed here. Redirects are never followed: the
 * password and the token go to the given server or nowhere.
 */
/**
 * A logged-in conversation with one Tempus server: every call carries the token; a 401 with a
 * username and password logs in again once; 429 and 503 are retried with back-off (Retry-After
 * honoured up to 10 s); redirects are never followed.
 */
function makeSession({ root, token, username, password, headerNames, fetchImpl, signal }) {
  let auth = token;
  let renewed = false;
  const sleep = (ms) => new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason ?? codedError('cancelled', 'aborted')); }, { once: true });
  });

  async function raw(method, path, body, withAuth) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (withAuth && auth) for (const h of headerNames) headers[h] = `Bearer ${auth}`;
    let res;
    try {
      // redirect 'manual': a followed redirect would carry the login body and the
      // X-Authorization header to wherever Location points.
      res = await fetchImpl(`${root}${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, redirect: 'manual', credentials: 'omit',
      });
    } catch (e) {
      if (e?.name === 'AbortError') throw e;
      throw codedError(`Cannot reach ${root}: the server is down or unreachable, or it refuses requests from this page (CORS: its allowed origins do not include this one). ${e?.message ?? ''}`.trim(), 'unreachable');
    }
    if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
      // Browsers hide the Location of a redirect they do not follow (opaqueredirect).
      const where = res.headers?.get?.('location');
      const location = where ? new URL(where, `${root}${path}`).href : null;
      await res.body?.cancel?.().catch(() => {});
      throw codedError(`${root}${path} answered with a redirect${location ? ` to ${location}` : ''} (HTTP ${res.status || '3xx'}). ` +
        'Nothing secret was sent there: credentials are never sent on to another address. ' +
        `Give the address the server really lives at as the URL${location ? ` (probably ${new URL(location).origin})` : ''}.`,
      'redirected', { status: res.status, location, field: 'baseUrl' });
    }
    let data = null;
    const text = await res.text();
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    return { status: res.status, ok: res.ok, data, retryAfter: res.headers?.get?.('retry-after') };
  }

  async function login() {
    const r = await raw('POST', '/api/auth/login', { username, password }, false);
    if (r.status === 401) throw codedError(`Login failed: wrong username or password (${serverMessage(r)})`, 'bad_login', { status: 401, field: 'password' });
    if (!r.ok || !r.data?.token) throw codedError(`Login failed: ${serverMessage(r)}`, 'http_error', { status: r.status });
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
      return r;
    }
  }
  return { call };
}

const serverMessage = (r) => (r.data && typeof r.data === 'object' ? r.data.message : r.data) || `HTTP ${r.status}`;

function checkLogin({ token, username, password, authHeader }) {
  const headerNames = AUTH_HEADERS[authHeader];
  if (!headerNames) throw codedError(`authHeader must be one of ${Object.keys(AUTH_HEADERS).join(', ')}`, 'invalid', { field: 'authHeader' });
  if (!token && !(username && password)) {
    throw codedError('Give a token, or a username and a password, to log in to Tempus', 'invalid', { field: token === undefined ? 'username' : 'token' });
  }
  return headerNames;
}

/**
 * Set a device's credentials to the certificate (`info`: its inspection): read the record, post
 * it back with its own id and type X509_CERTIFICATE, read it again and check the server's id.
 * `skipIfSet`: a device that already carries this certificate is left alone (`{ skipped: true }`).
 */
async function setCertificate(session, root, id, info, { skipIfSet = false } = {}) {
  const read = async () => {
    const r = await session.call('GET', `/api/device/${encodeURIComponent(id)}/credentials`);
    if (r.status === 401 || r.status === 403) throw codedError(`Not allowed to read the device's credentials: the token is wrong, expired, or lacks the rights (${serverMessage(r)})`, 'unauthorized', { status: r.status, field: 'token' });
    if (r.status === 404) throw codedError(`No device with id ${id} on ${root} (${serverMessage(r)})`, 'unknown_device', { status: 404, field: 'deviceId' });
    if (!r.ok || !r.data || typeof r.data !== 'object') throw codedError(`Reading the device's credentials failed: ${serverMessage(r)}`, 'http_error', { status: r.status });
    return r.data;
  };
  const record = await read();
  if (skipIfSet && record.credentialsType === 'X509_CERTIFICATE' && record.credentialsId === info.credentialsId) {
    return { ok: true, skipped: true, credentialsId: info.credentialsId, record };
  }
  if (!record.id?.id) throw codedError('The server sent a credentials record without its id; refusing to post one (that would create a second record)', 'http_error');
  const body = { ...record, credentialsType: 'X509_CERTIFICATE', credentialsId: null, credentialsValue: info.certificatePem };
  const saved = await session.call('POST', '/api/device/credentials', body);
  if (saved.status === 400 && /already/i.test(serverMessage(saved))) {
    throw codedError(`This certificate is already registered for another device: generate a new one for this device (${serverMessage(saved)})`, 'already_registered', { status: 400, field: 'certificatePem' });
  }
  if (saved.status === 401 || saved.status === 403) throw codedError(`Not allowed to save the credentials (${serverMessage(saved)})`, 'unauthorized', { status: saved.status, field: 'token' });
  if (!saved.ok) throw codedError(`Saving the credentials failed: ${serverMessage(saved)}`, 'http_error', { status: saved.status });
  const after = await read();
  if (after.credentialsId !== info.credentialsId) {
    throw codedError(`The server stored credentials id ${after.credentialsId}, but the certificate's is ${info.credentialsId}: the device would be refused at login`, 'id_mismatch', { serverCredentialsId: after.credentialsId, credentialsId: info.credentialsId });
  }
  return { ok: true, skipped: false, credentialsId: info.credentialsId, record: after };
}

export function makeProvisionDevice(inspectCertificate) {
  return async function provisionDevice({
    baseUrl, deviceId, certificatePem, token, username, password,
    authHeader = 'both', allowInsecureHttp = false, fetch: fetchImpl = globalThis.fetch, signal,
  } = {}) {
    const root = checkBaseUrl(baseUrl, { allowInsecureHttp });
    if (typeof deviceId !== 'string' || !/^[0-9a-zA-Z-]{1,64}$/.test(deviceId.trim())) {
      throw codedError(`deviceId: "${deviceId ?? ''}" is not a device id (the UUID shown on the device's details page)`, 'invalid', { field: 'deviceId' });
    }
    const headerNames = checkLogin({ token, username, password, authHeader });
    let info;
    try {
      info = await inspectCertificate(certificatePem);
    } catch (e) {
      throw Object.assign(e, { field: 'certificatePem' });
    }
    if (info.certificates !== 1) throw codedError('certificatePem: give exactly one certificate', 'invalid', { field: 'certificatePem' });
    const session = makeSession({ root, token, username, password, headerNames, fetchImpl, signal });
    const { ok, credentialsId, record } = await setCertificate(session, root, deviceId.trim(), info);
    return { ok, credentialsId, record };
  };
}

/**
 * Many devices (generateMany's results, or manifest rows with their certificate): each is found
 * by name, created when missing and `create` is set, and given its certificate; one failure
 * does not stop the others, and a device that already carries its certificate is skipped.
 * Resolves to `{ results: [{ name, status: 'provisioned' | 'skipped' | 'failed', deviceId,
 * created, credentialsId, error }], provisioned, skipped, failed }`.
 */
export function makeProvisionMany(inspectCertificate) {
  return async function provisionMany(devices, {
    url, baseUrl = url, token, username, password, create = false, type, authHeader = 'both', allowInsecureHttp = false,
    fetch: fetchImpl = globalThis.fetch, signal, onProgress,
  } = {}) {
    const root = checkBaseUrl(baseUrl, { allowInsecureHttp });
    const headerNames = checkLogin({ token, username, password, authHeader });
    const session = makeSession({ root, token, username, password, headerNames, fetchImpl, signal });
    const todo = (devices ?? []).filter((d) => d && d.ok !== false);
    const results = [];
    const count = { provisioned: 0, skipped: 0, failed: 0 };
    const started = Date.now();
    for (const d of todo) {
      if (signal?.aborted) break;
      const name = d.name;
      const pem = d.certificatePem ?? d.bundle?.certificatePem;
      const out = { name, status: 'failed', deviceId: null, created: false, credentialsId: null, error: null };
      try {
        const info = await inspectCertificate(pem);
        out.credentialsId = info.credentialsId;
        const found = await session.call('GET', `/api/tenant/devices?deviceName=${encodeURIComponent(name)}`);
        let device = null;
        if (found.ok && found.data?.id?.id) device = found.data;
        else if (found.status === 401 || found.status === 403) throw codedError(`Not allowed to look devices up (${serverMessage(found)})`, 'unauthorized', { status: found.status });
        else if (found.status !== 404) throw codedError(`Looking the device up failed: ${serverMessage(found)}`, 'http_error', { status: found.status });
        if (!device) {
          if (!create) throw codedError(`No device named ${name} on ${root}; create it there, or let this create it (create / --create)`, 'unknown_device', { status: 404 });
          const made = await session.call('POST', '/api/device', { name, type: d.type || type || 'default' });
          if (!made.ok || !made.data?.id?.id) throw codedError(`Creating the device failed: ${serverMessage(made)}`, 'http_error', { status: made.status });
          device = made.data;
          out.created = true;
        }
        out.deviceId = device.id.id;
        try {
          const r = await setCertificate(session, root, out.deviceId, info, { skipIfSet: true });
          out.status = r.skipped ? 'skipped' : 'provisioned';
        } catch (e) {
          if (out.created) e.message = `created, but left without its certificate: ${e.message}`;
          throw e;
        }
      } catch (e) {
        if (e?.name === 'AbortError' || e?.code === 'aborted') break;
        out.error = e;
      }
      count[out.status]++;
      results.push(out);
      const elapsedMs = Date.now() - started;
      onProgress?.({ done: results.length, total: todo.length, failed: count.failed, elapsedMs,
        remainingMs: Math.round((elapsedMs / results.length) * (todo.length - results.length)), last: out });
    }
    return { results, ...count };
  };
}

// ---- The Device Credentials dialog ----------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(find, timeout) {
  const end = Date.now() + timeout;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > end) return null;
    await sleep(30);
  }
}

function setValue(el, value) {
  // Use the native setter, so frameworks that patch the property still see a change.
  const proto = Object.getPrototypeOf(el);
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  if (setter) setter.call(el, value);
  else el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

async function fillAngularJs(dialog, pem, root, timeout) {
  const doc = dialog.typeSelect.ownerDocument;
  const win = doc.defaultView;
  const textarea = () => root.querySelector('textarea[name="rsaKey"]');
  if (!textarea()) {
    // Open the md-select and click the option, as a person would (the menu is attached to body
    // and only takes clicks once its opening animation is over: md-clickable).
    dialog.typeSelect.click();
    const openMenu = () => doc.querySelector('.md-select-menu-container.md-active.md-clickable');
    const option = await waitFor(() => [...(openMenu()?.querySelectorAll('md-option') ?? [])]
      .find((o) => o.getAttribute('value') === 'X509_CERTIFICATE' || /X\.509/.test(o.textContent)), timeout);
    if (option) {
      option.click();
      const closed = await waitFor(() => !doc.querySelector('.md-select-menu-container.md-active'), timeout);
      if (!closed) openMenu()?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', keyCode: 27, bubbles: true }));
    } else {
      // Fallback: set the model through AngularJS itself (also fires ng-change).
      doc.querySelector('.md-select-menu-container.md-active')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', keyCode: 27, bubbles: true }));
      const ngModel = win.angular?.element(dialog.typeSelect).controller('ngModel');
      if (!ngModel) return { ok: false, framework: 'angularjs', reason: 'could not select "X.509 Certificate": no option and no AngularJS model found' };
      ngModel.$setViewValue('X509_CERTIFICATE');
      win.angular.element(dialog.typeSelect).scope()?.$applyAsync();
    }
  }
  const area = await waitFor(textarea, timeout);
  if (!area) return { ok: false, framework: 'angularjs', reason: 'the certificate field did not appear after selecting "X.509 Certificate"' };
  await sleep(50); // let the menu's close animation and the digest settle
  setValue(area, pem);
  const ngModel = win.angular?.element(area).controller('ngModel');
  if (ngModel && ngModel.$viewValue !== pem.trim() && ngModel.$viewValue !== pem) {
    return { ok: false, framework: 'angularjs', reason: 'the form did not take the value' };
  }
  return { ok: true, framework: 'angularjs' };
}

async function fillAngular(dialog, pem, root, timeout) {
  const textarea = () => root.querySelector('textarea[formcontrolname="credentialsValue"]');
  if (!textarea() || dialog.typeSelect.getAttribute('value') !== 'X509_CERTIFICATE') {
    const buttons = [...dialog.typeSelect.querySelectorAll('button, mat-button-toggle, [role=radio], [role=button]')];
    const x509 = buttons.find((b) => /X\.509/.test(b.textContent) || b.getAttribute('value') === 'X509_CERTIFICATE');
    if (!x509) return { ok: false, framework: 'angular', reason: 'no "X.509" choice in the credentials type selector' };
    (x509.querySelector('button') || x509).click();
  }
  const area = await waitFor(textarea, timeout);
  if (!area) return { ok: false, framework: 'angular', reason: 'the certificate field did not appear after selecting "X.509"' };
  await sleep(30);
  setValue(area, pem);
  area.dispatchEvent(new Event('blur', { bubbles: false }));
  area.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
  return { ok: true, framework: 'angular' };
}

/**
 * Fill the open Device Credentials dialog with a certificate: select "X.509 Certificate" first
 * (changing the type clears the value), then put in the canonical PEM and fire the events the
 * framework listens to. Resolves to { ok, framework, reason }; never rejects.
 */
export function makeFillDeviceCredentials(inspectCertificate) {
  return async function fillDeviceCredentials(certificatePem, { root = globalThis.document, timeout = 3000 } = {}) {
    try {
      const dialog = findCredentialsDialog(root);
      if (!dialog) return { ok: false, framework: null, reason: 'no Device Credentials dialog is open (open Devices -> device -> Device Credentials first)' };
      let pem;
      try {
        pem = (await inspectCertificate(certificatePem)).certificatePem;
      } catch (e) {
        return { ok: false, framework: dialog.framework, reason: `not a certificate: ${e.message}` };
      }
      return dialog.framework === 'angularjs'
        ? await fillAngularJs(dialog, pem, root, timeout)
        : await fillAngular(dialog, pem, root, timeout);
    } catch (e) {
      return { ok: false, framework: null, reason: `unexpected page layout: ${e?.message ?? e}` };
    }
  };
}
