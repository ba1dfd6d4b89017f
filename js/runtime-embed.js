// The embed script's runtime: the wasm modules are fetched from tempus-certgen-embed/ beside the
// script (webpack's publicPath 'auto'; runtime-fetched.js), and the workers are blob workers made
// from sources inlined in the second half, because a Worker cannot be started from another
// origin's URL. The lean module serves the first generation, the full one the rest.
import workerSource from '../build/worker.js?raw';
import leanWorkerSource from '../build/worker-lean.js?raw';
import { blobWorkers } from './runtime-parts.js';

export { wasmModule, kindOf, glue } from './runtime-fetched.js';
const workers = { full: blobWorkers(workerSource), lean: blobWorkers(leanWorkerSource) };
export const spawnWorker = (kind = 'full') => workers[kind]();
