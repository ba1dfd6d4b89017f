// Fetches and compiles the wasm module once on the page's thread; the Module is then handed to
// every worker, so a page with several workers loads the file once.

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
