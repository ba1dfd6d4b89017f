// Putting a certificate into Tempus / ThingsBoard: the REST API (provisionDevice) and the Web
// UI's Device Credentials dialog (fillDeviceCredentials). No wasm here: the entries pass in
// `inspectCertificate` for the canonical PEM and the credentials id.
import { codedError } from './errors.js';
import { findCredentialsDialog } from './dialog.js';
import { checkBaseUrl, checkLogin, checkTimeout, makeSession } from './rest.js';
import { printable } from './describe.js';
import { randomPassword } from './secrets.js';

export { findCredentialsDialog, checkBaseUrl };

/**
 * Set a device's credentials to the certificate (`info`: its inspection): read the record, post
 * it back with its own id and type X509_CERTIFICATE, read it again and check the server's id.
 * `skipIfSet`: a device that already carries this certificate is left alone (`{ skipped: true }`).
 */
async function setCertificate(session, root, id, info, { skipIfSet = false } = {}) {
  const read = async () => {
    const r = await session.call('GET', `/api/device/${encodeURIComponent(id)}/credentials`);
    if (r.status === 401 || r.status === 403) throw codedError(`Not allowed to read the device's credentials: the token is wrong, expired, or lacks the rights (${r.message})`, 'unauthorized', { status: r.status, field: 'token' });
    if (r.status === 404) throw codedError(`No device with id ${printable(id, 80)} on ${root} (${r.message})`, 'unknown_device', { status: 404, field: 'deviceId' });
    if (!r.ok || !r.data || typeof r.data !== 'object') throw codedError(`Reading the device's credentials failed: ${r.message}`, 'http_error', { status: r.status });
    return r.data;
  };
  const record = await read();
  if (skipIfSet && record.credentialsType === 'X509_CERTIFICATE' && record.credentialsId === info.credentialsId) {
    return { ok: true, skipped: true, credentialsId: info.credentialsId, record };
  }
  if (!record.id?.id) throw codedError('The server sent a credentials record without its id; refusing to post one (that would create a second record)', 'http_error');
  const body = { ...record, credentialsType: 'X509_CERTIFICATE', credentialsId: null, credentialsValue: info.certificatePem };
  const saved = await session.call('POST', '/api/device/credentials', body);
  if (saved.status === 400 && /already/i.test(saved.message)) {
    throw codedError(`This certificate is already registered for another device: generate a new one for this device (${saved.message})`, 'already_registered', { status: 400, field: 'certificatePem' });
  }
  if (saved.status === 401 || saved.status === 403) throw codedError(`Not allowed to save the credentials (${saved.message})`, 'unauthorized', { status: saved.status, field: 'token' });
  if (!saved.ok) throw codedError(`Saving the credentials failed: ${saved.message}`, 'http_error', { status: saved.status });
  const after = await read();
  if (after.credentialsId !== info.credentialsId) {
    throw codedError(`The server stored credentials id ${printable(after.credentialsId, 80)}, but the certificate's is ${info.credentialsId}: the device would be refused at login`, 'id_mismatch', { serverCredentialsId: after.credentialsId, credentialsId: info.credentialsId });
  }
  // Another certificate replaced: after a renewal (its previous one).
  const replaced = record.credentialsType === 'X509_CERTIFICATE' && !!record.credentialsId;
  return { ok: true, skipped: false, replaced, credentialsId: info.credentialsId, record: after };
}

