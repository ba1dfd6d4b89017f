// Result: what was made (rows, what to do next), each file's download, Download all (.zip, the
// unencrypted key and passwords.txt only when asked), and Copy certificate.
import { nextSteps, printable } from '../../js/describe.js';
import { $, details, download, saveAndWipe } from '../dom.js';
import { later, zipping } from '../later.js';
import { state, on } from '../state.js';

const date = (d) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function rows(b) {
  if (b.role === 'csr') return [['Request for', b.subject]];
  return [
    ['Subject', b.subject],
    ...(b.issuer ? [['Issuer', b.issuer]] : []),
    ['Valid from', date(b.notBefore)],
    ['Valid until', date(b.notAfter) + (b.validityCut ? ' (cut to the CA\'s end: a certificate cannot outlive its CA)' : '')],
    ['SHA-256 fingerprint', b.sha256Fingerprint, true],
    [b.role === 'ca' ? 'Credentials id (the device profile\'s CA id)' : 'Credentials id', b.credentialsId, true],
  ];
}

function fileItem(b, f) {
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
  return li;
}

function show(b) {
  if (!b) {
    $('downloads').replaceChildren();
    $('result-details').replaceChildren();
    $('result').hidden = true;
    return;
  }
  details($('result-details'), rows(b));
  $('explain').textContent = nextSteps(b);
  $('zipNopassName').textContent = `${b.prefix}.nopass.pem`;
  $('downloads').replaceChildren(...b.files.map((f) => fileItem(b, f)));
  $('copyCertificate').hidden = !b.certificatePem;
  $('device-code').hidden = b.role !== 'client' || !b.files.some((f) => f.name.endsWith('.nopass.pem'));
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

/** "Files for the device": the shown client's credentials as the device's files, zipped. */
async function deviceZip() {
  const [{ deviceFiles }, { zip }] = await Promise.all([later(), zipping()]);
  const b = state.current;
  if (!b) return;
  $('url-error').textContent = '';
  const text = (suffix) => new TextDecoder().decode(b.files.find((f) => f.name.endsWith(suffix))?.bytes ?? new Uint8Array());
  const cn = (b.subject.match(/^CN=((?:\\.|[^,\\])*)/)?.[1] ?? 'device').replace(/\\(.)/g, '$1');
  let files;
  try {
    files = deviceFiles({ certificatePem: text('.chain.pem') || b.certificatePem, keyPem: text('.nopass.pem'), caPem: $('serverCertificate').value || null,
      url: $('deviceBroker').value.trim(), clientId: cn });
  } catch (err) {
    $('url-error').textContent = printable(err.message);
    return;
  }
  const enc = new TextEncoder();
  saveAndWipe(`${b.prefix}-device.zip`, zip(files.map((f) => ({ name: `device/${f.name}`, bytes: enc.encode(f.text) }))), 'application/zip');
}

export function mount() {
  on('result', show);
  $('deviceCodeButton').addEventListener('click', deviceZip);
  $('downloadAll').addEventListener('click', async () => {
    const { zip } = await zipping();
    const { current } = state;
    if (!current) return;
    // The unencrypted key only when the box says so (it is what whoever gets the zip can use).
    const files = current.files.filter((f) => $('zipNopass').checked || !f.name.endsWith('.nopass.pem'));
    const extra = $('zipPasswords').checked && state.currentPasswords ? [passwordsFile(current, state.currentPasswords)] : [];
    const bytes = zip([...files, ...extra]);
    for (const f of extra) f.bytes.fill(0);
    saveAndWipe(`${current.prefix}.zip`, bytes, 'application/zip');
  });
  $('copyCertificate').addEventListener('click', async () => {
    if (!state.current) return;
    try {
      await navigator.clipboard.writeText(state.current.certificatePem);
      $('copy-status').textContent = 'Certificate copied.';
    } catch {
      $('copy-status').textContent = 'The browser refused the clipboard; download the .pub.pem instead.';
    }
  });
}
