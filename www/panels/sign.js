// Sign a request: a CSR pasted, dropped or chosen, signed with the device CA of the Generate
// form, as a client or a server; the result shown in Result.
import { signRequest } from '../../js/browser-calls.js';
import { $, clearErrors, showError, readFile, fileInput } from '../dom.js';
import { role, issuer } from '../form.js';
import { state, setResult } from '../state.js';

async function loadCsr(file) {
  const { text, bytes } = await readFile(file);
  if (text) {
    $('csrInput').value = text;
    state.csrBytes = null;
  } else {
    $('csrInput').value = '';
    state.csrBytes = bytes;
    $('sign-status').textContent = `${file.name} loaded (${bytes.length} bytes)`;
  }
}

/** The sign options the form gives: the role, and the days and prefix of the Generate form. */
function signOptions() {
  const signRole = $('signRole').value;
  const opts = { role: signRole };
  const days = $('days').value.trim();
  if (days) opts.days = Number(days);
  if ($('prefix').value.trim() && role() === signRole) opts.prefix = $('prefix').value.trim();
  return opts;
}

async function sign() {
  clearErrors();
  $('sign-status').textContent = '';
  const request = $('csrInput').value.trim() ? $('csrInput').value : state.csrBytes;
  if (!request) {
    $('csr-error').textContent = 'Paste a certificate request, or choose a .csr file.';
    return;
  }
  const ca = issuer();
  if (!ca) {
    $('caCertificate-error').textContent = 'Give the device CA that signs: its certificate, private key and key password.';
    return;
  }
  $('signButton').disabled = true;
  $('sign-status').textContent = 'Signing…';
  try {
    const signed = await signRequest(request, ca, signOptions());
    setResult(signed);
    $('sign-status').textContent = `Signed: ${signed.files.length} files, in Result above.`;
    $('result').scrollIntoView?.({ block: 'nearest' });
  } catch (err) {
    $('sign-status').textContent = '';
    showError(err);
  } finally {
    $('signButton').disabled = false;
  }
}

export function mount() {
  fileInput('csrFile', 'csr-drop', loadCsr);
  $('signButton').addEventListener('click', sign);
}
