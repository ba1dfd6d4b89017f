// Browser entry (webpack 5, Vite, plain ESM). generateCredentials runs in a Web Worker, so the
// page stays responsive; an AbortSignal terminates the worker at once.
import * as wasm from '../pkg/tempus_certgen.js';
import { makeApi } from './api.js';
import { makeProvisionDevice, makeFillDeviceCredentials } from './tempus.js';
import { wasmModule, spawnWorker } from './runtime.js';

const api = makeApi(async () => {
  await wasm.default({ module_or_path: await wasmModule() });
  return wasm;
});

export { OPTION_NAMES, recipeDefaults, wipe } from './api.js';
export { findCredentialsDialog } from './tempus.js';
/** Set a device's credentials to the certificate through Tempus' REST API. */
export const provisionDevice = makeProvisionDevice(api.inspectCertificate);
/** Fill the open Device Credentials dialog of the Tempus / ThingsBoard Web UI. */
export const fillDeviceCredentials = makeFillDeviceCredentials(api.inspectCertificate);
export const { validateOptions, inspectCertificate, credentialsId, ready } = api;

let idle = null; // one warm worker, reused between calls
let nextId = 1;

function spawn() {
  return spawnWorker();
}

function toError({ message, code, field }) {
  const e = new Error(message);
  e.code = code;
  e.field = field;
  if (code === 'aborted') e.name = 'AbortError';
  return e;
}

/**
 * Generate one role's files in a Web Worker (in the calling thread where Workers do not
 * exist). `signal` cancels at once (the worker is terminated); `onProgress` is called with
 * `{ phase, elapsedMs }` about every 100 ms while it works.
 */
export async function generateCredentials(options = {}, { signal, onProgress } = {}) {
  if (typeof Worker === 'undefined') return api.generateCredentials(options, { signal, onProgress });
  await api.validateOptions(options); // bad input fails fast, without a worker
  if (signal?.aborted) throw toError({ message: 'The generation was cancelled', code: 'aborted', field: null });
  const module = await wasmModule();
  const worker = idle ?? spawn();
  idle = null;
  const id = nextId++;
  const started = performance.now();
  onProgress?.({ phase: 'generating', elapsedMs: 0 });
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => onProgress?.({ phase: 'generating', elapsedMs: performance.now() - started }), 100);
    const finish = () => {
      clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
      worker.onmessage = worker.onerror = null;
    };
    const onAbort = () => {
      finish();
      worker.terminate();
      reject(toError({ message: 'The generation was cancelled', code: 'aborted', field: null }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = ({ data }) => {
      if (data.id !== id) return;
      finish();
      if (idle || data.fatal) worker.terminate();
      else idle = worker;
      if (data.ok) {
        onProgress?.({ phase: 'done', elapsedMs: performance.now() - started });
        resolve(data.value);
      } else {
        reject(toError(data.error));
      }
    };
    worker.onerror = (event) => {
      finish();
      worker.terminate();
      reject(toError({ message: `The worker failed: ${event.message || 'could not start (check the Content-Security-Policy)'}`, code: 'internal', field: null }));
    };
    worker.postMessage({ id, options, wasmModule: module });
  });
}

/** Terminate the idle worker (and with it any key material left in its memory). */
export function terminateWorkers() {
  idle?.terminate();
  idle = null;
}
