// One worker of the Node pool (node-pool.js): makes what it is asked, one job at a time, and
// sends the bundle's file bytes across without copying them.
import { parentPort } from 'node:worker_threads';
import { generateCredentials, createRequest } from './node.js';

const calls = { generateCredentials, createRequest };

parentPort.on('message', async ({ id, fn, options }) => {
  try {
    const value = await calls[fn](options);
    parentPort.postMessage({ id, ok: true, value }, value.files.map((f) => f.bytes.buffer));
  } catch (e) {
    parentPort.postMessage({ id, ok: false, error: { message: e.message, code: e.code ?? 'internal', field: e.field ?? null } });
  }
});
