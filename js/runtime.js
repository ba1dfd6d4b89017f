// Where the wasm module and the worker come from. For bundlers and servers: files next to this
// one, found through `new URL(..., import.meta.url)` (webpack 5 and Vite emit them as assets).
// The single-file page and the embed script replace this module with runtime-inline.js.

/** A WebAssembly.Module to instantiate, or undefined to fetch the .wasm file. */
export async function wasmModule() {
  return undefined;
}

export function spawnWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'tempus-certgen' });
}
