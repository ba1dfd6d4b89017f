// The Web Worker behind the browser entry's generateCredentials (js/worker.js runs it with the
// full module's glue, js/worker-lean.js with the lean one's): key generation takes hundreds
// of milliseconds of pure computation, which must not block the page. Operations:
//   generate  -> the whole bundle in this worker
//   prime     -> one prime (half a key), searched in steps; every worker races for the two
//                primes of a key, and a `{ cancel: id }` message stops a search between steps
//                (it then answers null)
//   derive    -> the PBKDF2 keys the files need (asked of one racer before its search, so that
//                the assembly does not wait for them)
//   assemble  -> the bundle around a key from the two primes and those keys (null: draw again)
//   call      -> one of calls.js's WORKER_CALLS (createRequest, signRequest, assembleCredentials,
//                or for generateMany a whole generateCredentials), in this worker
import { WORKER_CALLS } from './calls.js';

let glue = null; // a promise of the glue this worker runs (serve)
let wasm = null; // ... once it is there

/** Answer the page's messages with `loaded` (the glue, or a promise of it): the full module's,
 *  or the lean one's. The handler is set at once: a message that finds none is lost. */
export function serve(loaded) {
  glue = Promise.resolve(loaded);
  self.onmessage = onMessage;
}

let ready = null;
const searching = new Set(); // ids of the prime searches running here
const cancelled = new Set(); // ... of those, the ones told to stop
// Candidates per step: ~5-10 ms of work, so that a cancelled search stops before it slows the
// worker that builds the key (on 2 cores the two share the machine).
const STEP = 2;
// Lets queued messages (a cancel) run between steps; MessageChannel is not clamped like
// setTimeout. One waiter per message: a cancelled search may still be finishing its step when
// the next one starts.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToEvents = () => new Promise((resolve) => {
  waiting.push(resolve);
  channel.port2.postMessage(0);
});

async function searchPrime(id, bits) {
  const search = new wasm.PrimeSearch(bits);
  searching.add(id);
  try {
    for (;;) {
      const prime = search.step(STEP);
      if (prime) return prime;
      await yieldToEvents();
      if (cancelled.has(id)) return null;
    }
  } finally {
    searching.delete(id);
    cancelled.delete(id);
    search.free();
  }
}

async function onMessage(event) {
  if (event.data.cancel) {
    // A cancel that crosses the prime on its way is dropped, not kept forever.
    if (searching.has(event.data.cancel)) cancelled.add(event.data.cancel);
    return;
  }
  const { id, op = 'generate', options, wasmModule, bits, p, q, derived, fn, args, keepIssuer } = event.data;
  try {
    wasm ??= await glue;
    ready ??= wasm.default(wasmModule ? { module_or_path: wasmModule } : undefined);
    await ready;
    if (op === 'prime') {
      const prime = await searchPrime(id, bits);
      self.postMessage({ id, ok: true, value: prime }, prime ? [prime.buffer] : []);
      return;
    }
    if (op === 'call') {
      if (!WORKER_CALLS.includes(fn)) throw new Error(`unknown call ${fn}`);
      // generateMany's workers (terminated with the run) open its device CA once, not per device.
      if (keepIssuer) wasm.keepIssuerOpen(true);
      const value = wasm[fn](...args);
      self.postMessage({ id, ok: true, value }, value?.files?.map((f) => f.bytes.buffer) ?? []);
      return;
    }
    if (op === 'derive') {
      const keys = wasm.deriveKeys(options);
      self.postMessage({ id, ok: true, value: keys }, [keys.buffer]);
      return;
    }
    let bundle;
    if (op === 'assemble') {
      try {
        bundle = wasm.generateCredentialsFromPrimes(options, p, q, derived ?? undefined);
      } finally {
        p.fill(0);
        q.fill(0);
        derived?.fill(0);
      }
      if (!bundle) {
        self.postMessage({ id, ok: true, value: null });
        return;
      }
    } else {
      bundle = wasm.generateCredentials(options);
    }
    // Transfer, not copy, so no second copy of the key bytes stays behind in this worker.
    self.postMessage({ id, ok: true, value: bundle }, bundle.files.map((f) => f.bytes.buffer));
  } catch (err) {
    // A trap (release builds abort on panic) leaves this instance unusable: say so, and let the
    // page terminate this worker rather than reuse it.
    const fatal = err instanceof WebAssembly.RuntimeError;
    const message = fatal ? `internal error in the wasm module, please report it: ${err.message}` : String(err?.message ?? err);
    self.postMessage({ id, ok: false, fatal, error: { message, code: fatal ? 'internal' : err?.code ?? 'internal', field: err?.field ?? null } });
  }
}
