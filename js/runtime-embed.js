// The embed script's runtime: the wasm module is fetched from tempus-certgen-embed/ beside the
// script (webpack's publicPath 'auto'), and the worker is a blob worker made from source inlined
// in the second half, because a Worker cannot be started from another origin's URL.
import workerSource from '../build/worker.js?raw';
import { blobWorkers, fetchWasm, once } from './runtime-parts.js';

export const wasmModule = once(() => fetchWasm(new URL('../pkg/tempus_certgen_bg.wasm', import.meta.url)));
export const spawnWorker = blobWorkers(workerSource);
