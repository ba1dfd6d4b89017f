// `npm run bench`: RSA-2048 key + self-signed certificate, this project against its peers, in
// one interleaved run (each round runs every contender once, in turn), in headless Chromium and
// in Node. Prints min / p25 / median / p75 / max and the ratio of medians to WebCrypto.
//   RUNS=30 npm run bench      (default 60 rounds; BENCH_ONLY=node or chromium for one side)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { launch } from './js/browser.mjs';
import { serve } from '../scripts/serve.mjs';
import { ROOT } from './js/tools.mjs';

const RUNS = Number(process.env.RUNS || 60);
const ONLY = process.env.BENCH_ONLY || '';
const require = createRequire(import.meta.url);

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { n: s.length, min: s[0], p25: q(0.25), median: q(0.5), p75: q(0.75), max: s[s.length - 1] };
}

function table(title, results, baseline) {
  const base = stats(results[baseline]).median;
  const rows = Object.entries(results).map(([name, samples]) => {
    const st = stats(samples);
    return [name, st.n, st.min, st.p25, st.median, st.p75, st.max, st.median / base];
  });
  console.log(`\n${title} (ms, ${RUNS} interleaved rounds; ratio = median / ${baseline} median)`);
  console.log('| contender | n | min | p25 | median | p75 | max | ratio |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [name, n, ...nums] of rows) {
    const ratio = nums.pop();
    console.log(`| ${name} | ${n} | ${nums.map((x) => x.toFixed(x < 10 ? 2 : 0)).join(' | ')} | ${ratio.toFixed(2)}x |`);
  }
}

// ---- Node ----------------------------------------------------------------------------------
async function benchNode() {
  const { generateCredentials, ready } = await import('tempus-certgen');
  await ready();
  const forge = require('node-forge');
  forge.options.usePureJavaScript = true; // the pure-JS path a browser gets
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const contenders = {
    'tempus-certgen wasm (Node)': async () => { await generateCredentials({ role: 'client', cn: 'bench' }); },
    'WebCrypto generateKey + export (Node)': async () => {
      const k = await webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
      await webcrypto.subtle.exportKey('pkcs8', k.privateKey);
    },
    'openssl req -x509 -newkey rsa:2048 (process)': async () => {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '9999', '-subj', '/CN=bench'], { stdio: 'ignore' });
    },
    'openssl genpkey RSA 2048, key only (process)': async () => {
      execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path.join(dir, 'g.pem')], { stdio: 'ignore' });
    },
    'node-forge pure JS (Node)': async () => {
      const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
      const cert = forge.pki.createCertificate();
      cert.publicKey = keys.publicKey;
      cert.serialNumber = '01';
      cert.validity.notBefore = new Date();
      cert.validity.notAfter = new Date(Date.now() + 9999 * 864e5);
      cert.setSubject([{ name: 'commonName', value: 'bench' }]);
      cert.setIssuer([{ name: 'commonName', value: 'bench' }]);
      cert.sign(keys.privateKey, forge.md.sha256.create());
    },
  };
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, run] of Object.entries(contenders)) {
      const t = performance.now();
      await run();
      results[name].push(performance.now() - t);
    }
    process.stderr.write(`\rNode round ${i + 1}/${RUNS}`);
  }
  process.stderr.write('\n');
  table('Node ' + process.version, results, 'WebCrypto generateKey + export (Node)');
}

