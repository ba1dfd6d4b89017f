// Runs one generation (credentials, or a key and its request) in a worker thread for the CLI, so that the main thread stays free to
// react to Ctrl-C (the wasm call itself cannot be interrupted).
import { parentPort, workerData } from 'node:worker_threads';
import * as api from './node.js';
import { WORKER_CALLS } from './calls.js';

try {
  if (!WORKER_CALLS.includes(workerData.fn)) throw new Error(`unknown call ${workerData.fn}`);
  const bundle = await api[workerData.fn](workerData.options);
  parentPort.postMessage({ ok: true, value: bundle }, bundle?.files?.map((f) => f.bytes.buffer) ?? []);
} catch (e) {
  parentPort.postMessage({ ok: false, error: { message: e.message, code: e.code ?? 'internal', field: e.field ?? null } });
}
