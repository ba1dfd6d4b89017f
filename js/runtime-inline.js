// The self-contained runtime (single-file page, embed script): the wasm is inlined as a data URL
// and the worker is a blob worker, because a file:// page cannot load a worker or fetch a file,
// and an embedding page may not serve ours. The compiled module is handed to the worker.
import wasmDataUrl from '../pkg/tempus_certgen_bg.wasm?inline';
import workerSource from '../build/worker.js?raw';

let compiled = null;

export function wasmModule() {
  compiled ??= (async () => {
    const base64 = wasmDataUrl.slice(wasmDataUrl.indexOf(',') + 1);
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return WebAssembly.compile(bytes);
  })();
  return compiled;
}

let workerUrl = null;

export function spawnWorker() {
  workerUrl ??= URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  return new Worker(workerUrl, { name: 'tempus-certgen' });
}
