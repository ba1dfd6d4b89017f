// Node entry: loads the wasm module from the package folder synchronously.
import { readFileSync } from 'node:fs';
import * as wasm from '../pkg/tempus_certgen.js';
import { makeApi } from './api.js';

const api = makeApi(() => {
  wasm.initSync({ module: readFileSync(new URL('../pkg/tempus_certgen_bg.wasm', import.meta.url)) });
  return wasm;
});

export { OPTION_NAMES, recipeDefaults, wipe } from './api.js';
export const { generateCredentials, validateOptions, inspectCertificate, credentialsId, ready } = api;
/** Nothing to terminate in Node (generation runs in the calling thread). */
export function terminateWorkers() {}
