// The page. It uses the npm package's browser API exactly as any frontend would: generation runs
// in the package's Web Worker; validation and inspection are quick and run here.
import {
  generateCredentials, validateOptions, inspectCertificate, recipeDefaults, wipe, terminateWorkers, ready, provisionDevice,
  randomPassword, DEFAULT_PASSWORDS, checkBaseUrl,
} from '../js/browser.js';
import { zip } from './zip.js';
import { connectAllowed, connectSources, pagePolicy } from './csp.js';

const $ = (id) => document.getElementById(id);
const form = $('form');
const ROLE_FIELDS = ['alias', 'prefix', 'storePassword', 'keyPassword'];
const TEXT_FIELDS = ['cn', 'ou', 'o', 'l', 'st', 'c', 'days', 'keySize', ...ROLE_FIELDS];

let current = null; // the shown bundle (its files hold the private key)
let currentPasswords = null; // { storePassword, keyPassword } it was made with, for passwords.txt
let serverCertificatePem = null; // public: a server certificate generated in this visit
let serverAlias = null; // and the alias it was generated under
let running = null; // AbortController of the generation in progress
const urls = new Set(); // object URLs to revoke

const role = () => form.querySelector('input[name=role]:checked').value;

/** The CN the page suggests: the broker's host name, a device's name, the CA's own. */
function defaultCn(r) {
  if (r === 'ca') return recipeDefaults('ca').cn;
  return r === 'server' ? location.hostname || 'localhost' : 'device-1';
}

function fillDefaults(r, onlyRoleFields = false) {
  const d = recipeDefaults(r);
  for (const f of onlyRoleFields ? ROLE_FIELDS : TEXT_FIELDS) $(f).value = String(d[f]);
  if (!onlyRoleFields) $('cn').value = defaultCn(r);
  passwordWarnings();
}

// Passwords: a warning beside a field while it holds one of the recipe's published defaults.
const PASSWORD_FIELDS = ['storePassword', 'keyPassword'];
function passwordWarnings() {
  for (const f of PASSWORD_FIELDS) {
    $(`${f}-warning`).textContent = DEFAULT_PASSWORDS.includes($(f).value)
      ? 'This is the recipe\'s published default password: anyone can open the files with it. Use random passwords, or your own.'
      : '';
  }
  // The random passwords' box stays only while the fields still hold them.
  if ($('storePassword').value !== $('randomStorePassword').textContent || $('keyPassword').value !== $('randomKeyPassword').textContent) {
    hideRandomPasswords();
  }
}
function hideRandomPasswords() {
  $('random-passwords').hidden = true;
  $('randomStorePassword').textContent = '';
  $('randomKeyPassword').textContent = '';
}
for (const f of PASSWORD_FIELDS) $(f).addEventListener('input', passwordWarnings);
$('randomPasswords').addEventListener('click', () => {
  const store = randomPassword();
  const key = randomPassword();
  $('storePassword').value = store;
  $('keyPassword').value = key;
  $('randomStorePassword').textContent = store;
  $('randomKeyPassword').textContent = key;
  $('random-passwords').hidden = false;
  passwordWarnings();
  for (const f of PASSWORD_FIELDS) $(`${f}-error`).textContent = '';
});
for (const button of document.querySelectorAll('button.copy')) {
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($(button.dataset.copy).textContent);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy it by hand';
    }
  });
}

function showRole() {
  const client = role() === 'client';
  $('client-only').hidden = !client;
  $('san-field').hidden = role() !== 'server';
  $('useServer').hidden = !(client && serverCertificatePem);
}

let lastRole = role();
form.addEventListener('change', (e) => {
  if (e.target.name !== 'role') return;
  // Switch alias, prefix and passwords to the new role's defaults unless the user changed them.
  const before = recipeDefaults(lastRole);
  const after = recipeDefaults(role());
  for (const f of ROLE_FIELDS) {
    if ($(f).value === '' || $(f).value === String(before[f])) $(f).value = String(after[f]);
  }
  // The CN too, while it is the last role's default (a device CA has a name of its own).
  if ($('cn').value === defaultCn(lastRole)) $('cn').value = defaultCn(role());
  lastRole = role();
  clearErrors();
  passwordWarnings();
  showRole();
});

