// The single-file page's inline wasm module, gzip-compressed by zopfli: a gzip stream the browser's
// DecompressionStream reads like any other, 4-5% smaller than gzip -9 (BENCHMARKS.md "Two
// modules"). Kept by the module's SHA-256 in build/zopfli/, so an unchanged module is not
// compressed again (zopfli takes seconds). webpack.config.js runs it (the bytes on stdin).
//   node scripts/zopfli.mjs FILE|-
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const ZOPFLI_DIR = path.join(ROOT, 'build', 'zopfli');
/** Where the zopfli gzip of these bytes is kept. */
export const zopfliPath = (bytes) => path.join(ZOPFLI_DIR, `${crypto.createHash('sha256').update(bytes).digest('hex')}.gz`);

async function main(file) {
  const bytes = fs.readFileSync(file === '-' ? 0 : file);
  const out = zopfliPath(bytes);
  if (!fs.existsSync(out)) {
    const { gzipAsync } = await import('@gfx/zopfli');
    fs.mkdirSync(ZOPFLI_DIR, { recursive: true });
    // Older modules' files go: only the current one is read.
    for (const f of fs.readdirSync(ZOPFLI_DIR)) fs.rmSync(path.join(ZOPFLI_DIR, f));
    const gz = await gzipAsync(bytes, { numiterations: 15 });
    fs.writeFileSync(`${out}.tmp`, gz);
    fs.renameSync(`${out}.tmp`, out);
  }
}

// No top-level await: webpack.config.js, loaded by require(), imports zopfliPath from here.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv[2]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
