// The embed script's second half, loaded by js/embed.js the first time a Device Credentials
// dialog opens (or window.TempusCertgen is first called): the panel with its "Generate X.509
// credentials" button, the JS API, and (through runtime-embed.js) the wasm module and the worker.
import {
  generateCredentials, fillDeviceCredentials, provisionDevice, inspectCertificate, credentialsId,
  wipe, terminateWorkers, randomPassword, recipeDefaults,
} from './browser.js';
import { wasmModule, kindOf } from './runtime.js';

export const api = { generateCredentials, fillDeviceCredentials, provisionDevice, inspectCertificate, credentialsId, wipe, randomPassword };
export { terminateWorkers };

/** Starts fetching and compiling the wasm module, so that the first click does not wait for it. */
export function preload() {
  // The module of a first generation (the lean one where the runtime has it); a failure is
  // reported by the first call that needs the module.
  wasmModule(kindOf('lean')).catch(() => {});
}

/** The device's name, where the Web UI shows it; null otherwise. */
function deviceName(dialog) {
  const selectors = ['[data-device-name]', '.tb-details-title', 'tb-details-panel .mat-headline-5', '.tb-entity-details-title'];
  for (const sel of selectors) {
    const el = document.querySelector(sel);
    const name = (el?.getAttribute('data-device-name') || el?.textContent || '').trim();
    if (name && name.length <= 64 && !/[\u0000-\u001f]/.test(name)) return name;
  }
  const title = dialog.closest('md-dialog, mat-dialog-container, [role=dialog]')?.querySelector('h2')?.textContent ?? '';
  const m = title.match(/credentials?\s*[-:–]\s*(.+)$/i);
  return m ? m[1].trim().slice(0, 64) : null;
}

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

/** Fills `panel` (made by embed.js) with the button, the options and the files of a dialog. */
export function fillPanel(panel, dialog) {
  const button = el('button', { type: 'button', style: 'padding:6px 12px;cursor:pointer' }, 'Generate X.509 credentials');
  const note = el('span', { style: 'margin-left:8px;color:#5b6470' }, 'The private key is generated in this browser and never leaves it.');
  // Random passwords unless the user asks for the recipe's (public) defaults, which get a warning.
  const randomBox = el('input', { type: 'checkbox', checked: '' });
  const randomLabel = el('label', { style: 'display:block;margin-top:6px' });
  randomLabel.append(randomBox, ' Use random passwords');
  const warning = el('p', { role: 'status', style: 'margin:4px 0 0;color:#8a4b00' });
  const defaults = recipeDefaults('client');
  const showWarning = () => {
    warning.textContent = randomBox.checked ? ''
      : `The files will be protected by the recipe's published default passwords ("${defaults.storePassword}" / "${defaults.keyPassword}"): anyone can open them.`;
  };
  randomBox.addEventListener('change', showWarning);
  const status = el('p', { role: 'status', style: 'margin:6px 0 0' });
  const passwords = el('div', { 'aria-label': 'Passwords', style: 'margin:6px 0 0' });
  const files = el('ul', { 'aria-label': 'Device files', style: 'list-style:none;padding:0;margin:6px 0 0;display:flex;flex-wrap:wrap;gap:6px' });
  panel.append(button, note, randomLabel, warning, status, passwords, files);
  let bundle = null;
  panel.cleanup = () => {
    if (bundle) wipe(bundle);
    bundle = null;
    passwords.replaceChildren();
  };

  /** The passwords, shown once beside the files (they are kept nowhere), with copy buttons. */
  function showPasswords(pw) {
    passwords.replaceChildren(el('p', { style: 'margin:0' }, 'Random passwords, shown once: copy them now. A .jks withstands far fewer password guesses than a .p12 or .pem.'));
    for (const [label, value] of [['Keystore password', pw.storePassword], ['Key password', pw.keyPassword]]) {
      const row = el('div', { style: 'display:flex;gap:6px;align-items:center;margin-top:4px' });
      const copy = el('button', { type: 'button' }, `Copy ${label.toLowerCase()}`);
      copy.addEventListener('click', () => navigator.clipboard?.writeText(value).then(() => { copy.textContent = 'Copied'; }, () => { copy.textContent = 'Select and copy it by hand'; }));
      row.append(el('span', {}, `${label}:`), el('code', { 'data-password': label === 'Key password' ? 'key' : 'store' }, value), copy);
      passwords.append(row);
    }
  }
  button.addEventListener('click', async () => {
    button.disabled = true;
    panel.cleanup();
    files.replaceChildren();
    const cn = deviceName(dialog.typeSelect) || 'device';
    const started = performance.now();
    status.textContent = `Generating an RSA-2048 key for "${cn}"…`;
    const pw = randomBox.checked ? { storePassword: randomPassword(), keyPassword: randomPassword() } : {};
    try {
      bundle = await generateCredentials({ role: 'client', cn, ...pw }, {
        onProgress: ({ elapsedMs }) => { if (elapsedMs) status.textContent = `Generating an RSA-2048 key for "${cn}"… ${(elapsedMs / 1000).toFixed(1)} s`; },
      });
      const filled = await fillDeviceCredentials(bundle.certificatePem, { root: document });
      status.textContent = filled.ok
        ? `Filled in the certificate (credentials id ${bundle.credentialsId}). Save the dialog, and keep the device's files (${((performance.now() - started) / 1000).toFixed(1)} s):`
        : `Generated, but could not fill the form (${filled.reason}); paste ${bundle.prefix}.pub.pem yourself. The device's files:`;
      if (pw.storePassword) showPasswords(pw);
      for (const f of bundle.files) {
        const a = el('a', { download: f.name, href: '#', style: 'padding:2px 8px;border:1px solid #c5ccd6;border-radius:4px' }, f.name);
        a.addEventListener('click', () => {
          // The object URL lives only around the click: the browser has taken the blob by the
          // next task, and then no URL to the key is left.
          const url = URL.createObjectURL(new Blob([f.bytes], { type: f.mimeType }));
          a.href = url;
          setTimeout(() => {
            URL.revokeObjectURL(url);
            a.href = '#';
          }, 0);
        });
        const li = el('li');
        li.append(a);
        files.append(li);
      }
    } catch (e) {
      status.textContent = `Could not generate credentials: ${e.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return panel;
}

