// What the page holds, in one place: the secrets (keys in the shown bundle and the devices made,
// a CA key chosen as bytes, passwords), the work in progress, and a small event bus through
// which the panels hear of each other without importing each other. `wipeAll` is what Clear and
// pagehide call.
import { wipe, terminateWorkers } from '../js/browser-calls.js';

export const state = {
  current: null, // the shown bundle (its files hold the private key)
  currentPasswords: null, // { storePassword, keyPassword } it was made with, for passwords.txt
  serverCertificatePem: null, // public: a server certificate generated in this visit
  serverAlias: null, // and the alias it was generated under
  generatedCa: null, // { certificatePem, keyPem, password } of a device CA made in this visit
  caKeyBytes: null, // a binary CA key file (.p12, DER) chosen or dropped
  csrBytes: null, // a DER request chosen or dropped
  checkKeyBytes: null, // a binary device key (.p12, DER) chosen in Check device files
  manyResults: [], // { index, name, folder, ok, bundle | error } of Many devices
  running: null, // AbortController of the generation in progress
  manyRun: null, // AbortController of Many devices in progress
  urls: new Set(), // object URLs to revoke
};

const bus = new EventTarget();
/** `result` (the shown bundle or null), `roles` (what the role options depend on changed), `wiped`. */
export const on = (name, listener) => bus.addEventListener(name, (e) => listener(e.detail));
export const emit = (name, detail) => bus.dispatchEvent(new CustomEvent(name, { detail }));

/** Show `bundle` as the result (the one shown before is wiped). */
export function setResult(bundle, passwords = null) {
  clearResult();
  state.current = bundle;
  state.currentPasswords = passwords;
  emit('result', bundle);
}

/** Wipe and hide the shown result; revoke its download links. */
export function clearResult() {
  if (state.current) wipe(state.current);
  state.current = null;
  state.currentPasswords = null;
  for (const url of state.urls) URL.revokeObjectURL(url);
  state.urls.clear();
  emit('result', null);
}

/** The devices of Many devices, wiped. */
export function wipeMany() {
  for (const r of state.manyResults) if (r.bundle) wipe(r.bundle);
  state.manyResults = [];
}

/** The fields that hold a secret (checkCertificate may hold a .nopass.pem): emptied by Clear and on leaving the page. */
const SECRET_FIELDS = ['storePassword', 'keyPassword', 'caKey', 'caPassword', 'sendPassword', 'sendToken', 'renewStorePassword', 'renewKeyPassword', 'checkCertificate', 'checkKey', 'checkKeyPassword'];

/** Every secret the page holds, in memory and in the fields that hold one; the workers ended. */
export function wipeAll() {
  for (const id of SECRET_FIELDS) {
    const field = document.getElementById(id);
    if (field) field.value = '';
  }
  state.running?.abort();
  state.manyRun?.abort();
  clearResult();
  wipeMany();
  state.caKeyBytes?.fill(0);
  state.caKeyBytes = null;
  state.checkKeyBytes?.fill(0);
  state.checkKeyBytes = null;
  state.csrBytes = null;
  state.generatedCa = null;
  terminateWorkers();
  emit('wiped');
  emit('fields');
}
