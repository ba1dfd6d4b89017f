// Sign with a device CA: the CA certificate and key pasted, dropped or chosen (a .p12 or DER key
// kept as bytes, wiped on Clear), or the CA made on this page.
import { $, readFile, fileInput, certificateInto } from '../dom.js';
import { state, on } from '../state.js';

function forgetKeyBytes() {
  state.caKeyBytes?.fill(0);
  state.caKeyBytes = null;
  $('caKey-loaded').textContent = '';
}

async function loadCaKey(file) {
  const { text, bytes } = await readFile(file);
  forgetKeyBytes();
  if (text) {
    $('caKey').value = text;
  } else {
    // A .p12 or DER key: kept as bytes (wiped on Clear), not shown.
    state.caKeyBytes = bytes;
    $('caKey').value = '';
    $('caKey-loaded').textContent = `${file.name} loaded (${bytes.length} bytes)`;
  }
  $('caKey-error').textContent = '';
}

export function mount() {
  fileInput('caCertificateFile', 'caCertificate-drop', (file) => certificateInto('caCertificate', file));
  fileInput('caKeyFile', 'caKey-drop', loadCaKey);
  $('caKey').addEventListener('input', () => {
    if ($('caKey').value.trim() && state.caKeyBytes) forgetKeyBytes();
  });
  $('useCa').addEventListener('click', () => {
    if (!state.generatedCa) return;
    $('caCertificate').value = state.generatedCa.certificatePem;
    $('caKey').value = state.generatedCa.keyPem;
    $('caPassword').value = state.generatedCa.password;
    for (const id of ['caCertificate', 'caKey', 'caPassword']) $(`${id}-error`).textContent = '';
  });
  on('wiped', () => { $('caKey-loaded').textContent = ''; });
}
