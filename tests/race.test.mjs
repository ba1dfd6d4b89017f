// The browser entry's worker race (js/browser.js): every worker searches for primes, the first
// two found make the key, the rest are cancelled. Driven in headless Chromium with the machine's
// cores and with 4 racers (more workers than primes: most searches end cancelled), generations
// back to back and at once; every key and certificate is checked with openssl.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './js/browser.mjs';
import { serve } from '../scripts/serve.mjs';
import { ok, tempDir, ROOT } from './js/tools.mjs';

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import { generateCredentials, terminateWorkers } from '/js/browser.js';
window.generate = async (n, cn) => {
  const bundles = await Promise.all(Array.from({ length: n }, (_, i) => generateCredentials({ role: 'client', cn: cn + i })));
  return bundles.map((b) => ({
    credentialsId: b.credentialsId,
    certificatePem: b.certificatePem,
    key: new TextDecoder().decode(b.files.find((f) => f.name.endsWith('.nopass.pem')).bytes),
  }));
};
window.terminate = terminateWorkers;
window.ready = true;
</script>`;

let server, browser, base;
const pageFile = path.join(ROOT, 'pkg', 'race-test.html');

test.before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'pkg', 'tempus_certgen_bg.wasm')), 'npm run build must have run');
  fs.writeFileSync(pageFile, PAGE);
  server = await serve(ROOT, { listenPort: 0 });
  base = `http://127.0.0.1:${server.address().port}/pkg/race-test.html`;
  browser = await launch();
});

test.after(async () => {
  await browser?.close();
  server?.close();
  fs.rmSync(pageFile, { force: true });
});

/** The key matches its certificate, passes openssl's RSA check, and the moduli are all new. */
function checkAll(results, seen) {
  const dir = tempDir('race');
  for (const [i, r] of results.entries()) {
    const keyFile = path.join(dir, `k${i}.pem`);
    const certFile = path.join(dir, `c${i}.pem`);
    fs.writeFileSync(keyFile, r.key);
    fs.writeFileSync(certFile, r.certificatePem);
    assert.match(ok('openssl', ['rsa', '-check', '-noout', '-in', keyFile]), /RSA key ok/);
    const keyModulus = ok('openssl', ['rsa', '-modulus', '-noout', '-in', keyFile]);
    assert.equal(ok('openssl', ['x509', '-modulus', '-noout', '-in', certFile]), keyModulus);
    assert.match(ok('openssl', ['x509', '-text', '-noout', '-in', certFile]), /Public-Key: \(2048 bit\)/);
    assert.ok(!seen.has(keyModulus), 'a modulus came back twice');
    seen.add(keyModulus);
  }
}

for (const racers of [null, 4]) {
  test(`${racers ?? 'one per core'} racing workers: back to back and at once, every key is sound and new`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    if (racers) await page.addInitScript((n) => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => n }), racers);
    await page.addInitScript(() => {
      // Count the workers started, to see that the race used as many as there are cores.
      window.__workers = 0;
      const Native = window.Worker;
      window.Worker = class extends Native {
        constructor(...args) {
          super(...args);
          window.__workers += 1;
        }
      };
    });
    await page.goto(base);
    await page.waitForFunction(() => window.ready === true);
    const seen = new Set();
    for (let round = 0; round < 3; round++) checkAll(await page.evaluate(() => window.generate(1, 'seq')), seen);
    const cores = await page.evaluate(() => Math.min(navigator.hardwareConcurrency, 8));
    if (racers) assert.equal(cores, racers);
    // Back to back, the same warm workers serve every generation.
    assert.equal(await page.evaluate(() => window.__workers), cores > 1 ? cores : 1);
    checkAll(await page.evaluate(() => window.generate(3, 'par')), seen);
    assert.equal(seen.size, 6);
    await page.evaluate(() => window.terminate());
    assert.deepEqual(errors, []);
    await context.close();
  });
}
