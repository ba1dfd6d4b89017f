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
