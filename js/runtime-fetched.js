// The two wasm modules and their glue as files of the package (pkg/ and pkg/lean/), found
// through `new URL(..., import.meta.url)` and `import()`: for the served page and bundlers
// (runtime.js) and the embed script's assets (runtime-embed.js). js/calls.js moduleFor says which
// call runs in which.
import { fetchWasm, once } from './runtime-parts.js';

const modules = {
  full: once(() => fetchWasm(new URL('../pkg/tempus_certgen_bg.wasm', import.meta.url))),
  lean: once(() => fetchWasm(new URL('../pkg/lean/tempus_certgen_bg.wasm', import.meta.url))),
};

/** The compiled WebAssembly.Module of `kind`, fetched once (a failed fetch is tried again next time). */
export const wasmModule = (kind = 'full') => modules[kind]();

/** The module that serves `kind` here: both exist. */
export const kindOf = (kind) => kind;

/** The wasm-bindgen glue of `kind`, loaded on first use. */
// Named chunks: the workers (worker.js, worker-lean.js) import the same ones, so a page that
// builds both fetches each glue once.
export const glue = (kind) => (kind === 'lean'
  ? import(/* webpackChunkName: "glue-lean" */ '../pkg/lean/tempus_certgen.js')
  : import(/* webpackChunkName: "glue" */ '../pkg/tempus_certgen.js'));
