// The browser's calls of the wasm module: the workers (a pool per module), generateCredentials's
// prime race, and the table's calls run in a worker. What is built on them (REST, fleets, the
// expiry report, the file checks) is in browser.js, which the page loads only on first use.
import { makeApi, isEcKey } from './api.js';
import { checkCall, checkOptions, moduleFor } from './calls.js';
import { codedError } from './errors.js';
import { wasmModule as wasmModule_, spawnWorker, glue, kindOf } from './runtime.js';

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The module (as the runtime has it) a call with these arguments runs in. */
const kindFor = (name, args) => kindOf(moduleFor(name, args));

const api = makeApi(async (kind) => {
  const wasm = await glue(kind);
  await wasm.default({ module_or_path: await wasmModule_(kind) });
  // V8 compiles a wasm function on the main thread at its first call: check a full set of
  // options once now, in a task of its own, rather than in the first Generate click's task.
  await nextTask();
  try {
    wasm.validateOptions({ role: 'server', cn: 'warm-up.example', san: ['127.0.0.1', 'warm-up.example'] });
  } catch {
    // Only a warm-up: real calls report their own errors.
  }
  return wasm;
}, kindFor);

export { recipeDefaults, wipe, randomPassword, DEFAULT_PASSWORDS } from './api.js';
export { OPTION_NAMES, ISSUER_NAMES, REQUEST_OPTION_NAMES, SIGN_OPTION_NAMES, ASSEMBLE_OPTION_NAMES, REVOKE_OPTION_NAMES, RENEW_OPTION_NAMES } from './calls.js';
// The certificates generateCredentials made in this page (public), which fillDeviceCredentials
// pastes as they are: canonical already, so the full module need not load to re-read them.
const madeHere = new Set();
/** Whether generateCredentials made this certificate here. */
export const madeInThisPage = (pem) => madeHere.has(pem);
function remember(bundle) {
  if (madeHere.size >= 100) madeHere.delete(madeHere.values().next().value);
  madeHere.add(bundle.certificatePem);
  return bundle;
}
export const { validateOptions, credentialsId, readCrl, ready } = api;
/** inspectCertificate in this thread (a pasted certificate or two: quick), for browser.js's REST calls. */
export const inspectInThisThread = api.inspectCertificate;

// Warm workers by module, reused between calls.
const idle = { lean: [], full: [] };
/** Back to its pool, or terminated (a dead one, or one more than the racers). */
function release(worker) {
  const pool = idle[worker.kind];
  if (worker.dead || pool.length >= RACERS) worker.terminate();
  else pool.push(worker);
}
function take(kind) {
  const worker = idle[kind].pop() ?? spawnWorker(kind);
  worker.kind = kind;
  return worker;
}
let nextId = 1;
// Where there are cores for it, one worker per core (up to 8) races for the two primes of a
// key: the first two found make the key (BENCHMARKS.md, step 8).
const CORES = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
const RACERS = Math.min(CORES, 8);
const PARALLEL = RACERS > 1;

const toError = ({ message, code, field }) => codedError(message, code, { field: field ?? null });

const aborted = () => toError({ message: 'The generation was cancelled', code: 'aborted', field: null });

/**
 * One request to one worker (several may wait on the same worker: its answers carry their id);
 * `fatal` errors retire the worker. `onId` learns the request id. An answer nobody waits for any
 * more (a search cancelled in a call that has ended) is dropped.
 */
function request(worker, message, transfer = [], onId = () => {}) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    onId(id);
    if (!worker.pending) {
      worker.pending = new Map();
      worker.onmessage = ({ data }) => {
        const waiter = worker.pending.get(data.id);
        if (!waiter) return;
        worker.pending.delete(data.id);
        if (data.ok) waiter.resolve(data.value);
        else {
          if (data.fatal) worker.dead = true;
          waiter.reject(toError(data.error));
        }
      };
      worker.onerror = (event) => {
        worker.dead = true;
        const error = toError({ message: `The worker failed: ${event.message || 'could not start (check the Content-Security-Policy)'}`, code: 'internal', field: null });
        for (const waiter of worker.pending.values()) waiter.reject(error);
        worker.pending.clear();
      };
    }
    worker.pending.set(id, { resolve, reject });
    worker.postMessage({ id, ...message }, transfer);
  });
}

/**
 * Generate one role's files in Web Workers (in the calling thread where Workers do not exist):
 * where the machine has more than one core, one worker per core (up to 8) races for p and q.
 * `signal` cancels at once (the workers are terminated); `onProgress` is called with
 * `{ phase, elapsedMs }` about every 100 ms while it works.
 */
