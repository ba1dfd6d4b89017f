// Browser entry (webpack 5, Vite, plain ESM). generateCredentials runs in a Web Worker, so the
// page stays responsive; an AbortSignal terminates the worker at once. Two wasm modules: the lean
// one (pkg/lean/) for a first generation, the full one loaded on the first call that needs it.
// The calls of the module are browser-calls.js; here is what is built on them (REST, fleets,
// the expiry report, the file checks), which the page imports only on first use. The factories
// are marked pure: a bundle that uses none of what one makes leaves it (and its module) out.
import { inspectCertificate, checkKeyPair, inspectInThisThread, madeInThisPage, readCrl, callIn, kindFor, spawnWorker, RACERS } from './browser-calls.js';
import { checkOptions } from './calls.js';
import { makeGenerateMany } from './fleet.js';
import { makeCheckExpiry } from './expiry.js';
import { makeCheckDeviceFiles } from './device-files.js';
import { makeProvisionDevice, makeProvisionMany, makeFillDeviceCredentials, makeDeprovisionDevices } from './tempus.js';

export {
  recipeDefaults, wipe, randomPassword, DEFAULT_PASSWORDS,
  OPTION_NAMES, ISSUER_NAMES, REQUEST_OPTION_NAMES, SIGN_OPTION_NAMES, ASSEMBLE_OPTION_NAMES, REVOKE_OPTION_NAMES, RENEW_OPTION_NAMES,
  validateOptions, credentialsId, readCrl, ready, generateCredentials, createRequest, signRequest, assembleCredentials,
  renewCredentials, revokeCertificates, inspectCertificate, inspectRequest, checkKeyPair, terminateWorkers,
} from './browser-calls.js';
export { findCredentialsDialog, checkBaseUrl } from './tempus.js';
export { deviceFiles } from './device-code.js';
export { toManifestCsv, toThingsBoardCsv, parseNames, patternNames, planDevices, safeFolder, parseCsv, csvValue } from './fleet.js';

/** Set a device's credentials to the certificate through Tempus' REST API. */
export const provisionDevice = /*#__PURE__*/ makeProvisionDevice(inspectInThisThread);
/** Find (or create) many devices by name and give each its certificate; see README "Fleets in bulk". */
export const provisionMany = /*#__PURE__*/ makeProvisionMany(inspectInThisThread);
/** After a revocation: each certificate's device given a fresh access token instead (when it holds that certificate). */
export const deprovisionDevices = /*#__PURE__*/ makeDeprovisionDevices(inspectInThisThread);
/** Fill the open Device Credentials dialog of the Tempus / ThingsBoard Web UI (a certificate made in this page is pasted as it is). */
export const fillDeviceCredentials = /*#__PURE__*/ makeFillDeviceCredentials(inspectInThisThread, madeInThisPage);
/** `connect`'s offline checks: the device's files, and the CA file's server name against the host. */
export const checkDeviceFiles = /*#__PURE__*/ makeCheckDeviceFiles(inspectCertificate, checkKeyPair);
/** The expiry report: every certificate given, soonest first, with its days left and status. */
export const checkExpiry = /*#__PURE__*/ makeCheckExpiry(inspectCertificate, readCrl);
// Many devices: one worker per core (up to 8), each making whole bundles (no prime race: with
// every core busy on its own device, a race only adds messages).
const many = { idle: { lean: [], full: [] }, all: new Set() };
/** Client credentials for many devices; see index.d.ts. */
export const generateMany = /*#__PURE__*/ makeGenerateMany({
  async runOne(options) {
    const kind = kindFor('generateCredentials', [options]);
    const worker = many.idle[kind].pop() ?? spawnWorker(kind);
    many.all.add(worker);
    try {
      // keepIssuerOpen is the full module's: a lean worker never has an issuer to keep.
      return await callIn(worker, kind, 'generateCredentials', [options], { keepIssuer: kind === 'full' });
    } finally {
      if (!worker.dead && many.all.has(worker)) many.idle[kind].push(worker);
    }
  },
  defaultConcurrency: () => RACERS,
  checkOptions,
  release() {
    for (const w of many.all) w.terminate();
    many.all.clear();
    many.idle.lean.length = 0;
    many.idle.full.length = 0;
  },
});
