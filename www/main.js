// The page. It uses the npm package's browser API exactly as any frontend would: generation runs
// in the package's Web Worker; validation and inspection are quick and run here.
import {
  generateCredentials, validateOptions, inspectCertificate, inspectRequest, recipeDefaults, wipe, terminateWorkers, ready, provisionDevice,
  randomPassword, DEFAULT_PASSWORDS, checkBaseUrl, createRequest, signRequest,
  generateMany, toManifestCsv, toThingsBoardCsv, parseNames, patternNames, provisionMany,
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
let generatedCa = null; // { certificatePem, keyPem, password } of a device CA made in this visit
let caKeyBytes = null; // a binary CA key file (.p12, DER) chosen or dropped; wiped on Clear
let running = null; // AbortController of the generation in progress
const urls = new Set(); // object URLs to revoke

const role = () => form.querySelector('input[name=role]:checked').value;
// A request's key is a client's or a server's: it takes the client's defaults (prefix mqttclient).
const defaultsRole = (r) => (r === 'csr' ? 'client' : r);

/** The CN the page suggests: the broker's host name, a device's name, the CA's own. */
function defaultCn(r) {
  if (r === 'ca') return recipeDefaults('ca').cn;
  if (r === 'csr') return 'device-1';
  return r === 'server' ? location.hostname || 'localhost' : 'device-1';
}

function fillDefaults(r, onlyRoleFields = false) {
  const d = recipeDefaults(defaultsRole(r));
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
  const r = role();
  const client = r === 'client';
  $('client-only').hidden = !client;
  $('san-field').hidden = r !== 'server' && r !== 'csr';
  $('useServer').hidden = !(client && serverCertificatePem);
  $('useCa').hidden = !generatedCa;
  // A request has no keystore (only its key, under the key password), and no CA signs it here.
  for (const id of ['storePassword', 'alias', 'days']) $(id).closest('.field').hidden = r === 'csr';
  $('legacyPkcs12').closest('.row').hidden = r === 'csr' || r === 'ca';
  $('generateButton').textContent = r === 'csr' ? 'Generate key and request' : 'Generate';
}

let lastRole = role();
form.addEventListener('change', (e) => {
  if (e.target.name !== 'role') return;
  // Switch alias, prefix and passwords to the new role's defaults unless the user changed them.
  const before = recipeDefaults(defaultsRole(lastRole));
  const after = recipeDefaults(defaultsRole(role()));
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

/** The CA of "Sign with a device CA", or null when its certificate field is empty. */
function issuer() {
  const certificate = $('caCertificate').value;
  if (!certificate.trim()) return null;
  const text = $('caKey').value;
  const privateKey = text.trim() ? text : caKeyBytes ?? '';
  const password = $('caPassword').value;
  return { certificate, privateKey, ...(password ? { password } : {}) };
}

/** What createRequest takes from the form. */
function requestOptions() {
  const o = options();
  const keep = ['cn', 'ou', 'o', 'l', 'st', 'c', 'keyType', 'keySize', 'san', 'prefix', 'keyPassword'];
  return Object.fromEntries(Object.entries(o).filter(([k]) => keep.includes(k)));
}

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
  } else if (o.role === 'server' || o.role === 'csr') {
    const san = $('san').value.split(/[\s,]+/).filter(Boolean);
    if (san.length) o.san = san;
  } else {
    if ($('serverCertificate').value.trim()) o.serverCertificate = $('serverCertificate').value;
    if ($('serverAlias').value.trim()) o.serverAlias = $('serverAlias').value.trim();
  }
  if ($('legacyPkcs12').checked) o.legacyPkcs12 = true;
  const ca = issuer();
  if (ca && (o.role === 'server' || o.role === 'client')) o.issuer = ca;
  return o;
}

const keyLabel = (opts) => (opts.keyType === 'ec-p256' ? 'an EC P-256 key' : `an RSA-${opts.keySize} key`);
$('keyType').addEventListener('change', () => { $('keySize').disabled = $('keyType').value === 'ec-p256'; });

function clearErrors() {
  for (const el of document.querySelectorAll('.error')) el.textContent = '';
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

// Fields whose input has another id than the option's name.
const FIELD_IDS = { 'issuer.certificate': 'caCertificate', 'issuer.privateKey': 'caKey', 'issuer.password': 'caPassword', csr: 'csrInput' };
const ERROR_IDS = { csr: 'csr-error' };

function showError(err) {
  const id = FIELD_IDS[err.field] ?? err.field;
  const slot = err.field && $(ERROR_IDS[err.field] ?? `${id}-error`);
  if (slot) {
    // Next to its field the message need not name the field again.
    slot.textContent = err.message.replace(/^[^:]*\([A-Za-z.]+\): /, '');
    const input = $(id) || form.querySelector(`[name="${id}"]`);
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
  const csr = role() === 'csr';
  const opts = csr ? requestOptions() : options();
  try {
    // The CA (whose key takes PBKDF2 rounds to open) is checked in the worker, not here.
    const { issuer: ca, ...rest } = opts;
    await validateOptions(csr ? { ...rest, role: 'client' } : rest);
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
    if (csr) {
      const made = await createRequest(opts);
      current = { ...made, role: 'csr' };
      currentPasswords = { keyPassword: opts.keyPassword };
      showResult(current);
      $('status').textContent = `Done: ${made.files.length} files.`;
      return;
    }
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
    if (bundle.role === 'ca') {
      const key = bundle.files.find((f) => f.name.endsWith('.key.pem'));
      generatedCa = { certificatePem: bundle.certificatePem, keyPem: new TextDecoder().decode(key.bytes), password: opts.keyPassword };
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
  if (b.role === 'csr') {
    return `Send ${p}.csr to the CA (Sign a request, below, or tempus-certgen sign); keep ${p}.key.pem here, under its key password. ` +
      `With the certificate the CA returns, tempus-certgen assemble (or assembleCredentials) makes the keystores around this key.`;
  }
  if (b.issuer && b.files.length === 3) {
    return `Return ${p}.pub.pem and ${p}.chain.pem to whoever holds the key; Device Credentials take ${p}.pub.pem, and the device presents the chain.`;
  }
  if (b.role === 'ca') {
    return `Paste ${p}.pub.pem into the ThingsBoard device profile (Device provisioning -> X509 Certificates Chain); ` +
      `the credentials id above is how the platform finds that profile. Whoever holds ${p}.key.pem and its password can ` +
      'mint device certificates that the profile accepts: keep it offline and backed up, apart from the devices.';
  }
  if (b.role === 'client' && b.issuer) {
    return `Signed by ${b.issuer}. Let the device provision itself: a ThingsBoard device profile that holds the CA certificate accepts it when it presents ` +
      `its chain (${p}.nopass.pem carries key, certificate and CA; the ${p}.jks and ${p}.p12 key entries carry the chain). ` +
      `Or paste ${p}.pub.pem (the certificate alone) into Device Credentials -> X.509 Certificate.`;
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
  const rows = b.role === 'csr'
    ? [['Request for', b.subject]]
    : [
      ['Subject', b.subject],
      ...(b.issuer ? [['Issuer', b.issuer]] : []),
      ['Valid from', date(b.notBefore)],
      ['Valid until', date(b.notAfter) + (b.validityCut ? ' (cut to the CA\'s end: a certificate cannot outlive its CA)' : '')],
      ['SHA-256 fingerprint', b.sha256Fingerprint, true],
      [b.role === 'ca' ? 'Credentials id (the device profile\'s CA id)' : 'Credentials id', b.credentialsId, true],
    ];
  details($('result-details'), rows);
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
    if (f.secret) {
      const note = document.createElement('span');
      note.className = 'secret';
      note.textContent = b.role === 'ca' && /\.(key\.pem|p12)$/.test(f.name)
        ? 'the CA\'s private key: it mints device certificates; keep it offline'
        : 'holds the private key: keep it secret';
      li.append(note);
    }
    list.append(li);
  }
  $('copyCertificate').hidden = !b.certificatePem;
  $('result').hidden = false;
}

/** passwords.txt: only when asked for, and said to be plain text. */
function passwordsFile(b, pw) {
  const text = [
    `Passwords of ${b.prefix} (${b.subject}), made by tempus-certgen on ${new Date().toISOString()}.`,
    'Plain text: keep this file apart from the key files, or delete it once the passwords are stored safely.',
    '',
    ...(b.role === 'csr' ? [`Key password (${b.prefix}.key.pem): ${pw.keyPassword}`] : b.role === 'ca'
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
  wipeMany();
  caKeyBytes?.fill(0);
  caKeyBytes = null;
  $('caKey-loaded').textContent = '';
  generatedCa = null;
  showRole();
  terminateWorkers();
  $('status').textContent = 'Cleared: the keys were overwritten in memory.';
});

window.addEventListener('pagehide', () => {
  running?.abort();
  manyRun?.abort();
  wipeMany();
  clearResult();
  caKeyBytes?.fill(0);
  terminateWorkers();
});

/** A chosen or dropped file: `{ text }` when it is PEM, else `{ bytes }` (DER, .p12). */
async function readFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  return text.includes('-----BEGIN') ? { text } : { bytes };
}

// Server certificate: paste, drop, choose a file, or take the one generated in this visit.
async function readCertificateFile(file) {
  const { text, bytes } = await readFile(file);
  return text ?? (await inspectCertificate(bytes)).certificatePem; // DER -> PEM
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

// Sign with a device CA: the CA certificate and key pasted, dropped or chosen, or the CA made here.
async function loadCaCertificate(file) {
  $('caCertificate-error').textContent = '';
  try {
    $('caCertificate').value = await readCertificateFile(file);
  } catch (err) {
    $('caCertificate-error').textContent = err.message;
  }
}
async function loadCaKey(file) {
  const { text, bytes } = await readFile(file);
  caKeyBytes?.fill(0);
  caKeyBytes = null;
  if (text) {
    $('caKey').value = text;
    $('caKey-loaded').textContent = '';
  } else {
    // A .p12 or DER key: kept as bytes (wiped on Clear), not shown.
    caKeyBytes = bytes;
    $('caKey').value = '';
    $('caKey-loaded').textContent = `${file.name} loaded (${bytes.length} bytes)`;
  }
  $('caKey-error').textContent = '';
}
$('caCertificateFile').addEventListener('change', (e) => e.target.files[0] && loadCaCertificate(e.target.files[0]));
$('caKeyFile').addEventListener('change', (e) => e.target.files[0] && loadCaKey(e.target.files[0]));
dropZone($('caCertificate-drop'), loadCaCertificate);
dropZone($('caKey-drop'), loadCaKey);
$('caKey').addEventListener('input', () => {
  if ($('caKey').value.trim() && caKeyBytes) {
    caKeyBytes.fill(0);
    caKeyBytes = null;
    $('caKey-loaded').textContent = '';
  }
});
$('useCa').addEventListener('click', () => {
  if (!generatedCa) return;
  $('caCertificate').value = generatedCa.certificatePem;
  $('caKey').value = generatedCa.keyPem;
  $('caPassword').value = generatedCa.password;
  for (const id of ['caCertificate', 'caKey', 'caPassword']) $(`${id}-error`).textContent = '';
});

// Sign a request with the CA above.
async function loadCsr(file) {
  const { text, bytes } = await readFile(file);
  if (text) {
    $('csrInput').value = text;
    csrBytes = null;
  } else {
    $('csrInput').value = '';
    csrBytes = bytes;
    $('sign-status').textContent = `${file.name} loaded (${bytes.length} bytes)`;
  }
}
let csrBytes = null; // a DER request chosen or dropped
$('csrFile').addEventListener('change', (e) => e.target.files[0] && loadCsr(e.target.files[0]));
dropZone($('csr-drop'), loadCsr);
$('signButton').addEventListener('click', async () => {
  clearErrors();
  $('sign-status').textContent = '';
  const request = $('csrInput').value.trim() ? $('csrInput').value : csrBytes;
  if (!request) {
    $('csr-error').textContent = 'Paste a certificate request, or choose a .csr file.';
    return;
  }
  const ca = issuer();
  if (!ca) {
    $('caCertificate-error').textContent = 'Give the device CA that signs: its certificate, private key and key password.';
    return;
  }
  const signRole = $('signRole').value;
  const opts = { role: signRole };
  const days = $('days').value.trim();
  if (days) opts.days = Number(days);
  if ($('prefix').value.trim() && role() === signRole) opts.prefix = $('prefix').value.trim();
  $('signButton').disabled = true;
  $('sign-status').textContent = 'Signing…';
  try {
    const signed = await signRequest(request, ca, opts);
    clearResult();
    current = signed;
    currentPasswords = null;
    showResult(signed);
    $('sign-status').textContent = `Signed: ${signed.files.length} files, in Result above.`;
    $('result').scrollIntoView?.({ block: 'nearest' });
  } catch (err) {
    $('sign-status').textContent = '';
    showError(err);
  } finally {
    $('signButton').disabled = false;
  }
});

// Inspect.
/** "RSA 2048 bits", "EC P-256": an inspected key as the details list shows it. */
const keyText = (x) => x.keyAlgorithm + (x.keySize && x.keyAlgorithm === 'RSA' ? ` ${x.keySize} bits` : '');

/** One line of the inspect warnings list (its code kept for tests and styling). */
function warningItem(code, message) {
  const li = document.createElement('li');
  li.dataset.code = code;
  li.textContent = `Warning: ${message}`;
  return li;
}

async function runInspect(input) {
  $('inspect-error').textContent = '';
  $('inspect-result').hidden = true;
  if (typeof input === 'string' && !input.trim()) return;
  $('inspect-chain').hidden = true;
  $('inspect-chain').replaceChildren();
  if (typeof input === 'string' && /-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(input)) {
    try {
      const r = await inspectRequest(input);
      details($('inspect-details'), [
        ['Request for', r.subject],
        ['Key', keyText(r)],
        ['Names', r.san.length ? r.san.join(', ') : '(none)'],
        ['Signature', r.signatureValid ? 'valid: made with the request\'s own key' : `INVALID: ${r.signatureError}`],
      ]);
      const list = $('inspect-warnings');
      list.replaceChildren();
      if (!r.signatureValid) list.append(warningItem('bad_signature', 'do not sign this request: it was altered, or not made with its key.'));
      $('inspect-result').hidden = false;
    } catch (err) {
      $('inspect-error').textContent = err.message;
    }
    return;
  }
  try {
    const i = await inspectCertificate(input);
    const rows = [
      ['Subject', i.subject],
      ['Issuer', i.issuer + (i.selfSigned ? ' (self-signed)' : '')],
      ['Serial', i.serial, true],
      ['Valid from', date(i.notBefore)],
      ['Valid until', date(i.notAfter)],
      ['Key', keyText(i)],
      ['SHA-1 fingerprint', i.sha1Fingerprint, true],
      ['SHA-256 fingerprint', i.sha256Fingerprint, true],
      [i.isCa ? 'Credentials id (the device profile\'s CA id)' : 'Credentials id (TLS login)', i.credentialsId, true],
    ];
    if (i.isCa) rows.push(['CA', 'A CA certificate: a ThingsBoard device profile that holds it is found by the id above.']);
    if (i.chain.length > 1) {
      const ol = $('inspect-chain');
      for (const c of i.chain) {
        const li = document.createElement('li');
        const link = c.signedByNext === null ? '' : c.signedByNext ? ' — signed by the next' : ' — NOT signed by the next';
        li.textContent = `${c.subject}${c.isCa ? ' (CA)' : ''}${link}`;
        li.dataset.signedByNext = String(c.signedByNext);
        ol.append(li);
      }
      ol.hidden = false;
    }
    if (i.pastedCredentialsId && i.pastedCredentialsId !== i.credentialsId) {
      rows.push(['Credentials id of the pasted text', i.pastedCredentialsId, true]);
    }
    details($('inspect-details'), rows);
    const list = $('inspect-warnings');
    list.replaceChildren();
    for (const w of i.warnings) list.append(warningItem(w.code, w.message));
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
  const { text, bytes } = await readFile(file);
  $('inspectInput').value = text ?? '';
  runInspect(text ?? bytes);
}
$('inspectFile').addEventListener('change', (e) => e.target.files[0] && inspectFile(e.target.files[0]));
dropZone($('inspect-drop'), inspectFile);

// Many devices: the form's options (as a client, without its CN), one device per name.
let manyResults = []; // { index, name, folder, ok, bundle | error }
let manyRun = null; // AbortController while generating
const MAX_ROWS_SHOWN = 2000;

function manyDevices() {
  const text = $('manyNames').value;
  if (text.trim()) return parseNames(text);
  const count = Number($('manyCount').value);
  return patternNames(count, $('manyPattern').value || 'device-{n}');
}

function manyRow(r) {
  const tr = document.createElement('tr');
  for (const v of [r.name || '(empty)', r.ok ? r.bundle.credentialsId : '', r.ok ? 'ok' : `failed: ${r.error?.message ?? ''}`]) {
    const td = document.createElement('td');
    td.textContent = v;
    tr.append(td);
  }
  return tr;
}

function wipeMany() {
  for (const r of manyResults) if (r.bundle) wipe(r.bundle);
  manyResults = [];
  $('manyRows').replaceChildren();
  $('many-result').hidden = true;
}

const fmtSeconds = (ms) => (ms === null ? '' : `, about ${Math.max(0, Math.ceil(ms / 1000))} s left`);

dropZone($('names-drop'), async (file) => {
  $('manyNames').value = parseNames(await file.text()).map((d) => d.name).join('\n');
});

$('manyButton').addEventListener('click', async () => {
  if (manyRun || running) return;
  for (const id of ['manyNames-error', 'manyCount-error']) $(id).textContent = '';
  clearErrors();
  let devices;
  try {
    devices = manyDevices();
  } catch (err) {
    $(err.field === 'count' ? 'manyCount-error' : 'manyNames-error').textContent = err.message;
    return;
  }
  const { role: _role, cn: _cn, prefix: _prefix, san: _san, serverCertificate, serverAlias, ...base } = options();
  const opts = { ...base, role: 'client', ...(serverCertificate ? { serverCertificate } : {}), ...(serverAlias ? { serverAlias } : {}) };
  try {
    const { issuer: _issuer, ...rest } = opts;
    await validateOptions({ ...rest, cn: 'device-1' });
  } catch (err) {
    showError(err);
    return;
  }
  wipeMany();
  clearResult();
  manyRun = new AbortController();
  const type = $('manyType').value.trim() || 'default';
  $('manyButton').disabled = true;
  $('manyCancel').hidden = false;
  const bar = $('manyProgress');
  bar.hidden = false;
  bar.max = devices.length;
  bar.value = 0;
  $('many-status').textContent = `0 of ${devices.length} devices…`;
  const { cn: _c, role: _r, ...manyOptions } = opts;
  let shown = 0;
  try {
    await nextTask();
    for await (const r of generateMany(devices, manyOptions, {
      signal: manyRun.signal,
      type,
      onProgress: ({ done, total, failed, remainingMs }) => {
        bar.value = done;
        bar.setAttribute('aria-valuetext', `${done} of ${total}`);
        $('many-status').textContent = `${done} of ${total} devices${failed ? ` (${failed} failed)` : ''}${done < total ? fmtSeconds(remainingMs) : ''}`;
      },
    })) {
      manyResults.push(r);
      if (shown < MAX_ROWS_SHOWN) {
        $('manyRows').append(manyRow(r));
        shown++;
      }
      $('many-result').hidden = false;
    }
    const made = manyResults.filter((r) => r.ok).length;
    $('many-status').textContent = manyRun.signal.aborted
      ? `Cancelled: ${made} devices made are kept.`
      : `Done: ${made} of ${devices.length} devices made${made < devices.length ? `, ${devices.length - made} failed` : ''}.`;
  } catch (err) {
    $('many-status').textContent = err.message;
  } finally {
    manyRun = null;
    $('manyButton').disabled = false;
    $('manyCancel').hidden = true;
  }
});
$('manyCancel').addEventListener('click', () => manyRun?.abort());

$('manyDownload').addEventListener('click', () => {
  const made = manyResults.filter((r) => r.ok);
  if (!manyResults.length) return;
  const enc = new TextEncoder();
  const files = [];
  for (const r of made) for (const f of r.bundle.files) files.push({ name: `${r.folder}/${f.name}`, bytes: f.bytes });
  const extra = [
    { name: 'manifest.csv', bytes: enc.encode(toManifestCsv(manyResults)) },
    { name: 'thingsboard-devices.csv', bytes: enc.encode(toThingsBoardCsv(manyResults)) },
    { name: 'README.txt', bytes: enc.encode('Each folder holds one device\'s credentials, including mqttclient.nopass.pem: its private key WITHOUT a password.\n' +
      'Whoever has this zip can act as every device in it. Hand each folder to its device only, then delete the zip.\n' +
      'manifest.csv lists every device; thingsboard-devices.csv is for ThingsBoard\'s device import (columns NAME, TYPE, LABEL, X509).\n') },
  ];
  const bytes = zip([...files, ...extra]);
  const a = document.createElement('a');
  a.download = 'devices.zip';
  a.href = download(a.download, bytes, 'application/zip');
  document.body.append(a);
  a.click();
  a.remove();
  bytes.fill(0);
});

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

/** The Send panel's server and login, or null after saying in `status` why it cannot be used. */
function sendTarget(status) {
  const baseUrl = $('sendUrl').value.trim();
  const allowInsecureHttp = $('sendAllowHttp').checked;
  try {
    checkBaseUrl(baseUrl, { allowInsecureHttp });
  } catch (err) {
    status.textContent = err.message;
    return null;
  }
  const blocked = blockedByPolicy(baseUrl);
  if (blocked) {
    status.textContent = blocked;
    return null;
  }
  const token = $('sendToken').value.trim();
  return { baseUrl, allowInsecureHttp, ...(token ? { token } : { username: $('sendUser').value.trim(), password: $('sendPassword').value }) };
}

$('sendButton')?.addEventListener('click', async () => {
  const status = $('send-status');
  if (!current) {
    status.textContent = 'Generate a client certificate first.';
    return;
  }
  const target = sendTarget(status);
  if (!target) return;
  const { baseUrl } = target;
  status.textContent = 'Sending…';
  $('sendButton').disabled = true;
  violation = null;
  try {
    const r = await provisionDevice({ ...target, deviceId: $('sendDevice').value.trim(), certificatePem: current.certificatePem });
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

$('sendManyButton')?.addEventListener('click', async () => {
  const status = $('send-many-status');
  const made = manyResults.filter((r) => r.ok);
  if (!made.length) {
    status.textContent = 'Make devices under Many devices first.';
    return;
  }
  const target = sendTarget(status);
  if (!target) return;
  $('sendManyButton').disabled = true;
  try {
    const summary = await provisionMany(made, {
      ...target, create: $('sendCreate').checked,
      onProgress: ({ done, total }) => { status.textContent = `Sending: ${done} of ${total}…`; },
    });
    const failures = summary.results.filter((r) => r.status === 'failed').map((r) => `${r.name}: ${r.error?.message}`);
    status.textContent = `${summary.provisioned} provisioned, ${summary.skipped} already set, ${summary.failed} failed.${failures.length ? ` ${failures.slice(0, 5).join('; ')}` : ''}`;
  } catch (err) {
    status.textContent = err.message;
  } finally {
    $('sendManyButton').disabled = false;
  }
});

fillDefaults(role());
showRole();
ready().then(
  () => { document.body.dataset.wasmReady = 'true'; }, // for tests: the module is instantiated
  (err) => { $('form-error').textContent = `The WebAssembly module could not load: ${err.message}`; },
);