export async function generateCredentials(options = {}, { signal, onProgress } = {}) {
  if (typeof Worker === 'undefined') return remember(await api.generateCredentials(options, { signal, onProgress }));
  // Bad input fails fast, without a worker; the issuer's check (it decrypts the CA's key: PBKDF2)
  // runs in the worker, off the page's thread.
  checkOptions(options);
  const { issuer, ...rest } = options;
  await api.validateOptions(issuer === undefined ? options : rest);
  // Creating and starting workers is main-thread work: not in the caller's (a click's) task.
  await nextTask();
  if (signal?.aborted) throw aborted();
  const kind = kindFor('generateCredentials', [options]);
  const wasmModule = await wasmModule_(kind);
  const workers = [];
  // Key bytes that reached this thread (primes, PBKDF2 keys), wiped at the end on every path:
  // a prime left behind by a failed or cancelled race is, with the public modulus, the key.
  const secrets = [];
  const taken = () => {
    const w = take(kind);
    workers.push(w);
    return w;
  };
  const started = performance.now();
  let phase = PARALLEL ? 'primes' : 'generating';
  const report = () => onProgress?.({ phase: 'generating', step: phase, elapsedMs: performance.now() - started });
  report();
  const timer = setInterval(report, 100);
  let onAbort;
  const cancelled = new Promise((_, reject) => {
    onAbort = () => reject(aborted());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const work = (async () => {
      // An EC P-256 key takes a millisecond: no race, one worker makes the whole bundle.
      if (!PARALLEL || isEcKey(options)) return request(taken(), { op: 'generate', options, wasmModule });
      const bits = Number(options.keySize ?? 2048) / 2;
      const racers = Array.from({ length: RACERS }, taken);
      for (;;) {
        phase = 'primes';
        // The files' PBKDF2 keys (most of the assembly's time) are made by the first racer
        // before it searches, so that the assembly does not wait for them (BENCHMARKS, step 11).
        const derived = request(racers[0], { op: 'derive', options, wasmModule }).then((k) => {
          secrets.push(k);
          return k;
        }, () => null); // without them, the assembly makes the keys itself
        const { primes, last } = await racePrimes(racers, bits, wasmModule, secrets);
        phase = 'assembling';
        const [p, q] = primes;
        const keys = await derived;
        const transfer = keys ? [p.buffer, q.buffer, keys.buffer] : [p.buffer, q.buffer];
        const bundle = await request(last, { op: 'assemble', options, p, q, derived: keys, wasmModule }, transfer);
        if (bundle) return bundle;
      }
    })();
    const bundle = await Promise.race([work, cancelled]);
    onProgress?.({ phase: 'done', elapsedMs: performance.now() - started });
    return remember(bundle);
  } catch (e) {
    if (e.code === 'aborted') for (const w of workers) w.dead = true;
    throw e;
  } finally {
    wipeAll(secrets);
    clearInterval(timer);
    signal?.removeEventListener('abort', onAbort);
    for (const w of workers) release(w);
  }
}

/** One call of the wasm module in a worker (off the page's thread): key generation and PBKDF2 take long. */
async function inWorker(fn, args) {
  if (typeof Worker === 'undefined') return api[fn](...args);
  await nextTask();
  const kind = kindFor(fn, args);
  const worker = take(kind);
  try {
    return await callIn(worker, kind, fn, args);
  } finally {
    release(worker);
  }
}

/** A call of the table in a worker, its arguments checked here first. */
const workerCall = (name) => async (...args) => inWorker(name, checkCall(name, args));
/** A key and its certificate request (`P.csr`, `P.key.pem`), made in a worker. */
export const createRequest = workerCall('createRequest');
/** The device CA's answer to a request: `P.pub.pem`, `P.cer`, `P.chain.pem`. */
export const signRequest = workerCall('signRequest');
/** The role's files around a key made earlier and the certificate a CA returned. */
export const assembleCredentials = workerCall('assembleCredentials');
/** A device's certificate renewed (same subject, names, key unless newKey; same issuer), its files rewritten; in a worker. */
export const renewCredentials = workerCall('renewCredentials');
/** A device CA's CRL revoking certificates (and serials), keeping its earlier entries; in a worker. */
export const revokeCertificates = workerCall('revokeCertificates');
/** Describe a certificate or a chain (a megabyte of them takes seconds: in a worker). */
export const inspectCertificate = workerCall('inspectCertificate');
/** Describe a certificate request, in a worker. */
export const inspectRequest = workerCall('inspectRequest');
/** Whether a private key is the certificate's, in a worker (an encrypted key costs its PBKDF2 rounds). */
export const checkKeyPair = workerCall('checkKeyPair');

/** `fn(...args)` in `worker`, a worker of module `kind` (inWorker's, and browser.js's fleet pool's). */
export async function callIn(worker, kind, fn, args, extra = {}) {
  return request(worker, { op: 'call', fn, args, wasmModule: await wasmModule_(kind), ...extra });
}
export { kindFor, spawnWorker, RACERS };

/** Overwrite key bytes still held here (those sent on to a worker are detached: nothing left). */
function wipeAll(buffers) {
  for (const b of buffers.splice(0)) if (b?.byteLength) b.fill(0);
}

/**
 * Every racer searches for a prime; each one that finds one starts again until two are found,
 * then the others are told to stop (they answer null within a step). Resolves with the two
 * primes and the worker that found the second (idle, so it can assemble at once).
 */
function racePrimes(racers, bits, wasmModule, secrets) {
  return new Promise((resolve, reject) => {
    const primes = [];
    const pending = new Map(); // worker -> id of its running search
    let done = false;
    const run = (worker) => {
      request(worker, { op: 'prime', bits, wasmModule }, [], (id) => pending.set(worker, id)).then((prime) => {
        pending.delete(worker);
        if (done) {
          prime?.fill(0); // a late third prime is not used
          return;
        }
        if (prime) {
          secrets.push(prime);
          primes.push(prime);
        }
        if (primes.length < 2) {
          run(worker);
          return;
        }
        done = true;
        for (const [other, id] of pending) other.postMessage({ cancel: id });
        resolve({ primes, last: worker });
      }, (e) => {
        pending.delete(worker);
        if (done) return;
        done = true;
        for (const [other, id] of pending) other.postMessage({ cancel: id });
        reject(e); // the prime found before the failure is in `secrets`, wiped by the caller
      });
    };
    racers.forEach(run);
  });
}

/** Terminate the idle workers (and with them any key material left in their memory). */
export function terminateWorkers() {
  for (const pool of Object.values(idle)) for (const w of pool.splice(0)) w.terminate();
}
