// The page. It uses the npm package's browser API exactly as any frontend would: generation runs
// in the package's Web Workers; validation is quick and runs here. Each part of the page is a
// panel of its own (www/panels/), mounted here; the panels share only the page's state
// (www/state.js), the form's values (www/form.js) and the DOM helpers (www/dom.js).
import { ready } from '../js/browser-calls.js';
import { $ } from './dom.js';
import { role, fillDefaults } from './form.js';
import { wipeAll } from './state.js';
import * as generate from './panels/generate.js';
import * as passwords from './panels/passwords.js';
import * as caSource from './panels/ca-source.js';
import * as result from './panels/result.js';
import * as sign from './panels/sign.js';
import * as inspect from './panels/inspect.js';
import * as checkFiles from './panels/check-files.js';
import * as many from './panels/many.js';
import * as send from './panels/send.js';
import * as revoke from './panels/revoke.js';
import * as renew from './panels/renew.js';

// The keys are wiped first, in a listener of their own, before anything else the page does.
window.addEventListener('pagehide', wipeAll);

for (const panel of [passwords, generate, caSource, result, sign, revoke, renew, inspect, checkFiles, many, send]) panel.mount();

$('clear').addEventListener('click', () => {
  wipeAll();
  $('status').textContent = 'Cleared: the keys were overwritten in memory.';
});

fillDefaults(role());
ready().then(
  () => { document.body.dataset.wasmReady = 'true'; }, // for tests: the module is instantiated
  (err) => { $('form-error').textContent = `The WebAssembly module could not load: ${err.message}`; },
);
