// The browser entry's worker race (js/browser.js): every worker searches for primes, the first
// two found make the key, the rest are cancelled. Driven in headless Chromium with the machine's
// cores and with 4 racers (more workers than primes: most searches end cancelled), generations
// back to back and at once; every key, certificate, .pem and .p12 is checked with openssl.
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
  const passwords = (i) => ({ storePassword: 'store-' + cn + i, keyPassword: 'key-' + cn + i });
  const bundles = await Promise.all(Array.from({ length: n }, (_, i) => generateCredentials({ role: 'client', cn: cn + i, ...passwords(i) })));
  const file = (b, suffix) => b.files.find((f) => f.name.endsWith(suffix)).bytes;
  return bundles.map((b, i) => ({
    credentialsId: b.credentialsId,
    certificatePem: b.certificatePem,
    key: new TextDecoder().decode(file(b, '.nopass.pem')),
    encryptedKey: new TextDecoder().decode(file(b, 'mqttclient.pem')),
    p12: btoa(String.fromCharCode(...file(b, '.p12'))),
    ...passwords(i),
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
    // The encrypted forms (their PBKDF2 keys made by another worker during the race) open with
    // their own passwords and hold the same key.
    const pemFile = path.join(dir, `e${i}.pem`);
    const p12File = path.join(dir, `s${i}.p12`);
    fs.writeFileSync(pemFile, r.encryptedKey);
    fs.writeFileSync(p12File, Buffer.from(r.p12, 'base64'));
    assert.equal(ok('openssl', ['rsa', '-modulus', '-noout', '-in', pemFile, '-passin', `pass:${r.keyPassword}`]), keyModulus);
    const p12Key = path.join(dir, `s${i}.key`);
    ok('openssl', ['pkcs12', '-in', p12File, '-nocerts', '-nodes', '-out', p12Key, '-passin', `pass:${r.storePassword}`]);
    assert.equal(ok('openssl', ['rsa', '-modulus', '-noout', '-in', p12Key]), keyModulus);
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

// Issue 13: a prime that reached the page is, with the public modulus, the whole key. When the
// race ends without a key (cancelled, or another racer failed), the primes that arrived must
// be overwritten, not left to the garbage collector.
test('a prime that arrived before a cancel or a failed racer is wiped', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 }));
  await page.addInitScript(() => {
    // Every Uint8Array of a prime's size that a worker sends is recorded (the same object the
    // page's code receives), and a hook runs after the page's own handler has seen it.
    window.__primes = [];
    window.__workers = [];
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        window.__workers.push(this);
      }
      set onmessage(handler) {
        super.onmessage = (event) => {
          const v = event.data?.value;
          const isPrime = v instanceof Uint8Array && v.length === 128;
          if (isPrime) window.__primes.push(v);
          handler.call(this, event);
          if (isPrime) setTimeout(() => window.__afterPrime?.(this), 0);
        };
      }
      get onmessage() { return super.onmessage; }
    };
  });
  await page.goto(base);
  await page.waitForFunction(() => window.ready === true);
  const results = await page.evaluate(async () => {
    const { generateCredentials } = await import('/js/browser.js');
    const out = [];
    for (const how of ['cancel', 'racer fails']) {
      window.__primes = [];
      const ac = new AbortController();
      window.__afterPrime = (from) => {
        window.__afterPrime = null;
        if (how === 'cancel') ac.abort();
        else window.__workers.find((w) => w !== from && w.pending?.size)?.dispatchEvent(new ErrorEvent('error', { message: 'test: a racer fails' }));
      };
      const code = await generateCredentials({ role: 'client', cn: 'wipe-test' }, { signal: ac.signal }).then(() => 'finished', (e) => e.code);
      await new Promise((r) => setTimeout(r, 50));
      out.push({
        how,
        code,
        primes: window.__primes.length,
        left: window.__primes.filter((b) => b.byteLength && b.some((x) => x !== 0)).length,
      });
    }
    return out;
  });
  for (const r of results) {
    assert.ok(r.primes >= 1, `${r.how}: a prime arrived before the race ended`);
    assert.ok(['aborted', 'internal', 'finished'].includes(r.code), `${r.how}: ${r.code}`);
    assert.equal(r.left, 0, `${r.how}: ${r.left} of ${r.primes} primes left unwiped (${r.code})`);
  }
  assert.equal(results[0].code, 'aborted');
  await context.close();
});
