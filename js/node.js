// Node entry: loads the wasm module from the package folder synchronously.
import { readFileSync } from 'node:fs';
import * as wasm from '../pkg/tempus_certgen.js';
import { makeApi } from './api.js';
import { checkOptions } from './calls.js';
import { makeGenerateMany } from './fleet.js';
import { makeCheckExpiry } from './expiry.js';
import { makeCheckDeviceFiles } from './device-files.js';
import { makeNodePool } from './node-pool.js';
import { makeProvisionDevice, makeProvisionMany, makeFillDeviceCredentials, makeDeprovisionDevices, makeCheckPlatform } from './tempus.js';
import { resolveLocalhost } from './node-resolve.js';
import { makeCheckConnection } from './connect.js';

const api = makeApi(() => {
  wasm.initSync({ module: readFileSync(new URL('../pkg/tempus_certgen_bg.wasm', import.meta.url)) });
  return wasm;
});

export { recipeDefaults, wipe, randomPassword, DEFAULT_PASSWORDS } from './api.js';
export { OPTION_NAMES, ISSUER_NAMES, REQUEST_OPTION_NAMES, SIGN_OPTION_NAMES, ASSEMBLE_OPTION_NAMES, REVOKE_OPTION_NAMES, RENEW_OPTION_NAMES } from './calls.js';
export { findCredentialsDialog, checkBaseUrl } from './tempus.js';
export { deviceFiles } from './device-code.js';
/** Set a device's credentials to the certificate through Tempus' REST API. */
export const provisionDevice = makeProvisionDevice(api.inspectCertificate, resolveLocalhost);
/** Find (or create) many devices by name and give each its certificate; see README "Fleets in bulk". */
export const provisionMany = makeProvisionMany(api.inspectCertificate, resolveLocalhost);
/** After a revocation: each certificate's device given a fresh access token instead (when it holds that certificate). */
export const deprovisionDevices = makeDeprovisionDevices(api.inspectCertificate, resolveLocalhost);
/** Fill the open Device Credentials dialog of the Tempus / ThingsBoard Web UI. */
export const fillDeviceCredentials = makeFillDeviceCredentials(api.inspectCertificate);
export const { generateCredentials, validateOptions, inspectCertificate, inspectRequest, credentialsId, checkKeyPair, createRequest, signRequest, assembleCredentials, revokeCertificates, renewCredentials, readCrl, ready } = api;
/** The expiry report: every certificate given, soonest first, with its days left and status. */
export const checkExpiry = makeCheckExpiry(api.inspectCertificate, api.readCrl);
/** The offline checks of connect's first stage and the server name, as the browser has them. */
export const checkDeviceFiles = makeCheckDeviceFiles(api.inspectCertificate, api.checkKeyPair);
/** Node only (a browser cannot open TLS sockets): a real MQTT login over TLS, stage by stage. */
export const checkConnection = makeCheckConnection(api.credentialsId, makeCheckPlatform(api.inspectCertificate, resolveLocalhost));
/** Nothing to terminate in Node (generation runs in the calling thread). */
export function terminateWorkers() {}

// Many devices: a pool of worker threads, one per core unless `concurrency` says otherwise.
const pool = makeNodePool();
/** Many devices' client credentials: an async iterable of `{ name, ok, bundle | error, ... }` in completion order. */
export const generateMany = makeGenerateMany({
  runOne: (options) => pool.runOne('generateCredentials', options),
  defaultConcurrency: pool.defaultConcurrency,
  checkOptions,
  release: pool.release,
});
export { toManifestCsv, toThingsBoardCsv, parseNames, patternNames, planDevices, safeFolder, parseCsv, csvValue } from './fleet.js';
