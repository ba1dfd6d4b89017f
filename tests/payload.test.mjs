// What browsers load (issues 12 and 19), measured in headless Chromium by tests/tools/payload.mjs:
// the embed script's first half stays within 10 KB gzip; the served page and the embed's first
// dialog fetch the lean module (pkg/lean/) once for all their workers, and nothing of the full one
// for a first generation. Issue 19 replaced issue 12's "single-file within 1.25x of the served
// page" (the split made the served page smaller; the one file holds the full module) with
// absolute bounds: served 200 KB, single-file 340 KB (BENCHMARKS.md "Issue 19's bounds reached").
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './js/tools.mjs';
import zlib from 'node:zlib';
import { measurePayload } from './tools/payload.mjs';

const gz = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;

test('payload: the embed script while no dialog is open, the lean module alone (once) for a first generation, the totals held', async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'tempus-certgen.html')), 'npm run build must have run');
  const r = await measurePayload();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`# served ${kb(r.served.total)}, single-file ${kb(r.single.total)}, embed ${kb(r.embed.idle)} idle / ${kb(r.embed.opened)} after a dialog`);
  assert.ok(r.embed.idle > 1024 && r.embed.idle <= 10 * 1024, `embed script before a dialog: ${kb(r.embed.idle)}`);
  assert.deepEqual(r.embed.idleFiles.map((f) => f.path), ['/dist/tempus-certgen-embed.js']);
  assert.ok(r.embed.opened > 100 * 1024, 'the wasm module comes with the first dialog');
  const wasmFetches = r.served.files.filter((f) => f.path.endsWith('.wasm'));
  assert.equal(wasmFetches.length, 1, `the served page fetched the wasm ${wasmFetches.length} times`);
  const lean = fs.readFileSync(path.join(ROOT, 'pkg', 'lean', 'tempus_certgen_bg.wasm'));
  const full = fs.readFileSync(path.join(ROOT, 'pkg', 'tempus_certgen_bg.wasm'));
  assert.ok(lean.length < 0.7 * full.length, `the lean module (${lean.length} bytes) is well under the full one (${full.length})`);
  assert.ok(Math.abs(wasmFetches[0].gzip - gz(lean)) < 1024, `the served page's first generation fetched the lean module (${kb(wasmFetches[0].gzip)}; lean ${kb(gz(lean))}, full ${kb(gz(full))})`);
  const embedWasm = r.embed.openedFiles.filter((f) => f.path.endsWith('.wasm'));
  assert.equal(embedWasm.length, 1);
  assert.ok(Math.abs(embedWasm[0].gzip - gz(lean)) < 1024, 'the embed\'s first dialog fetches the lean module');
  assert.ok(r.served.total <= 200 * 1024, `served page ${kb(r.served.total)}: more than issue 19's 200 KB`);
  assert.ok(r.embed.opened <= 200 * 1024, `embed after a dialog ${kb(r.embed.opened)}: more than the 200 KB reached`);
  assert.ok(r.single.total <= 340 * 1024, `single-file ${kb(r.single.total)}: more than issue 19's 340 KB`);
});
