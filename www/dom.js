// The page's DOM helpers, shared by the panels: lookups, detail lists, errors beside their fields,
// files read from a chooser or a drop, and downloads whose object URL lives only for a click.
import { inspectCertificate } from '../js/browser-calls.js';
import { printable } from '../js/describe.js';
import { state } from './state.js';

export const $ = (id) => document.getElementById(id);

/** A new task: lets the browser draw before work starts. */
export const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** `[label, value, monospace]` rows into a <dl>. */
export function details(dl, rows) {
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

export function clearErrors() {
  for (const el of document.querySelectorAll('.error')) el.textContent = '';
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

// Fields whose input has another id than the option's name.
const FIELD_IDS = { 'issuer.certificate': 'caCertificate', 'issuer.privateKey': 'caKey', 'issuer.password': 'caPassword', csr: 'csrInput' };
const ERROR_IDS = { csr: 'csr-error' };

/** An API error beside the field it names (focused), or above the form. */
export function showError(err) {
  const id = FIELD_IDS[err.field] ?? err.field;
  const slot = err.field && $(ERROR_IDS[err.field] ?? `${id}-error`);
  if (slot) {
    // Next to its field the message need not name the field again.
    slot.textContent = printable(err.message.replace(/^[^:]*\([A-Za-z.]+\): /, ''));
    const input = $(id) || document.querySelector(`#form [name="${id}"]`);
    input?.setAttribute('aria-invalid', 'true');
    input?.focus();
  } else {
    $('form-error').textContent = printable(err.message);
  }
}

/** A chosen or dropped file: `{ text }` when it is PEM, else `{ bytes }` (DER, .p12). */
export async function readFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  return text.includes('-----BEGIN') ? { text } : { bytes };
}

/** A certificate file (PEM, or DER shown as PEM) into the text field `id`; a bad file's error beside it. */
export async function certificateInto(id, file) {
  $(`${id}-error`).textContent = '';
  try {
    const { text, bytes } = await readFile(file);
    $(id).value = text ?? (await inspectCertificate(bytes)).certificatePem;
  } catch (err) {
    $(`${id}-error`).textContent = err.message;
  }
}

/** Calls `onFiles` with the files dropped on `zone` (a list, never empty). */
export function dropFiles(zone, onFiles) {
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) onFiles(files);
  });
}

/** Calls `onFile` with a file dropped on `zone` (the first, when several are). */
export const dropZone = (zone, onFile) => dropFiles(zone, (files) => onFile(files[0]));

/** A file input and a drop zone that both hand their file to `onFile`. */
export function fileInput(inputId, zoneId, onFile) {
  $(inputId).addEventListener('change', (e) => e.target.files[0] && onFile(e.target.files[0]));
  dropZone($(zoneId), onFile);
}

/**
 * An object URL for one click's download, revoked right after the click (the browser has taken
 * the blob by then), so that no URL to a key outlives the click.
 */
export function download(name, bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  state.urls.add(url);
  setTimeout(() => { URL.revokeObjectURL(url); state.urls.delete(url); }, 0);
  return url;
}

/** Save `bytes` as `name` (a zip), then wipe them. */
export function saveAndWipe(name, bytes, type) {
  const a = document.createElement('a');
  a.download = name;
  a.href = download(name, bytes, type);
  document.body.append(a);
  a.click();
  a.remove();
  bytes.fill(0);
}
