// Timing of the built wasm module's steps in Node, one thread: N primes of 1024 bits, then N
// bundles assembled from two primes (what the workers and the page do), medians.
//   node tests/tools/wasm-timing.mjs [N]      (after `npm run build`)
import { readFileSync } from 'node:fs';
import * as wasm from '../../pkg/tempus_certgen.js';

wasm.initSync({ module: readFileSync(new URL('../../pkg/tempus_certgen_bg.wasm', import.meta.url)) });
const N = Number(process.argv[2] || 40);
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const time = (f) => { const t = performance.now(); const r = f(); return [performance.now() - t, r]; };

const primes = [];
const primeTimes = [];
for (let i = 0; i < N; i++) {
  const [ms, p] = time(() => wasm.generatePrime(1024));
  primeTimes.push(ms);
  primes.push(p);
}
const assembly = [];
for (let i = 0; i + 1 < N; i += 2) {
  const [ms, b] = time(() => wasm.generateCredentialsFromPrimes({ role: 'client', cn: 'timing' }, primes[i], primes[i + 1]));
  if (b) assembly.push(ms);
}
console.log(`1024-bit prime: median ${median(primeTimes).toFixed(1)} ms of ${N}`);
console.log(`bundle from two primes: median ${median(assembly).toFixed(1)} ms of ${assembly.length}`);
