// Revoke certificates: the device CA of the Generate form revokes certificates (dropped, chosen
// or pasted) and serials, keeping the entries of its current CRL; the new CRL is downloaded as
// PEM and DER.
import { revokeCertificates } from '../../js/browser-calls.js';
import { printable } from '../../js/describe.js';
import { $, clearErrors, showError, readFile, dropZone, dropFiles, download } from '../dom.js';
import { issuer } from '../form.js';
import { on } from '../state.js';

let made = null; // the last CRL: { pem, der } (public)

async function addFiles(files) {
  const texts = [];
  for (const file of files) {
    const { text, bytes } = await readFile(file);
    texts.push(text ?? `-----BEGIN CERTIFICATE-----\n${btoa(String.fromCharCode(...bytes))}\n-----END CERTIFICATE-----\n`);
  }
  $('revokeCertificates').value += texts.join('');
  $('revoke-loaded').textContent = `${files.length} file${files.length === 1 ? '' : 's'} added`;
}

/** The certificates pasted or dropped: one PEM block each. */
const certificates = () => $('revokeCertificates').value.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];

async function revoke() {
  clearErrors();
  $('revoke-status').textContent = '';
  const ca = issuer();
  if (!ca) {
    $('caCertificate-error').textContent = 'Give the device CA whose CRL it is: its certificate, private key and key password.';
    return;
  }
  const serials = $('revokeSerials').value.split(/[\s,]+/).filter(Boolean);
  const options = { serials, reason: $('revokeReason').value, days: Number($('revokeDays').value) };
  if ($('revokeCrl').value.trim()) options.crl = $('revokeCrl').value;
  $('revokeButton').disabled = true;
  $('revoke-status').textContent = 'Revoking…';
  try {
    const r = await revokeCertificates(ca, certificates(), options);
    made = { pem: r.crlPem, der: r.crlDer };
    $('revokeCrl').value = r.crlPem; // the next revocation adds to it
    $('revoke-result').hidden = false;
    $('revoke-status').textContent = `CRL number ${r.crlNumber}: ${r.revoked.length} revoked now, ${r.entries} in all; next update ${r.nextUpdate.toISOString().slice(0, 10)}.`;
  } catch (err) {
    $('revoke-status').textContent = '';
    if (err.field === 'certificate') $('revokeCertificates-error').textContent = printable(err.message);
    else if (err.field === 'days') $('days-revoke-error').textContent = printable(err.message);
    else showError(err);
  } finally {
    $('revokeButton').disabled = false;
  }
}

function downloadLink(id, name, bytes, type) {
  $(id).addEventListener('click', (e) => {
    if (!made) return e.preventDefault();
    const a = $(id);
    a.download = name;
    a.href = download(name, bytes(), type);
    setTimeout(() => { a.href = '#'; }, 0);
    return undefined;
  });
}

export function mount() {
  $('revokeFiles').addEventListener('change', (e) => e.target.files.length && addFiles([...e.target.files]));
  dropFiles($('revokeCertificates-drop'), addFiles);
  dropZone($('revokeCrl-drop'), async (file) => { $('revokeCrl').value = (await readFile(file)).text ?? ''; });
  $('revokeCrlFile').addEventListener('change', async (e) => { if (e.target.files[0]) $('revokeCrl').value = (await readFile(e.target.files[0])).text ?? ''; });
  $('revokeButton').addEventListener('click', revoke);
  downloadLink('revokeDownload', 'deviceca.crl.pem', () => new TextEncoder().encode(made.pem), 'application/pkix-crl');
  downloadLink('revokeDownloadDer', 'deviceca.crl', () => made.der, 'application/pkix-crl');
  on('wiped', () => { made = null; $('revoke-result').hidden = true; });
}
