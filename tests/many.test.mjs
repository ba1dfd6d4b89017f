// generateMany in headless Chromium (the browser entry: one Web Worker per core, whole bundles
// each), as a frontend imports it: 20 EC devices end to end, the CSVs, and a cancel in the middle
// that keeps the devices already made.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { launch } from './js/browser.mjs';
import { serve } from '../scripts/serve.mjs';
import { ok, tempDir, ROOT } from './js/tools.mjs';

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import * as api from '/js/browser.js';
window.api = api;
window.ready = true;
</script>`;

let server, browser, page;
test.before(async () => {
  fs.writeFileSync(path.join(ROOT, 'pkg', 'many-test.html'), PAGE);
  server = await serve(ROOT, { listenPort: 0 });
  browser = await launch();
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/pkg/many-test.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 60_000 });
});
test.after(async () => {
  await browser?.close();
  server?.close();
  fs.rmSync(path.join(ROOT, 'pkg', 'many-test.html'), { force: true });
});

test('generateMany in Chromium: 20 EC devices and a refused name, progress, both CSVs, keys openssl accepts', async () => {
  const out = await page.evaluate(async () => {
    const names = Array.from({ length: 20 }, (_, i) => ({ name: `web-${i + 1}`, type: i % 2 ? 'sensor' : '', label: `L${i}` }));
    names.push('');
    const results = [];
    const progress = [];
    for await (const r of window.api.generateMany(names, { keyType: 'ec-p256', keyPassword: 'web-key-1', storePassword: 'web-store-1' }, { onProgress: (p) => progress.push(p) })) {
      results.push(r);
    }
    const first = results.find((r) => r.name === 'web-1');
    return {
      count: results.length,
      ok: results.filter((r) => r.ok).length,
      failed: results.filter((r) => !r.ok).map((r) => r.error.message),
      last: progress.at(-1),
      manifest: window.api.toManifestCsv(results),
      tb: window.api.toThingsBoardCsv(results),
      files: Object.fromEntries(first.bundle.files.map((f) => [f.name, Array.from(f.bytes)])),
    };
  });
  assert.equal(out.count, 21);
  assert.equal(out.ok, 20);
  assert.deepEqual(out.failed, ['the name is empty']);
  assert.equal(out.last.done, 21);
  assert.equal(out.last.total, 21);
  const manifest = out.manifest.trim().split('\r\n');
  assert.equal(manifest.length, 22);
  assert.ok(manifest[1].startsWith('web-1,default,L0,web-1,'));
  assert.ok(manifest[2].startsWith('web-2,sensor,L1,web-2,'));
  const tb = out.tb.trim().split('\r\n').slice(1).map((l) => l.split(','));
  assert.equal(tb.length, 20);
  for (const [name, , , x509] of tb) {
    const row = manifest.find((l) => l.startsWith(`${name},`)).split(',');
    assert.equal(createHash('sha3-256').update(x509).digest('hex'), row[4], name);
  }
  const dir = tempDir('many-web');
  for (const [name, bytes] of Object.entries(out.files)) fs.writeFileSync(path.join(dir, name), Buffer.from(bytes));
  ok('openssl', ['pkey', '-in', 'mqttclient.pem', '-passin', 'pass:web-key-1', '-check', '-noout'], { cwd: dir });
  ok('openssl', ['pkcs12', '-in', 'mqttclient.p12', '-passin', 'pass:web-store-1', '-nodes', '-info'], { cwd: dir });
});

test('generateMany in Chromium: a cancel in the middle stops at once and keeps the devices made', async () => {
  const out = await page.evaluate(async () => {
    const controller = new AbortController();
    const results = [];
    const started = performance.now();
    for await (const r of window.api.generateMany(window.api.patternNames(400, 'cancel-{n}'), { keyType: 'ec-p256' }, { signal: controller.signal })) {
      results.push(r);
      if (results.length === 10) controller.abort();
    }
    return { made: results.filter((r) => r.ok).map((r) => r.name), ms: performance.now() - started };
  });
  assert.ok(out.made.length >= 10 && out.made.length < 400, `${out.made.length} made`);
  assert.ok(out.made.every((n) => /^cancel-\d+$/.test(n)));
});

/**
 * generateMany with a device CA, in Node (worker threads) and Chromium (Web Workers): every device
 * is signed by the CA (openssl verify), each with a key of its own; a wrong CA password fails
 * every device with the CA password's error. The workers open the CA once each
 * (ca::keep_opened; tests/properties.rs checks the reuse itself).
 */
test('generateMany with a device CA (Node and Chromium): every device verifies against the CA; a wrong CA password fails each device clearly', async () => {
  const node = await import('tempus-certgen');
  const ca = await node.generateCredentials({ role: 'ca', cn: 'Many CA', keyType: 'ec-p256', keyPassword: 'many-ca-secret' });
  const caPem = ca.certificatePem;
  const caKey = new TextDecoder().decode(ca.files.find((f) => f.name.endsWith('.key.pem')).bytes);
  const issuer = { certificate: caPem, privateKey: caKey, password: 'many-ca-secret' };
  const dir = tempDir('many-ca');
  fs.writeFileSync(path.join(dir, 'ca.pem'), caPem);

  const fromNode = [];
  for await (const r of node.generateMany(node.patternNames(12, 'ca-node-{n}'), { keyType: 'ec-p256', issuer }, { concurrency: 2 })) fromNode.push(r);
  const fromWeb = await page.evaluate(async (issuer) => {
    const out = [];
    for await (const r of window.api.generateMany(window.api.patternNames(12, 'ca-web-{n}'), { keyType: 'ec-p256', issuer })) {
      out.push({ name: r.name, ok: r.ok, pem: r.bundle?.certificatePem, error: r.error?.message, field: r.error?.field });
    }
    return out;
  }, issuer);
  const devices = [...fromNode.map((r) => ({ name: r.name, ok: r.ok, pem: r.bundle?.certificatePem, error: r.error?.message })), ...fromWeb];
  assert.equal(devices.length, 24);
  const keys = new Set();
  for (const d of devices) {
    assert.ok(d.ok, `${d.name}: ${d.error}`);
    const file = path.join(dir, `${d.name}.pem`);
    fs.writeFileSync(file, d.pem);
    assert.match(ok('openssl', ['verify', '-CAfile', 'ca.pem', file], { cwd: dir }), /: OK/);
    assert.match(ok('openssl', ['x509', '-in', file, '-noout', '-subject', '-issuer', '-nameopt', 'RFC2253']), new RegExp(`subject=CN=${d.name},[\\s\\S]*issuer=CN=Many CA,`));
    keys.add(ok('openssl', ['x509', '-in', file, '-noout', '-pubkey']));
  }
  assert.equal(keys.size, 24, 'a key of its own for every device');

  const wrong = { ...issuer, password: 'not-the-ca-password' };
  const refusedNode = [];
  for await (const r of node.generateMany(node.patternNames(3, 'wrong-{n}'), { keyType: 'ec-p256', issuer: wrong }, { concurrency: 2 })) refusedNode.push(r);
  const refusedWeb = await page.evaluate(async (issuer) => {
    const out = [];
    for await (const r of window.api.generateMany(window.api.patternNames(3, 'wrong-{n}'), { keyType: 'ec-p256', issuer })) out.push({ ok: r.ok, field: r.error?.field, error: r.error?.message });
    return out;
  }, wrong);
  for (const r of [...refusedNode.map((x) => ({ ok: x.ok, field: x.error?.field, error: x.error?.message })), ...refusedWeb]) {
    assert.equal(r.ok, false);
    assert.equal(r.field, 'issuer.password', r.error);
    assert.match(r.error, /password/i);
  }
});
