// dist/tempus-certgen-embed.js: a drop-in script for the Tempus / ThingsBoard Web UI (added by a
// deployment, or loaded as a bookmarklet). When a Device Credentials dialog opens it adds a
// "Generate X.509 credentials" button: a client bundle is generated in a worker, the dialog is
// filled, and the device's files are offered for download. Also exposes window.TempusCertgen.
//
// This file is all that a Web UI page loads while no dialog is open (a few KB): it watches for
// the dialog and checks the page's CSP. The rest (js/embed-panel.js, the worker and the wasm
// module) lives in tempus-certgen-embed/ beside this script and is fetched the first time a
// dialog opens or an API function is called. webpack's `publicPath: 'auto'` finds "beside this
// script" from document.currentScript while the script first runs.
import { findCredentialsDialog } from './dialog.js';
import { randomPassword, wipe } from './secrets.js';

const MARK = 'data-tempus-certgen';
// Where this script came from, for messages (webpack reads it for the fetches the same way).
const SCRIPT = typeof document !== 'undefined' ? document.currentScript?.src || 'tempus-certgen-embed.js' : '';

/** The second half, fetched once. A failed fetch is not cached: the next dialog tries again. */
let second = null;
function load() {
  second ??= import(/* webpackChunkName: "panel" */ './embed-panel.js').then((m) => {
    m.preload();
    return m;
  }, (e) => {
    second = null;
    throw new Error(`could not load the rest of tempus-certgen from beside ${SCRIPT} (${String(e.message).replace(/\s+/g, " ")}); serve the tempus-certgen-embed/ folder next to the script, and allow it in the page's script-src and connect-src`);
  });
  return second;
}

/** What the hosting page's Content-Security-Policy lets us do: null when all is well. */
async function blockedBy() {
  try {
    await WebAssembly.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  } catch (e) {
    return `this page's Content-Security-Policy does not allow compiling WebAssembly (script-src needs 'wasm-unsafe-eval'): ${e.message}`;
  }
  try {
    const url = URL.createObjectURL(new Blob([''], { type: 'text/javascript' }));
    const w = new Worker(url);
    w.terminate();
    URL.revokeObjectURL(url);
  } catch (e) {
    return `this page's Content-Security-Policy does not allow a blob: worker (worker-src or script-src needs blob:): ${e.message}`;
  }
  return null;
}

function alertIn(panel, text) {
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.style.cssText = 'margin:0;color:#b42318';
  p.textContent = `X.509 credentials cannot be generated here: ${text}.`;
  panel.replaceChildren(p);
}

let blocked;
const panels = new Set();

async function scan() {
  const dialog = findCredentialsDialog(document);
  for (const p of panels) {
    if (!p.isConnected) {
      p.cleanup?.();
      panels.delete(p);
    }
  }
  if (!dialog || dialog.typeSelect.hasAttribute(MARK)) return;
  dialog.typeSelect.setAttribute(MARK, 'seen');
  blocked ??= await blockedBy();
  const anchor = dialog.typeSelect.closest('md-input-container') || dialog.typeSelect;
  const panel = document.createElement('div');
  panel.setAttribute(MARK, 'panel');
  panel.style.cssText = 'margin:8px 0;padding:8px;border:1px dashed #8a94a6;border-radius:6px;font:13px/1.4 system-ui,sans-serif';
  anchor.insertAdjacentElement('afterend', panel);
  panels.add(panel);
  if (blocked) {
    alertIn(panel, blocked);
    return;
  }
  try {
    (await load()).fillPanel(panel, dialog);
  } catch (e) {
    alertIn(panel, e.message);
  }
}

if (typeof window !== 'undefined') {
  // The API loads the second half on its first call; randomPassword and wipe need no wasm.
  const lazy = (name) => async (...args) => (await load()).api[name](...args);
  window.TempusCertgen = Object.freeze({
    generateCredentials: lazy('generateCredentials'),
    fillDeviceCredentials: lazy('fillDeviceCredentials'),
    provisionDevice: lazy('provisionDevice'),
    inspectCertificate: lazy('inspectCertificate'),
    credentialsId: lazy('credentialsId'),
    wipe,
    randomPassword,
    version: '0.1.0',
  });
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; scan(); });
  });
  const start = () => {
    observer.observe(document.body, { childList: true, subtree: true });
    scan();
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
  window.addEventListener('pagehide', () => {
    for (const p of panels) p.cleanup?.();
    second?.then((m) => m.terminateWorkers(), () => {});
  });
}