// ---- Chromium ------------------------------------------------------------------------------
const BENCH_PAGE = `<!doctype html><meta charset="utf-8"><script src="/node_modules/node-forge/dist/forge.min.js"></script>
<script type="module">
import init, * as wasm from '/pkg/tempus_certgen.js';
import { generateCredentials } from '/js/browser.js';
await init();
window.contenders = {
  'tempus-certgen wasm, one thread': async () => { wasm.generateCredentials({ role: 'client', cn: 'bench' }); },
  ['tempus-certgen JS API, ' + Math.min(navigator.hardwareConcurrency, 8) + ' workers racing for p and q']: async () => { await generateCredentials({ role: 'client', cn: 'bench' }); },
  'WebCrypto generateKey + export': async () => {
    const k = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
    await crypto.subtle.exportKey('pkcs8', k.privateKey);
  },
  'node-forge pure JS': async () => {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey; cert.serialNumber = '01';
    cert.validity.notBefore = new Date(); cert.validity.notAfter = new Date(Date.now() + 9999 * 864e5);
    cert.setSubject([{ name: 'commonName', value: 'bench' }]); cert.setIssuer([{ name: 'commonName', value: 'bench' }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
  },
};
// Fleets (issue 10): EC P-256 like for like against WebCrypto (key + self-signed certificate
// against generateKey + export + one sign), the whole EC bundle beside it (its PBKDF2 rounds
// dominate), and an RSA client signed by a device CA (one key search, like a self-signed one).
const { generateCredentials: makeCa } = await import('/js/browser.js');
const ca = await makeCa({ role: 'ca', keyPassword: 'bench-ca-secret' });
const issuer = { certificate: ca.certificatePem, privateKey: ca.files.find((f) => f.name === 'deviceca.key.pem').bytes, password: 'bench-ca-secret' };
window.fleetContenders = {
  'tempus-certgen EC P-256 key + certificate (wasm, no key stores)': async () => {
    wasm.generateKeyAndCertificate({ role: 'client', cn: 'bench', keyType: 'ec-p256' }).privateKeyPkcs8.fill(0);
  },
  'WebCrypto ECDSA P-256 generateKey + export + one sign': async () => {
    const k = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const pkcs8 = await crypto.subtle.exportKey('pkcs8', k.privateKey);
    await crypto.subtle.exportKey('spki', k.publicKey);
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, k.privateKey, new Uint8Array(pkcs8.byteLength));
  },
  'tempus-certgen EC P-256 whole bundle (JS API: JKS, PKCS#12, PEM)': async () => { await generateCredentials({ role: 'client', cn: 'bench', keyType: 'ec-p256' }); },
  'tempus-certgen RSA 2048 client signed by a device CA (JS API)': async () => { await generateCredentials({ role: 'client', cn: 'bench', issuer }); },
};
const timed = async (set) => {
  const out = {};
  for (const [name, run] of Object.entries(set)) { const t = performance.now(); await run(); out[name] = performance.now() - t; }
  return out;
};
window.round = () => timed(window.contenders);
// Fleet throughput (issue 11): generateMany with every core busy against WebCrypto making the
// same number of keys with the same concurrency, in the same run.
window.fleetThroughput = async (kind, count) => {
  const width = Math.min(navigator.hardwareConcurrency || 1, 8);
  const { generateMany, patternNames } = await import('/js/browser.js');
  const options = kind === 'ec' ? { keyType: 'ec-p256' } : {};
  let t = performance.now();
  const kept = [];
  for await (const r of generateMany(patternNames(count, 'fleet-{n}'), options, { concurrency: width })) kept.push(r);
  const ours = performance.now() - t;
  const heap = performance.memory?.usedJSHeapSize ?? null;
  const made = kept.filter((r) => r.ok).length;
  kept.length = 0;
  const algorithm = kind === 'ec'
    ? { name: 'ECDSA', namedCurve: 'P-256' }
    : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  t = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      const k = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
      await crypto.subtle.exportKey('pkcs8', k.privateKey);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  const webcrypto = performance.now() - t;
  return { kind, count, width, made, ours, webcrypto, heapMb: heap === null ? null : heap / 2 ** 20 };
};
window.fleetRound = () => timed(window.fleetContenders);
window.benchReady = true;
</script>`;

async function benchChromium() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-page-'));
  // Serve the repo root (pkg/, js/, node_modules/node-forge) plus the bench page.
  fs.writeFileSync(path.join(ROOT, 'pkg', 'bench.html'), BENCH_PAGE);
  const server = await serve(ROOT, { listenPort: 0 });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/pkg/bench.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
    const version = browser.version();
    const results = {};
    for (let i = 0; i < RUNS; i++) {
      const r = await page.evaluate(() => window.round());
      for (const [k, v] of Object.entries(r)) (results[k] ??= []).push(v);
      process.stderr.write(`\rChromium round ${i + 1}/${RUNS}`);
    }
    process.stderr.write('\n');
    table(`Headless Chromium ${version}`, results, 'WebCrypto generateKey + export');
    const fleet = {};
    for (let i = 0; i < RUNS; i++) {
      const r = await page.evaluate(() => window.fleetRound());
      for (const [k, v] of Object.entries(r)) (fleet[k] ??= []).push(v);
      process.stderr.write(`\rChromium fleet round ${i + 1}/${RUNS}`);
    }
    process.stderr.write('\n');
    table(`Headless Chromium ${version}: EC P-256 and CA-signed`, fleet, 'WebCrypto ECDSA P-256 generateKey + export + one sign');
    console.log(`\nFleet throughput, headless Chromium ${version} (generateMany, every core busy; WebCrypto keys with the same concurrency)`);
    console.log('| devices | workers | tempus-certgen (whole bundles) | devices/s | WebCrypto (keys only) | ratio | JS heap after |');
    console.log('|---|---|---|---|---|---|---|');
    for (const [kind, count] of [['rsa', Number(process.env.FLEET_RSA || 100)], ['ec', Number(process.env.FLEET_EC || 1000)]]) {
      const r = await page.evaluate(([k, n]) => window.fleetThroughput(k, n), [kind, count]);
      console.log(`| ${r.count} ${kind === 'ec' ? 'EC P-256' : 'RSA 2048'} | ${r.width} | ${(r.ours / 1000).toFixed(1)} s | ${(r.made / (r.ours / 1000)).toFixed(1)} | ${(r.webcrypto / 1000).toFixed(1)} s | ${(r.ours / r.webcrypto).toFixed(2)}x | ${r.heapMb === null ? 'n/a' : `${r.heapMb.toFixed(0)} MB`} |`);
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(path.join(ROOT, 'pkg', 'bench.html'), { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`);
// Size: what the served page's first generation loads (tests/tools/payload.mjs measures it in
// a browser), gzip -9, and the files of each module.
const gz = (file) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
const dist = path.join(ROOT, 'dist');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('\nSize (gzip -9): the files in dist/');
for (const f of fs.readdirSync(dist).filter((f) => /\.(html|js|wasm)$/.test(f))) console.log(`  ${f}: ${kb(gz(path.join(dist, f)))}`);
console.log(`  npm package wasm: full ${kb(gz(path.join(ROOT, 'pkg', 'tempus_certgen_bg.wasm')))}, lean ${kb(gz(path.join(ROOT, 'pkg', 'lean', 'tempus_certgen_bg.wasm')))} (the first generation's: node tests/tools/payload.mjs)`);
if (ONLY !== 'node') await benchChromium();
if (ONLY !== 'chromium') await benchNode();
