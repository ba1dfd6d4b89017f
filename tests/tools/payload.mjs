// What a browser loads, gzip -9 of every response (issue 12's three totals), measured by loading
// the builds in headless Chromium:
//   served  dist/index.html as `npm start` serves it, through the generation of one client bundle
//   single  dist/tempus-certgen.html, the one file (every module is inside it)
//   embed   a Web UI fixture page with dist/tempus-certgen-embed.js while no dialog is open, and
//           what the first dialog adds
//   node tests/tools/payload.mjs            (after npm run build)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launch } from '../js/browser.mjs';
import { serve } from '../../scripts/serve.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const gz = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;

/**
 * Every response of a page whose URL `keep` accepts, in the order they came, as it comes:
 * `{ url, path, status, gzip }`, gzip a promise of the body's gzip -9 size.
 */
export function recordResponses(page, keep = () => true) {
  const seen = [];
  const cached = new Set();
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (!keep(url)) return;
    // A file the server lets the browser keep (content-hashed names) is fetched once; a second
    // worker's load of it comes from the cache, though the page still reports it.
    if (cached.has(r.url())) return;
    if (/max-age=[1-9]/.test(r.headers()['cache-control'] || '')) cached.add(r.url());
    seen.push({ url: r.url(), path: url.pathname, status: r.status(), gzip: r.body().then(gz, () => 0) });
  });
  return seen;
}

/** `recordResponses`, read out once the sizes are in. */
function record(page, keep) {
  const seen = recordResponses(page, keep);
  return async () => Promise.all(seen.map(async (e) => ({ path: e.path, gzip: await e.gzip })));
}

const sum = (list) => list.reduce((a, e) => a + e.gzip, 0);

export async function measurePayload({ browser } = {}) {
  const own = !browser;
  browser ??= await launch();
  const dist = await serve(path.join(ROOT, 'dist'), { listenPort: 0 });
  const root = await serve(ROOT, { listenPort: 0 });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const served = record(page);
    await page.goto(`http://127.0.0.1:${dist.address().port}/`);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.getByText(/^Done: \d+ files\.$/).waitFor({ timeout: 120_000 });
    const servedFiles = await served();

    const fixture = await context.newPage();
    const embedFiles = record(fixture, (u) => /tempus-certgen/.test(u.pathname));
    await fixture.goto(`http://127.0.0.1:${root.address().port}/tests/fixtures/thingsboard-angular.html?embed`);
    await fixture.waitForFunction(() => !!window.TempusCertgen);
    await fixture.waitForTimeout(300);
    const idle = await embedFiles();
    await fixture.click('#open');
    await fixture.getByRole('button', { name: 'Generate X.509 credentials' }).waitFor({ timeout: 10_000 });
    for (let i = 0; i < 100 && !(await embedFiles()).some((f) => f.path.endsWith('.wasm')); i++) await fixture.waitForTimeout(100);
    const opened = await embedFiles();
    await context.close();

    const single = gz(fs.readFileSync(path.join(ROOT, 'dist', 'tempus-certgen.html')));
    return {
      served: { total: sum(servedFiles), files: servedFiles },
      single: { total: single },
      embed: { idle: sum(idle), idleFiles: idle, opened: sum(opened), openedFiles: opened },
    };
  } finally {
    dist.close();
    root.close();
    if (own) await browser.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await measurePayload();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`served page, one client bundle: ${kb(r.served.total)}`);
  for (const f of r.served.files) console.log(`  ${f.path.padEnd(44)} ${kb(f.gzip)}`);
  console.log(`single-file page: ${kb(r.single.total)} (${(r.single.total / r.served.total).toFixed(2)}x the served page)`);
  console.log(`embed script, no dialog open: ${kb(r.embed.idle)}; after the first dialog: ${kb(r.embed.opened)}`);
  for (const f of r.embed.openedFiles) console.log(`  ${f.path.padEnd(44)} ${kb(f.gzip)}`);
}