$('showPasswords').addEventListener('change', (e) => {
  for (const f of ['storePassword', 'keyPassword']) $(f).type = e.target.checked ? 'text' : 'password';
});

function options() {
  const o = { role: role() };
  for (const f of TEXT_FIELDS) o[f] = $(f).value;
  o.days = $('days').value.trim() === '' ? '' : Number($('days').value);
  // The key size is RSA's only: an EC P-256 key has none to choose.
  if ($('keyType').value === 'ec-p256') {
    o.keyType = 'ec-p256';
    delete o.keySize;
  } else {
    o.keySize = Number($('keySize').value);
  }
  if (o.role === 'ca') {
    // Nothing client- or server-specific; the store password defaults to the key password.
  } else if (o.role === 'server') {
    const san = $('san').value.split(/[\s,]+/).filter(Boolean);
    if (san.length) o.san = san;
  } else {
    if ($('serverCertificate').value.trim()) o.serverCertificate = $('serverCertificate').value;
    if ($('serverAlias').value.trim()) o.serverAlias = $('serverAlias').value.trim();
  }
  if ($('legacyPkcs12').checked) o.legacyPkcs12 = true;
  return o;
}

const keyLabel = (opts) => (opts.keyType === 'ec-p256' ? 'an EC P-256 key' : `an RSA-${opts.keySize} key`);
$('keyType').addEventListener('change', () => { $('keySize').disabled = $('keyType').value === 'ec-p256'; });

