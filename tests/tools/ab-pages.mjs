// A/B timing of two builds of the page (dist directories), interleaved in one browser: each
// round generates a client bundle on page A, then on page B, through the form (warm workers
// after the first round, which is left out). Usage: node tests/tools/ab-pages.mjs DIR_A DIR_B [rounds]
import path from 'node:path';
import { launch } from '../js/browser.mjs';
import { serve } from '../../scripts/serve.mjs';

const [dirA, dirB, rounds = '30'] = process.argv.slice(2);
const browser = await launch();
const pages = [];
for (const dir of [dirA, dirB]) {
  const server = await serve(path.resolve(dir), { listenPort: 0 });
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.locator('body[data-wasm-ready="true"]').waitFor({ state: 'attached' });
  pages.push({ dir, server, page, times: [] });
}
for (let r = 0; r <= Number(rounds); r++) {
  for (const p of pages) {
    // Timed in the page, from the click to the status saying "Done" (a MutationObserver: no
    // polling granularity).
    const ms = await p.page.evaluate(() => new Promise((resolve) => {
      const status = document.getElementById('status');
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        if (/^Done/.test(status.textContent)) {
          observer.disconnect();
          resolve(performance.now() - t0);
        }
      });
      observer.observe(status, { childList: true, characterData: true, subtree: true });
      document.getElementById('generateButton').click();
    }));
    if (r > 0) p.times.push(ms);
  }
}
const q = (a, f) => a.slice().sort((x, y) => x - y)[Math.floor(f * (a.length - 1))];
for (const p of pages) console.log(`${p.dir}: p25 ${q(p.times, 0.25).toFixed(0)} median ${q(p.times, 0.5).toFixed(0)} p75 ${q(p.times, 0.75).toFixed(0)} ms (${p.times.length} rounds)`);
const [a, b] = pages.map((p) => q(p.times, 0.5));
console.log(`B / A medians: ${(b / a).toFixed(3)}`);
await browser.close();
for (const p of pages) p.server.close();
