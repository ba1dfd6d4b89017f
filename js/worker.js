// The Web Worker behind the browser entry's generateCredentials: key generation takes hundreds
// of milliseconds of pure computation, which must not block the page. Operations:
//   generate  -> the whole bundle in this worker
//   prime     -> one prime (half a key), so two workers find p and q at once
//   assemble  -> the bundle around a key from the two primes (null: draw again)
import * as wasm from '../pkg/tempus_certgen.js';

let ready = null;

self.onmessage = async (event) => {
  const { id, op = 'generate', options, wasmModule, bits, p, q } = event.data;
  try {
    ready ??= wasm.default(wasmModule ? { module_or_path: wasmModule } : undefined);
    await ready;
    if (op === 'prime') {
      const prime = wasm.generatePrime(bits);
      self.postMessage({ id, ok: true, value: prime }, [prime.buffer]);
      return;
    }
    let bundle;
    if (op === 'assemble') {
      try {
        bundle = wasm.generateCredentialsFromPrimes(options, p, q);
      } finally {
        p.fill(0);
        q.fill(0);
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
};
