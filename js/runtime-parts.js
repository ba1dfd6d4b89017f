// What the runtimes (runtime.js, runtime-embed.js, runtime-inline.js) share: the wasm module is
// compiled once on the page's thread and the Module is handed to every worker, so a page with
// several workers loads the file once; self-contained builds start their workers from a blob.

/** A function that compiles `source()` (a Promise of a Module) once; a failure is tried again next time. */
export function once(source) {
  let compiled = null;
  return () => {
    compiled ??= source();
    compiled.catch(() => { compiled = null; });
    return compiled;
  };
}

/** A compiled WebAssembly.Module from `url`, with errors a person can act on. */
export async function fetchWasm(url) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new Error(`could not fetch ${url} (${e.message}): from another origin it needs CORS there, and the page's connect-src must allow it`);
  }
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
  // compileStreaming needs the server to say application/wasm; many static servers do not.
  if (response.headers.get('content-type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** A spawnWorker that starts workers from `source` (the worker script's text, or a function that
 *  gives it) through one blob URL. */
export function blobWorkers(source) {
  let url = null;
  return () => {
    url ??= URL.createObjectURL(new Blob([typeof source === 'function' ? source() : source], { type: 'text/javascript' }));
    return new Worker(url, { name: 'tempus-certgen' });
  };
}
