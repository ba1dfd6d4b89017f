// The embed script's runtime: the wasm module is fetched from tempus-certgen-embed/ beside the
// script (webpack's publicPath 'auto'), and the worker is a blob worker made from source inlined
// in the second half, because a Worker cannot be started from another origin's URL.
import workerSource from '../build/worker.js?raw';

const wasmUrl = new URL('../pkg/tempus_certgen_bg.wasm', import.meta.url);
let compiled = null;

export function wasmModule() {
  compiled ??= (async () => {
    let response;
    try {
      response = await fetch(wasmUrl, { credentials: 'same-origin' });
    } catch (e) {
      throw new Error(`could not fetch ${wasmUrl} (${e.message}): a script from another origin needs CORS there, and the page's connect-src must allow it`);
    }
    if (!response.ok) throw new Error(`could not fetch ${wasmUrl}: HTTP ${response.status}`);
    // compileStreaming needs the server to say application/wasm; many static servers do not.
    if (response.headers.get('content-type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
    return WebAssembly.compile(await response.arrayBuffer());
  })();
  compiled.catch(() => { compiled = null; });
  return compiled;
}

let workerUrl = null;

export function spawnWorker() {
  workerUrl ??= URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  return new Worker(workerUrl, { name: 'tempus-certgen' });
}