function clearErrors() {
  for (const el of document.querySelectorAll('.error')) el.textContent = '';
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

function showError(err) {
  const slot = err.field && $(`${err.field}-error`);
  if (slot) {
    // Next to its field the message need not name the field again.
    slot.textContent = err.message.replace(/^[^:]*\([A-Za-z]+\): /, '');
    const input = $(err.field) || form.querySelector(`[name=${err.field}]`);
    input?.setAttribute('aria-invalid', 'true');
    input?.focus();
  } else {
    $('form-error').textContent = err.message;
  }
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

function setBusy(busy) {
  $('generateButton').disabled = busy;
  $('cancel').hidden = !busy;
  $('status').classList.toggle('busy', busy);
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (running) return;
  // Taken before the first await: a second submit while the form is checked must not start a
  // second generation, and the last run's "Done" must not stand for this one.
  running = new AbortController();
  clearErrors();
  $('status').textContent = '';
  const opts = options();
  try {
    await validateOptions(opts);
  } catch (err) {
    running = null;
    showError(err);
    return;
  }
  clearResult();
  setBusy(true);
  $('status').textContent = `Generating ${keyLabel(opts)}…`;
  try {
    // The click's task ends here: the new status is drawn in its own frame, and starting the
    // workers (their creation is main-thread work too) is a task of its own.
    await nextTask();
    const bundle = await generateCredentials(opts, {
      signal: running.signal,
      onProgress: ({ phase, elapsedMs }) => {
        if (phase === 'generating') $('status').textContent = `Generating ${keyLabel(opts)}… ${(elapsedMs / 1000).toFixed(1)} s`;
      },
    });
    current = bundle;
    currentPasswords = { storePassword: opts.storePassword, keyPassword: opts.keyPassword };
    if (bundle.role === 'server') {
      serverCertificatePem = bundle.certificatePem;
      serverAlias = bundle.alias;
    }
    showResult(bundle);
    $('status').textContent = `Done: ${bundle.files.length} files.`;
  } catch (err) {
    if (err.code === 'aborted') $('status').textContent = 'Cancelled.';
    else {
      $('status').textContent = '';
      showError(err);
    }
  } finally {
    running = null;
    setBusy(false);
    showRole();
  }
});

$('cancel').addEventListener('click', () => running?.abort());

function details(dl, rows) {
  dl.replaceChildren();
  for (const [k, v, mono] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    if (mono) {
      const c = document.createElement('code');
      c.textContent = v;
      dd.append(c);
    } else dd.textContent = v;
    dl.append(dt, dd);
  }
}

const date = (d) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function explanation(b) {
  const p = b.prefix;
  if (b.role === 'ca') {
    return `Paste ${p}.pub.pem into the ThingsBoard device profile (Device provisioning -> X509 Certificates Chain); ` +
      `the credentials id above is how the platform finds that profile. Whoever holds ${p}.key.pem and its password can ` +
      'mint device certificates that the profile accepts: keep it offline and backed up, apart from the devices.';
  }
  if (b.role === 'client') {
    return `Paste ${p}.pub.pem into Device Credentials -> X.509 Certificate. ` +
      `The device connects with ${p}.nopass.pem (mosquitto, paho: key and certificate) or ${p}.jks / ${p}.p12 (Java), ` +
      `and trusts the broker through the server certificate.`;
  }
  return `Tempus MQTT SSL settings: key_store = ${p}.jks with key_store_type JKS, key_store_password = the keystore password, ` +
    `key_password = the key password; or key_store = ${p}.p12 with key_store_type PKCS12 (its key password is the keystore password). ` +
    `mosquitto: certfile and keyfile = ${p}.nopass.pem. Clients trust ${p}.pub.pem.`;
}

/**
 * An object URL for one click's download, revoked right after the click (the browser has taken
 * the blob by then), so that no URL to a key outlives the click.
 */
function download(name, bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  urls.add(url);
  setTimeout(() => { URL.revokeObjectURL(url); urls.delete(url); }, 0);
  return url;
}

function showResult(b) {
  details($('result-details'), [
    ['Subject', b.subject],
    ['Valid from', date(b.notBefore)],
    ['Valid until', date(b.notAfter)],
    ['SHA-256 fingerprint', b.sha256Fingerprint, true],
    ['Credentials id', b.credentialsId, true],
  ]);
  $('explain').textContent = explanation(b);
  $('zipNopassName').textContent = `${b.prefix}.nopass.pem`;
  const list = $('downloads');
  list.replaceChildren();
  for (const f of b.files) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.className = 'button';
    a.textContent = f.name;
    a.download = f.name;
    a.href = '#';
    // The object URL (a copy of the bytes) exists only around the click.
    a.addEventListener('click', () => {
      a.href = download(f.name, f.bytes, f.mimeType);
      setTimeout(() => { a.href = '#'; }, 0);
    });
    li.append(a);
    list.append(li);
  }
  $('result').hidden = false;
}

/** passwords.txt: only when asked for, and said to be plain text. */
function passwordsFile(b, pw) {
  const text = [
    `Passwords of ${b.prefix} (${b.subject}), made by tempus-certgen on ${new Date().toISOString()}.`,
    'Plain text: keep this file apart from the key files, or delete it once the passwords are stored safely.',
    '',
    ...(b.role === 'ca'
      ? [`Keystore password (${b.prefix}.p12): ${pw.storePassword || pw.keyPassword}`, `Key password (${b.prefix}.key.pem): ${pw.keyPassword}`]
      : [`Keystore password (${b.prefix}.jks, ${b.prefix}.p12): ${pw.storePassword}`,
        `Key password (the key entry in ${b.prefix}.jks${b.role === 'client' ? `, ${b.prefix}.pem` : ''}): ${pw.keyPassword}`]),
    '',
  ].join('\n');
  return { name: 'passwords.txt', bytes: new TextEncoder().encode(text) };
}

