// Many devices: the form's options (as a client, without its CN), one device per name, made in
// the package's workers with a progress bar and Cancel (what is made is kept); a table of the
// devices; Download all (.zip) with a folder per device, both CSVs and a README.
import { validateOptions } from '../../js/browser-calls.js';
import { $, nextTask, clearErrors, showError, dropZone, saveAndWipe } from '../dom.js';
import { options } from '../form.js';
import { later, zipping } from '../later.js';
import { state, on, clearResult, wipeMany } from '../state.js';

const MAX_ROWS_SHOWN = 2000;
const README = 'Each folder holds one device\'s credentials, including mqttclient.nopass.pem: its private key WITHOUT a password.\n' +
  'Whoever has this zip can act as every device in it. Hand each folder to its device only, then delete the zip.\n' +
  'manifest.csv lists every device; thingsboard-devices.csv is for ThingsBoard\'s device import (columns NAME, TYPE, LABEL, X509).\n';

async function devices() {
  const { parseNames, patternNames } = await later();
  const text = $('manyNames').value;
  if (text.trim()) return parseNames(text);
  return patternNames(Number($('manyCount').value), $('manyPattern').value || 'device-{n}');
}

function row(r) {
  const tr = document.createElement('tr');
  for (const v of [r.name || '(empty)', r.ok ? r.bundle.credentialsId : '', r.ok ? `ok${r.warning ? `; ${r.warning}` : ''}` : `failed: ${r.error?.message ?? ''}`]) {
    const td = document.createElement('td');
    td.textContent = v;
    tr.append(td);
  }
  return tr;
}

function hideDevices() {
  $('manyRows').replaceChildren();
  $('many-result').hidden = true;
}

const fmtSeconds = (ms) => (ms === null ? '' : `, about ${Math.max(0, Math.ceil(ms / 1000))} s left`);

/** The form's options for every device: a client's, without its CN, prefix and names. */
async function deviceOptions() {
  const { role: _role, cn: _cn, prefix: _prefix, san: _san, serverCertificate, serverAlias, ...base } = options();
  const opts = { ...base, ...(serverCertificate ? { serverCertificate } : {}), ...(serverAlias ? { serverAlias } : {}) };
  const { issuer: _issuer, ...rest } = opts;
  await validateOptions({ ...rest, role: 'client', cn: 'device-1' });
  return opts;
}

function progress(bar) {
  return ({ done, total, failed, remainingMs }) => {
    bar.value = done;
    bar.setAttribute('aria-valuetext', `${done} of ${total}`);
    $('many-status').textContent = `${done} of ${total} devices${failed ? ` (${failed} failed)` : ''}${done < total ? fmtSeconds(remainingMs) : ''}`;
  };
}

async function makeAll() {
  if (state.manyRun || state.running) return;
  for (const id of ['manyNames-error', 'manyCount-error']) $(id).textContent = '';
  clearErrors();
  let list;
  let opts;
  try {
    list = await devices();
  } catch (err) {
    $(err.field === 'count' ? 'manyCount-error' : 'manyNames-error').textContent = err.message;
    return;
  }
  try {
    opts = await deviceOptions();
  } catch (err) {
    showError(err);
    return;
  }
  wipeMany();
  hideDevices();
  clearResult();
  state.manyRun = new AbortController();
  $('manyButton').disabled = true;
  $('manyCancel').hidden = false;
  const bar = $('manyProgress');
  Object.assign(bar, { hidden: false, max: list.length, value: 0 });
  $('many-status').textContent = `0 of ${list.length} devices…`;
  let shown = 0;
  try {
    await nextTask();
    const type = $('manyType').value.trim() || 'default';
    const { generateMany } = await later();
    for await (const r of generateMany(list, opts, { signal: state.manyRun.signal, type, onProgress: progress(bar) })) {
      state.manyResults.push(r);
      if (shown++ < MAX_ROWS_SHOWN) $('manyRows').append(row(r));
      $('many-result').hidden = false;
    }
    const made = state.manyResults.filter((r) => r.ok).length;
    $('many-status').textContent = state.manyRun.signal.aborted
      ? `Cancelled: ${made} devices made are kept.`
      : `Done: ${made} of ${list.length} devices made${made < list.length ? `, ${list.length - made} failed` : ''}.`;
  } catch (err) {
    $('many-status').textContent = err.message;
  } finally {
    state.manyRun = null;
    $('manyButton').disabled = false;
    $('manyCancel').hidden = true;
  }
}

async function downloadAll() {
  const [{ toManifestCsv, toThingsBoardCsv }, { zip }] = await Promise.all([later(), zipping()]);
  const results = state.manyResults;
  if (!results.length) return;
  const enc = new TextEncoder();
  const files = results.filter((r) => r.ok).flatMap((r) => r.bundle.files.map((f) => ({ name: `${r.folder}/${f.name}`, bytes: f.bytes })));
  const extra = [
    { name: 'manifest.csv', bytes: enc.encode(toManifestCsv(results)) },
    { name: 'thingsboard-devices.csv', bytes: enc.encode(toThingsBoardCsv(results)) },
    { name: 'README.txt', bytes: enc.encode(README) },
  ];
  saveAndWipe('devices.zip', zip([...files, ...extra]), 'application/zip');
}

export function mount() {
  dropZone($('names-drop'), async (file) => {
    const { parseNames } = await later();
    $('manyNames').value = parseNames(await file.text()).map((d) => d.name).join('\n');
  });
  $('manyButton').addEventListener('click', makeAll);
  $('manyCancel').addEventListener('click', () => state.manyRun?.abort());
  $('manyDownload').addEventListener('click', downloadAll);
  on('wiped', hideDevices);
}
