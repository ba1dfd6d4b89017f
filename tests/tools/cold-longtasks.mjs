// Counts main-thread long tasks during the first generation in a fresh browser context (cold
// workers), N times, with a Chromium trace of each run that had one: what ran in the task.
// Usage: node tests/tools/cold-longtasks.mjs [runs] [traceDir]
// (DIST=dir serves another build; PAGE=file:///.../tempus-certgen.html opens the single-file page;
// KEEP_TRACES=1 keeps every trace, not only those of runs with a long task)
import fs from 'node:fs';
import path from 'node:path';
import { launch } from '../js/browser.mjs';
import { serve } from '../../scripts/serve.mjs';
import { ROOT } from '../js/tools.mjs';

const runs = Number(process.argv[2] || 10);
const traceDir = process.argv[3];
const server = await serve(process.env.DIST || path.join(ROOT, 'dist'), { listenPort: 0 });
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await launch();
const results = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  if (traceDir) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'toplevel'] });
  await page.goto(process.env.PAGE || base);
  await page.locator('body[data-wasm-ready="true"]').waitFor({ state: 'attached' });
  const t0 = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByText(/^Done: \d+ files\./).waitFor({ timeout: 120_000 });
  const t1 = await page.evaluate(() => performance.now());
  const long = await page.evaluate((t) => window.__longTasks.filter((x) => x.start >= t), t0);
  const trace = traceDir ? await browser.stopTracing() : null;
  if (trace && (process.env.KEEP_TRACES || long.some((x) => x.duration > 50))) fs.writeFileSync(path.join(traceDir, `run${i}.json`), trace);
  results.push({ run: i, ms: Math.round(t1 - t0), long: long.map((x) => `${Math.round(x.start - t0)}+${Math.round(x.duration)}`) });
  console.log(JSON.stringify(results.at(-1)));
  await context.close();
}
await browser.close();
server.close();
