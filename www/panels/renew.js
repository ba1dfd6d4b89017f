// Renew a device: its files (certificate, key, .p12) dropped or chosen, opened with their
// passwords; a new certificate from the same issuer (the device CA of the Generate form when it
// was CA-signed); the new files shown in Result.
import { renewCredentials } from '../../js/browser-calls.js';
import { printable } from '../../js/describe.js';
import { $, clearErrors, dropFiles } from '../dom.js';
import { issuer } from '../form.js';
import { on, setResult } from '../state.js';

let files = {}; // { certificate, key, keystore, prefix }: the device's files (bytes; the key is secret)

function forget() {
  for (const f of Object.values(files)) if (f instanceof Uint8Array) f.fill(0);
  files = {};
  $('renew-loaded').textContent = 'none yet';
}

async function take(list) {
  forget();
  for (const file of list) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (file.name.endsWith('.pub.pem')) {
      files.certificate = bytes;
      files.prefix = file.name.slice(0, -'.pub.pem'.length);
    } else if (file.name.endsWith('.p12')) files.keystore = bytes;
    else if (file.name.endsWith('.nopass.pem')) files.key ??= bytes;
    else if (file.name.endsWith('.pem')) files.key = bytes; // the encrypted key wins over .nopass.pem
    else bytes.fill(0);
  }
  const have = ['certificate', 'key', 'keystore'].filter((k) => files[k]);
  $('renew-loaded').textContent = `${have.length ? have.join(', ') : 'nothing usable'} loaded${files.prefix ? ` (${files.prefix})` : ''}`;
}

async function renew() {
  clearErrors();
  $('renew-status').textContent = '';
  if (!files.certificate || !files.key) {
    $('certificate-renew-error').textContent = 'Give the device\'s .pub.pem and its key (.pem or .nopass.pem), and its .p12.';
    return;
  }
  const options = { certificate: files.certificate, key: files.key, prefix: files.prefix, newKey: $('renewNewKey').checked };
  if (files.keystore) options.keystore = files.keystore;
  if ($('renewStorePassword').value) options.storePassword = $('renewStorePassword').value;
  if ($('renewKeyPassword').value) options.keyPassword = $('renewKeyPassword').value;
  if ($('renewDays').value.trim()) options.days = Number($('renewDays').value);
  const ca = issuer();
  if (ca) options.issuer = ca;
  $('renewButton').disabled = true;
  $('renew-status').textContent = 'Renewing…';
  try {
    const made = await renewCredentials(options);
    setResult(made, { storePassword: options.storePassword, keyPassword: options.keyPassword });
    $('renew-status').textContent = `Renewed: ${made.files.length} files, in Result above (credentials id ${made.previousCredentialsId.slice(0, 12)}… -> ${made.credentialsId.slice(0, 12)}…).`;
    $('result').scrollIntoView?.({ block: 'nearest' });
  } catch (err) {
    $('renew-status').textContent = '';
    const slot = { storePassword: 'renewStorePassword-error', keyPassword: 'renewKeyPassword-error' }[err.field] ?? 'certificate-renew-error';
    $(slot).textContent = printable(err.message);
  } finally {
    $('renewButton').disabled = false;
  }
}

export function mount() {
  $('renewFiles').addEventListener('change', (e) => e.target.files.length && take([...e.target.files]));
  dropFiles($('renew-drop'), take);
  $('renewButton').addEventListener('click', renew);
  on('wiped', forget);
}
