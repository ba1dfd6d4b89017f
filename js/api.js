// The JS API over the wasm module, shared by the Node and browser entries. Each entry passes a
// loader that returns the initialised wasm-bindgen exports.
import { codedError } from './errors.js';
import { CALLS, checkCall, isEcKey } from './calls.js';
import { ROLE_DEFAULTS } from './role-defaults.js';
import { randomPassword, DEFAULT_PASSWORDS, wipe } from './secrets.js';

/** The recipe's defaults for a role (what the page pre-fills and the CLI falls back to), as the
 *  Rust core has them (js/role-defaults.js is written from it by the build). */
export function recipeDefaults(role = 'client') {
  return { ...ROLE_DEFAULTS[role === 'ca' || role === 'server' ? role : 'client'] };
}

const apiError = (message, code, field = null) => codedError(message, code, { field });

export { isEcKey };

function abortError(signal) {
  const reason = signal && signal.reason;
  if (reason instanceof Error) return reason;
  return apiError('The generation was cancelled', 'aborted');
}

/**
 * The API over `load(kind)`, which returns the initialised glue of module `kind` ('lean' or
 * 'full'); `kindOf(name, args)` says which module a call runs in (Node: always the full one).
 */
export function makeApi(load, kindOf = () => 'full') {
  const loading = new Map();
  const wasm = (kind) => {
    if (!loading.has(kind)) loading.set(kind, Promise.resolve().then(() => load(kind)));
    return loading.get(kind);
  };

  // A trap (a Rust panic aborts in release builds) leaves the instance unusable; report it as an
  // internal error (browsers generate in a worker, which is then replaced).
  async function call(fn, kind) {
    const w = await wasm(kind);
    try {
      return fn(w);
    } catch (e) {
      if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) {
        throw apiError(`internal error in the wasm module, please report it: ${e.message}`, 'internal');
      }
      throw e;
    }
  }

  // Every call of the table: its arguments checked, then made in this thread.
  const api = Object.fromEntries(Object.keys(CALLS).map((name) => [name, async (...args) => {
    const full = checkCall(name, args);
    return call((w) => w[name](...full), kindOf(name, full));
  }]));

  /**
   * Generate one role's files. Resolves to `{ files: [{ name, mimeType, bytes, secret }],
   * certificatePem, credentialsId, notBefore, notAfter, ... }`; rejects with an Error carrying
   * `code` and `field`.
   */
  api.generateCredentials = async (options = {}, { signal, onProgress } = {}) => {
    checkCall('generateCredentials', [options]);
    if (signal?.aborted) throw abortError(signal);
    onProgress?.({ phase: 'start' });
    const bundle = await call((w) => w.generateCredentials(options), kindOf('generateCredentials', [options]));
    if (signal?.aborted) {
      wipe(bundle);
      throw abortError(signal);
    }
    onProgress?.({ phase: 'done' });
    return bundle;
  };
  const validate = api.validateOptions;
  /** Check options without generating: throws the first error, with its `field`. */
  api.validateOptions = async (options) => { await validate(options); };
  /** Resolves once the module of a first generation is loaded. */
  api.ready = () => wasm(kindOf('generateCredentials', [{}])).then(() => undefined);
  return api;
}

export { randomPassword, DEFAULT_PASSWORDS, wipe };