/** `resolveHost` (Node): see rest.js makeSession. */
export function makeProvisionDevice(inspectCertificate, resolveHost) {
  return async function provisionDevice({
    baseUrl, deviceId, certificatePem, token, username, password,
    authHeader = 'both', allowInsecureHttp = false, fetch: fetchImpl = globalThis.fetch, signal, timeout, lookup,
  } = {}) {
    const root = checkBaseUrl(baseUrl, { allowInsecureHttp });
    if (typeof deviceId !== 'string' || !/^[0-9a-zA-Z-]{1,64}$/.test(deviceId.trim())) {
      throw codedError(`deviceId: "${printable(deviceId ?? '', 80)}" is not a device id (the UUID shown on the device's details page)`, 'invalid', { field: 'deviceId' });
    }
    const headerNames = checkLogin({ token, username, password, authHeader });
    checkTimeout(timeout);
    let info;
    try {
      info = await inspectCertificate(certificatePem);
    } catch (e) {
      throw Object.assign(e, { field: 'certificatePem' });
    }
    if (info.certificates !== 1) throw codedError('certificatePem: give exactly one certificate', 'invalid', { field: 'certificatePem' });
    const session = makeSession({ root, token, username, password, headerNames, fetchImpl, signal, timeout, resolveHost: resolveHost?.(lookup, allowInsecureHttp) });
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
export function makeProvisionMany(inspectCertificate, resolveHost) {
  return async function provisionMany(devices, {
    url, baseUrl = url, token, username, password, create = false, type, authHeader = 'both', allowInsecureHttp = false,
    fetch: fetchImpl = globalThis.fetch, signal, onProgress, timeout, lookup,
  } = {}) {
    const root = checkBaseUrl(baseUrl, { allowInsecureHttp });
    const headerNames = checkLogin({ token, username, password, authHeader });
    checkTimeout(timeout);
    const session = makeSession({ root, token, username, password, headerNames, fetchImpl, signal, timeout, resolveHost: resolveHost?.(lookup, allowInsecureHttp) });
    const todo = (devices ?? []).filter((d) => d && d.ok !== false);
    const results = [];
    const count = { provisioned: 0, renewed: 0, skipped: 0, failed: 0 };
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
        else if (found.status === 401 || found.status === 403) throw codedError(`Not allowed to look devices up (${found.message})`, 'unauthorized', { status: found.status });
        else if (found.status !== 404) throw codedError(`Looking the device up failed: ${found.message}`, 'http_error', { status: found.status });
        if (!device) {
          if (!create) throw codedError(`No device named ${printable(name, 100)} on ${root}; create it there, or let this create it (create / --create)`, 'unknown_device', { status: 404 });
          const made = await session.call('POST', '/api/device', { name, type: d.type || type || 'default' });
          if (!made.ok || !made.data?.id?.id) throw codedError(`Creating the device failed: ${made.message}`, 'http_error', { status: made.status });
          device = made.data;
          out.created = true;
        }
        out.deviceId = device.id.id;
        try {
          const r = await setCertificate(session, root, out.deviceId, info, { skipIfSet: true });
          out.status = r.skipped ? 'skipped' : r.replaced && !out.created ? 'renewed' : 'provisioned';
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

/**
 * After a revocation: each certificate's device (found by name = the certificate's CN) whose
 * credentials hold that certificate (same credentials id) is given a fresh random access token
 * instead, so the certificate no longer logs in there. A device holding another certificate or
 * another kind of credentials is left alone and said. Resolves to `{ results: [{ name,
 * credentialsId, deviceId, status: 'deprovisioned' | 'skipped' | 'failed', reason, error }],
 * deprovisioned, skipped, failed }`.
 */
/**
 * The device named `name` (the CN) and whether its credentials hold the certificate of id
 * `credentialsId`: state 'this', 'other-id' (another certificate was pasted), 'other-type'
 * (an access token, say) or 'missing', with a reason for people.
 */
async function credentialsOf(session, root, name, credentialsId) {
  const found = await session.call('GET', `/api/tenant/devices?deviceName=${encodeURIComponent(name)}`);
  if (found.status === 404) return { state: 'missing', reason: `no device named ${printable(name, 100)} on ${root}` };
  if (!found.ok || !found.data?.id?.id) {
    throw codedError(`Looking the device up failed: ${found.message}`, found.status === 401 || found.status === 403 ? 'unauthorized' : 'http_error', { status: found.status });
  }
  const deviceId = found.data.id.id;
  const r = await session.call('GET', `/api/device/${encodeURIComponent(deviceId)}/credentials`);
  if (!r.ok || !r.data?.id?.id) throw codedError(`Reading the device's credentials failed: ${r.message}`, 'http_error', { status: r.status });
  const record = r.data;
  if (record.credentialsType !== 'X509_CERTIFICATE') {
    return { state: 'other-type', deviceId, record, reason: `its credentials are of another kind (${printable(record.credentialsType, 40)}): this certificate does not log in there` };
  }
  if (record.credentialsId !== credentialsId) {
    return { state: 'other-id', deviceId, record, reason: `it holds another certificate (credentials id ${printable(record.credentialsId, 80)}), not this one` };
  }
  return { state: 'this', deviceId, record, reason: `it holds this certificate (credentials id ${credentialsId})` };
}

/** The login options checked (as provisionMany, deprovisionDevices and checkPlatform take them) and a session. */
function sessionOf({
  url, baseUrl = url, token, username, password, authHeader = 'both', allowInsecureHttp = false,
  fetch: fetchImpl = globalThis.fetch, signal, timeout, lookup,
} = {}, resolveHost) {
  const root = checkBaseUrl(baseUrl, { allowInsecureHttp });
  const headerNames = checkLogin({ token, username, password, authHeader });
  checkTimeout(timeout);
  return { root, session: makeSession({ root, token, username, password, headerNames, fetchImpl, signal, timeout, resolveHost: resolveHost?.(lookup, allowInsecureHttp) }) };
}

/** connect --rest: does the device named by the certificate's CN hold this certificate? */
export function makeCheckPlatform(inspectCertificate, resolveHost) {
  return async function checkPlatform(certificate, options) {
    const { root, session } = sessionOf(options, resolveHost);
    const info = await inspectCertificate(certificate);
    const name = info.commonName ?? info.subject;
    const held = await credentialsOf(session, root, name, info.credentialsId);
    return { name, root, credentialsId: info.credentialsId, deviceId: held.deviceId ?? null, state: held.state, reason: held.reason };
  };
}

export function makeDeprovisionDevices(inspectCertificate, resolveHost) {
  return async function deprovisionDevices(certificates, options) {
    const { root, session } = sessionOf(options, resolveHost);
    const results = [];
    const count = { deprovisioned: 0, skipped: 0, failed: 0 };
    for (const certificate of Array.isArray(certificates) ? certificates : [certificates]) {
      const out = { name: null, credentialsId: null, deviceId: null, status: 'failed', reason: null, error: null };
      try {
        const info = await inspectCertificate(certificate);
        out.name = info.commonName ?? info.subject;
        out.credentialsId = info.credentialsId;
        const held = await credentialsOf(session, root, out.name, info.credentialsId);
        out.deviceId = held.deviceId ?? null;
        if (held.state !== 'this') {
          out.status = 'skipped';
          out.reason = held.reason;
        } else {
          const fresh = randomPassword(20);
          const saved = await session.call('POST', '/api/device/credentials', { ...held.record, credentialsType: 'ACCESS_TOKEN', credentialsId: fresh, credentialsValue: null });
          if (!saved.ok) throw codedError(`Replacing the credentials failed: ${saved.message}`, 'http_error', { status: saved.status });
          out.status = 'deprovisioned';
          out.reason = 'its X.509 credentials were replaced by a fresh random access token (shown nowhere)';
        }
      } catch (e) {
        if (e?.name === 'AbortError' || e?.code === 'aborted') break;
        out.error = e;
      }
      count[out.status]++;
      results.push(out);
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
export function makeFillDeviceCredentials(inspectCertificate, madeHere = () => false) {
  return async function fillDeviceCredentials(certificatePem, { root = globalThis.document, timeout = 3000 } = {}) {
    try {
      const dialog = findCredentialsDialog(root);
      if (!dialog) return { ok: false, framework: null, reason: 'no Device Credentials dialog is open (open Devices -> device -> Device Credentials first)' };
      let pem;
      try {
        // A certificate generated in this page is canonical PEM already: no module to load for it.
        pem = madeHere(certificatePem) ? certificatePem : (await inspectCertificate(certificatePem)).certificatePem;
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
