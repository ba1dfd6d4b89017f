// Where the wasm module and the worker come from. For bundlers and servers: files next to this
// one, found through `new URL(..., import.meta.url)` (webpack 5 and Vite emit them as assets).
// The single-file page and the embed script replace this module with runtime-inline.js and
// runtime-embed.js.
import { fetchWasm, once } from './runtime-parts.js';

/** The compiled WebAssembly.Module, fetched once (a failed fetch is tried again next time). */
export const wasmModule = once(() => fetchWasm(new URL('../pkg/tempus_certgen_bg.wasm', import.meta.url)));

export function spawnWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'tempus-certgen' });
}
