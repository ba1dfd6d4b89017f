// Check device files (in Inspect): `connect`'s offline stage in the browser. The device's
// certificate, key, chain and the server certificate or CA it trusts, checked by
// checkDeviceFiles: the same lines `tempus-certgen connect` prints before it goes on the network.
import { printable } from '../../js/describe.js';
import { $, readFile, dropFiles } from '../dom.js';
import { later } from '../later.js';
import { state } from '../state.js';

const FIELDS = ['checkCertificate', 'checkKey', 'checkChain', 'checkCa'];

/** Which field a chosen file fills, by the names tempus-certgen gives them. */
function fieldFor(name, text) {
  if (/\.chain\.pem$/i.test(name)) return 'checkChain';
  if (/\.nopass\.pem$/i.test(name)) return 'checkCertificate';
  if (/server|(^|[^a-z])ca[^a-z]/i.test(name) && !/PRIVATE KEY/.test(text)) return 'checkCa';
  if (/PRIVATE KEY/.test(text) || /\.(key|p12|pfx)$|\.key\.pem$/i.test(name)) return 'checkKey';
  return 'checkCertificate';
}

async function fill(files, into = null) {
  for (const file of files) {
    const { text, bytes } = await readFile(file);
    const id = into ?? fieldFor(file.name, text ?? '');
    setBytes(id, text === undefined ? bytes : null);
    // A binary file (.p12, DER) is held as bytes; its field says what was chosen.
    $(id).value = text ?? `(${file.name}: ${bytes.length} bytes)`;
  }
}

// The binary files chosen, by field; a key's bytes live in the page's state (wiped by Clear).
const binary = new Map();
function setBytes(id, bytes) {
  if (id === 'checkKey') {
    state.checkKeyBytes?.fill(0);
    state.checkKeyBytes = bytes;
  } else binary.set(id, bytes);
}
const valueOf = (id) => (id === 'checkKey' ? state.checkKeyBytes : binary.get(id)) ?? ($(id).value.trim() || undefined);

function stageItem({ stage, ok, detail, fix }) {
  const li = document.createElement('li');
  li.dataset.ok = String(ok);
  li.dataset.stage = stage;
  li.className = ok ? 'ok' : 'failed';
  li.textContent = `${ok ? '✓' : '✗'} ${stage}: ${printable(detail, 400)}`;
  if (fix) {
    const p = document.createElement('div');
    p.className = 'fix';
    p.textContent = `${ok ? 'Note' : 'What to do'}: ${printable(fix, 400)}`;
    li.append(p);
  }
  return li;
}

async function check() {
  $('check-error').textContent = '';
  $('check-stages').replaceChildren();
  const certificate = valueOf('checkCertificate');
  if (!certificate) {
    $('check-error').textContent = 'Give the device certificate (its .pub.pem or .nopass.pem).';
    return;
  }
  $('checkButton').disabled = true;
  $('check-status').textContent = 'Checking…';
  try {
    const { checkDeviceFiles } = await later();
    const r = await checkDeviceFiles({
      certificate, key: valueOf('checkKey'), keyPassword: $('checkKeyPassword').value || undefined,
      chain: valueOf('checkChain'), ca: valueOf('checkCa'), host: $('checkHost').value.trim() || undefined,
    });
    $('check-stages').replaceChildren(...r.stages.map(stageItem));
    $('check-status').textContent = r.ok ? 'The files are in order.' : `${r.stages.filter((s) => !s.ok).length} problem(s) found.`;
  } catch (err) {
    $('check-status').textContent = '';
    $('check-error').textContent = printable(err.message);
  } finally {
    $('checkButton').disabled = false;
  }
}

export function mount() {
  $('checkButton').addEventListener('click', check);
  $('checkFiles').addEventListener('change', (e) => e.target.files.length && fill([...e.target.files]));
  for (const id of FIELDS) {
    dropFiles($(id), (files) => fill(files, files.length === 1 ? id : null));
    $(id).addEventListener('input', () => setBytes(id, null));
  }
}
