// Where the wasm modules, their glue and the workers come from. For bundlers and servers: files
// next to this one (runtime-fetched.js; webpack 5 and Vite emit them as assets and chunks). The
// single-file page and the embed script replace this module with runtime-inline.js and
// runtime-embed.js.
export { wasmModule, kindOf, glue } from './runtime-fetched.js';

export function spawnWorker(kind = 'full') {
  return kind === 'lean'
    ? new Worker(new URL('./worker-lean.js', import.meta.url), { type: 'module', name: 'tempus-certgen-lean' })
    : new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'tempus-certgen' });
}
