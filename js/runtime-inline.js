// The single-file page's runtime: the wasm is inlined gzip-compressed (as a data URL) and inflated
// with DecompressionStream, and the workers run the page's own script from a blob (www/single.js),
// because a file:// page cannot load a worker or fetch a file. The compiled module is handed to
// the workers. One file holds everything, so it holds the full module alone: the lean one would
// only add to it (BENCHMARKS.md).
import wasmGzipDataUrl from '../pkg/tempus_certgen_bg.wasm?gzip';
import * as full from '../pkg/tempus_certgen.js';
import { blobWorkers, once } from './runtime-parts.js';

export const wasmModule = once(async () => {
  const base64 = wasmGzipDataUrl.slice(wasmGzipDataUrl.indexOf(',') + 1);
  const gzipped = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const inflated = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip'));
  // Compiles while it inflates; a Response made here is no network request.
  return WebAssembly.compileStreaming(new Response(inflated, { headers: { 'content-type': 'application/wasm' } }));
});
/** Every call runs in the full module here. */
export const kindOf = () => 'full';
export const glue = async () => full;
let ownScript = null;
/** The page's own script (www/single.js reads it while it first runs), which its workers run. */
export const useScript = (text) => { ownScript = text; };
export const spawnWorker = blobWorkers(() => ownScript);