$('downloadAll').addEventListener('click', () => {
  if (!current) return;
  // The unencrypted key only when the box says so (it is what whoever gets the zip can use).
  const files = current.files.filter((f) => $('zipNopass').checked || !f.name.endsWith('.nopass.pem'));
  const extra = $('zipPasswords').checked && currentPasswords ? [passwordsFile(current, currentPasswords)] : [];
  const bytes = zip([...files, ...extra]);
  for (const f of extra) f.bytes.fill(0);
  const a = document.createElement('a');
  a.download = `${current.prefix}.zip`;
  a.href = download(a.download, bytes, 'application/zip');
  document.body.append(a);
  a.click();
  a.remove();
  bytes.fill(0);
});

$('copyCertificate').addEventListener('click', async () => {
  if (!current) return;
  try {
    await navigator.clipboard.writeText(current.certificatePem);
    $('copy-status').textContent = 'Certificate copied.';
  } catch {
    $('copy-status').textContent = 'The browser refused the clipboard; download the .pub.pem instead.';
  }
});

function clearResult() {
  if (current) wipe(current);
  current = null;
  currentPasswords = null;
  for (const url of urls) URL.revokeObjectURL(url);
  urls.clear();
  $('downloads').replaceChildren();
  $('result-details').replaceChildren();
  $('result').hidden = true;
}

$('clear').addEventListener('click', () => {
  clearResult();
  terminateWorkers();
  $('status').textContent = 'Cleared: the keys were overwritten in memory.';
});

window.addEventListener('pagehide', () => {
  running?.abort();
  clearResult();
  terminateWorkers();
});

// Server certificate: paste, drop, choose a file, or take the one generated in this visit.
async function readCertificateFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (text.includes('-----BEGIN')) return text;
  return (await inspectCertificate(bytes)).certificatePem; // DER -> PEM
}

function dropZone(zone, onFile) {
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files?.[0];
    if (file) onFile(file);
  });
}

async function loadServerCertificate(file) {
  $('serverCertificate-error').textContent = '';
  try {
    $('serverCertificate').value = await readCertificateFile(file);
  } catch (err) {
    $('serverCertificate-error').textContent = err.message;
  }
}
$('serverCertificateFile').addEventListener('change', (e) => e.target.files[0] && loadServerCertificate(e.target.files[0]));
dropZone($('server-drop'), loadServerCertificate);
$('useServer').addEventListener('click', () => {
  $('serverCertificate').value = serverCertificatePem;
  // The client's trusted entry takes the server's alias, as in the recipe.
  if (!$('serverAlias').value.trim()) $('serverAlias').value = serverAlias;
});

// Inspect.
async function runInspect(input) {
  $('inspect-error').textContent = '';
  $('inspect-result').hidden = true;
  if (typeof input === 'string' && !input.trim()) return;
  try {
    const i = await inspectCertificate(input);
    const rows = [
      ['Subject', i.subject],
      ['Issuer', i.issuer + (i.selfSigned ? ' (self-signed)' : '')],
      ['Serial', i.serial, true],
      ['Valid from', date(i.notBefore)],
      ['Valid until', date(i.notAfter)],
      ['Key', i.keyAlgorithm + (i.keySize && i.keyAlgorithm === 'RSA' ? ` ${i.keySize} bits` : '')],
      ['SHA-1 fingerprint', i.sha1Fingerprint, true],
      ['SHA-256 fingerprint', i.sha256Fingerprint, true],
      ['Credentials id (TLS login)', i.credentialsId, true],
    ];
    if (i.pastedCredentialsId && i.pastedCredentialsId !== i.credentialsId) {
      rows.push(['Credentials id of the pasted text', i.pastedCredentialsId, true]);
    }
    details($('inspect-details'), rows);
    const list = $('inspect-warnings');
    list.replaceChildren();
    for (const w of i.warnings) {
      const li = document.createElement('li');
      li.dataset.code = w.code;
      li.textContent = `Warning: ${w.message}`;
      list.append(li);
    }
    if (!i.warnings.length) {
      const li = document.createElement('li');
      li.className = 'ok';
      li.style.background = 'none';
      li.textContent = 'No problems found: the platform will match this certificate.';
      list.append(li);
    }
    $('inspect-result').hidden = false;
  } catch (err) {
    $('inspect-error').textContent = err.message;
  }
}
$('inspectButton').addEventListener('click', () => runInspect($('inspectInput').value));
let inspectTimer;
$('inspectInput').addEventListener('input', () => {
  clearTimeout(inspectTimer);
  inspectTimer = setTimeout(() => runInspect($('inspectInput').value), 250);
});
async function inspectFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (text.includes('-----BEGIN')) {
    $('inspectInput').value = text;
    runInspect(text);
  } else {
    $('inspectInput').value = '';
    runInspect(bytes);
  }
}
$('inspectFile').addEventListener('change', (e) => e.target.files[0] && inspectFile(e.target.files[0]));
dropZone($('inspect-drop'), inspectFile);

