// A/B timing of two wasm builds (pkg directories) in Node, interleaved, for the parts that the
// page's prime race does not dominate: the assembly of an RSA-2048 bundle from fixed primes
// (Miller-Rabin and Lucas on both primes, the key's checks, signing, PBKDF2, the stores) and a
// whole EC P-256 bundle. Usage: node tests/tools/ab-wasm.mjs PKG_A PKG_B [rounds]
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dirA, dirB, rounds = '40'] = process.argv.slice(2);
const load = async (dir) => {
  const glue = await import(pathToFileURL(path.resolve(dir, 'tempus_certgen.js')).href);
  glue.initSync({ module: fs.readFileSync(path.resolve(dir, 'tempus_certgen_bg.wasm')) });
  return glue;
};
const builds = [{ dir: dirA, w: await load(dirA) }, { dir: dirB, w: await load(dirB) }];
const p = builds[0].w.generatePrime(1024);
const q = builds[0].w.generatePrime(1024);
const options = { role: 'client', cn: 'ab-test', storePassword: 'pw-store-123', keyPassword: 'pw-key-123' };
const tasks = {
  'RSA-2048 assembly': (w) => w.generateCredentialsFromPrimes(options, p.slice(), q.slice(), undefined),
  'EC P-256 bundle': (w) => w.generateCredentials({ ...options, keyType: 'ec-p256' }),
};
for (const [name, run] of Object.entries(tasks)) {
  const times = builds.map(() => []);
  for (let r = 0; r <= Number(rounds); r++) {
    builds.forEach((b, i) => {
      const t0 = performance.now();
      const bundle = run(b.w);
      if (!bundle) throw new Error('no bundle');
      if (r > 0) times[i].push(performance.now() - t0);
    });
  }
  const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const [a, b] = times.map(median);
  console.log(`${name}: A ${a.toFixed(1)} ms, B ${b.toFixed(1)} ms, B/A ${(b / a).toFixed(3)}`);
}
