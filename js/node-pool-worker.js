// One worker of the Node pool (node-pool.js): makes what it is asked, one job at a time, and
// sends the bundle's file bytes across without copying them.
import { parentPort } from 'node:worker_threads';
import * as api from './node.js';
import { WORKER_CALLS } from './calls.js';
import * as wasm from '../pkg/tempus_certgen.js';

// This thread only makes devices of one run and is ended with it: the run's device CA is
// opened (its key file decrypted) once here, not once per device.
await api.ready();
wasm.keepIssuerOpen(true);

parentPort.on('message', async ({ id, fn, options }) => {
  try {
    if (!WORKER_CALLS.includes(fn)) throw new Error(`unknown call ${fn}`);
    const value = await api[fn](options);
    parentPort.postMessage({ id, ok: true, value }, value?.files?.map((f) => f.bytes.buffer) ?? []);
  } catch (e) {
    parentPort.postMessage({ id, ok: false, error: { message: e.message, code: e.code ?? 'internal', field: e.field ?? null } });
  }
});
