// A pool of worker threads for generateMany in Node: each worker makes whole bundles, one at a
// time, so that every core is busy (the wasm calls cannot share a thread).
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { codedError } from './errors.js';

export function makeNodePool() {
  const idle = [];
  const all = new Set();
  let nextId = 1;
  const spawn = () => {
    const w = new Worker(new URL('./node-pool-worker.js', import.meta.url));
    w.pending = new Map();
    w.on('message', ({ id, ok, value, error }) => {
      const waiter = w.pending.get(id);
      w.pending.delete(id);
      if (ok) waiter?.resolve(value);
      else waiter?.reject(codedError(error.message, error.code, { field: error.field }));
    });
    w.on('error', (e) => {
      for (const waiter of w.pending.values()) waiter.reject(codedError(`a worker failed: ${e.message}`, 'internal'));
      w.pending.clear();
      w.dead = true;
    });
    all.add(w);
    return w;
  };
  return {
    defaultConcurrency: () => (os.availableParallelism?.() ?? os.cpus().length) || 1,
    async runOne(fn, options) {
      const w = idle.pop() ?? spawn();
      try {
        return await new Promise((resolve, reject) => {
          const id = nextId++;
          w.pending.set(id, { resolve, reject });
          w.postMessage({ id, fn, options });
        });
      } finally {
        if (!w.dead && all.has(w)) idle.push(w);
      }
    },
    release() {
      for (const w of all) w.terminate();
      all.clear();
      idle.length = 0;
    },
  };
}
