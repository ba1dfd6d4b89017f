// What browsers load (issue 12), measured in headless Chromium by tests/tools/payload.mjs: the
// embed script's first half stays within 10 KB gzip, the single-file page within 25% of the
// served page, and the served page fetches the wasm module once for all its workers.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './js/tools.mjs';
import { measurePayload } from './tools/payload.mjs';

test('payload: the embed script while no dialog is open, the single-file page against the served page, one wasm fetch', async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'tempus-certgen.html')), 'npm run build must have run');
  const r = await measurePayload();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`# served ${kb(r.served.total)}, single-file ${kb(r.single.total)}, embed ${kb(r.embed.idle)} idle / ${kb(r.embed.opened)} after a dialog`);
  assert.ok(r.embed.idle > 1024 && r.embed.idle <= 10 * 1024, `embed script before a dialog: ${kb(r.embed.idle)}`);
  assert.deepEqual(r.embed.idleFiles.map((f) => f.path), ['/dist/tempus-certgen-embed.js']);
  assert.ok(r.embed.opened > 100 * 1024, 'the wasm module comes with the first dialog');
  assert.ok(r.single.total <= 1.25 * r.served.total, `single-file ${kb(r.single.total)} is more than 1.25x the served ${kb(r.served.total)}`);
  const wasmFetches = r.served.files.filter((f) => f.path.endsWith('.wasm'));
  assert.equal(wasmFetches.length, 1, `the served page fetched the wasm ${wasmFetches.length} times`);
  assert.ok(wasmFetches[0].gzip > 50 * 1024, 'a real wasm module was measured');
});