// Send to Tempus (absent from the single-file page, which may not connect anywhere).
const policy = pagePolicy();
if ($('connectSources')) $('connectSources').textContent = `connect-src ${(connectSources(policy) ?? ['*']).join(' ')}`;

/** Why the page's CSP keeps it from `baseUrl`, and how to allow that server; null if it may connect. */
function blockedByPolicy(baseUrl) {
  const origin = new URL(baseUrl).origin; // checkBaseUrl has accepted it
  const { allowed, sources } = connectAllowed(policy, baseUrl, location.href);
  if (allowed) return null;
  return `Blocked by this page's Content-Security-Policy, which allows connections only to ${sources.join(' ')}; nothing was sent. ` +
    `To send to ${origin} from this page, rebuild it with that server allowed: TEMPUS_CONNECT_SRC="${origin}" npm run build ` +
    '(or serve the page from the Tempus server\'s own origin, or use tempus-certgen provision).';
}

let violation = null; // a connect-src violation seen during a send (the browser's own word)
document.addEventListener('securitypolicyviolation', (e) => {
  if (/^(connect-src|default-src)/.test(e.effectiveDirective || e.violatedDirective)) violation = e.blockedURI;
});

$('sendButton')?.addEventListener('click', async () => {
  const status = $('send-status');
  if (!current) {
    status.textContent = 'Generate a client certificate first.';
    return;
  }
  const baseUrl = $('sendUrl').value.trim();
  try {
    checkBaseUrl(baseUrl, { allowInsecureHttp: $('sendAllowHttp').checked });
  } catch (err) {
    status.textContent = err.message;
    return;
  }
  const blocked = blockedByPolicy(baseUrl);
  if (blocked) {
    status.textContent = blocked;
    return;
  }
  const token = $('sendToken').value.trim();
  status.textContent = 'Sending…';
  $('sendButton').disabled = true;
  violation = null;
  try {
    const r = await provisionDevice({
      baseUrl, deviceId: $('sendDevice').value.trim(), certificatePem: current.certificatePem,
      allowInsecureHttp: $('sendAllowHttp').checked,
      ...(token ? { token } : { username: $('sendUser').value.trim(), password: $('sendPassword').value }),
    });
    status.textContent = `Sent. The server confirmed credentials id ${r.credentialsId}.`;
  } catch (err) {
    // A policy this page cannot read (an HTTP header's) shows up only as a violation.
    status.textContent = err.code === 'unreachable' && violation
      ? `Blocked by the Content-Security-Policy this page is served with (${violation}); nothing was sent. Allow that server in the policy, e.g. rebuild with TEMPUS_CONNECT_SRC="${new URL(baseUrl).origin}" npm run build.`
      : err.message;
  } finally {
    $('sendButton').disabled = false;
  }
});

fillDefaults(role());
showRole();
ready().then(
  () => { document.body.dataset.wasmReady = 'true'; }, // for tests: the module is instantiated
  (err) => { $('form-error').textContent = `The WebAssembly module could not load: ${err.message}`; },
);
