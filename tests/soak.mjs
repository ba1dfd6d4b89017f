// Soak: N RSA-2048 client bundles through the wasm module (the Node API); every key checked with
// `openssl pkey -check`, every certificate with `openssl verify`, every modulus unique.
//   npm run soak            (1,000 bundles)      SOAK_COUNT=30 node tests/soak.mjs
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCredentials, wipe } from 'tempus-certgen';

export async function soak(count, log = () => {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
  const moduli = new Set();
  const failures = [];
  const times = [];
  try {
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      const b = await generateCredentials({ role: 'client', cn: `soak-${i}` });
      times.push(performance.now() - t);
      const key = path.join(dir, 'k.pem');
      const cert = path.join(dir, 'c.pem');
      fs.writeFileSync(key, b.files.find((f) => f.name.endsWith('.nopass.pem')).bytes, { mode: 0o600 });
      fs.writeFileSync(cert, b.certificatePem);
      wipe(b);
      const check = spawnSync('openssl', ['pkey', '-in', key, '-check', '-noout'], { encoding: 'utf8' });
      const verify = spawnSync('openssl', ['verify', '-CAfile', cert, cert], { encoding: 'utf8' });
      const modulus = spawnSync('openssl', ['x509', '-in', cert, '-noout', '-modulus'], { encoding: 'utf8' }).stdout;
      const digest = createHash('sha256').update(modulus).digest('hex');
      if (check.status !== 0 || !/Key is valid/.test(check.stdout)) failures.push(`#${i} pkey -check: ${check.stdout}${check.stderr}`);
      if (verify.status !== 0) failures.push(`#${i} verify: ${verify.stdout}${verify.stderr}`);
      if (moduli.has(digest)) failures.push(`#${i} repeated modulus`);
      moduli.add(digest);
      if ((i + 1) % 50 === 0 || i + 1 === count) log(`${i + 1}/${count} bundles, ${failures.length} failures`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { count, failures, median: times[Math.floor(times.length / 2)], max: times[times.length - 1] };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.env.SOAK_COUNT || process.argv[2] || 1000);
  const started = Date.now();
  const r = await soak(count, (m) => process.stderr.write(`\r${m}`));
  process.stderr.write('\n');
  for (const f of r.failures) console.log(f);
  console.log(`soak: ${r.count} RSA-2048 client bundles in ${((Date.now() - started) / 1000).toFixed(0)} s, ` +
    `generation median ${r.median.toFixed(0)} ms, max ${r.max.toFixed(0)} ms`);
  console.log(`${r.count - r.failures.length} passed, ${r.failures.length} failed`);
  process.exitCode = r.failures.length ? 1 : 0;
}
