// The embed script's runtime: the wasm module is fetched from tempus-certgen-embed/ beside the
// script (webpack's publicPath 'auto'), and the worker is a blob worker made from source inlined
// in the second half, because a Worker cannot be started from another origin's URL.
import workerSource from '../build/worker.js?raw';
import { fetchWasm } from './wasm-fetch.js';

const wasmUrl = new URL('../pkg/tempus_certgen_bg.wasm', import.meta.url);
let compiled = null;

export function wasmModule() {
  compiled ??= fetchWasm(wasmUrl);
  compiled.catch(() => { compiled = null; });
  return compiled;
}

let workerUrl = null;

export function spawnWorker() {
  workerUrl ??= URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  return new Worker(workerUrl, { name: 'tempus-certgen' });
}
