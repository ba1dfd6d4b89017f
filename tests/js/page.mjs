// The served page (dist/ as `npm start` serves it) in headless Chromium, for the page tests: one
// server and one browser per test file, a fresh context per test, long tasks recorded.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './browser.mjs';
import { serve } from '../../scripts/serve.mjs';
import { ROOT } from './tools.mjs';

/** Registers the file's before/after hooks; `openPage()` opens the page in a new context. */
export function servedPage() {
  let server;
  let browser;
  let base;
  test.before(async () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'index.html')), 'npm run build must have run');
    server = await serve(path.join(ROOT, 'dist'), { listenPort: 0 });
    base = `http://127.0.0.1:${server.address().port}/`;
    browser = await launch();
  });
  test.after(async () => {
    await browser?.close();
    server?.close();
  });
  async function openPage() {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(base);
    return { page, context, errors };
  }
  return { openPage, base: () => base, browser: () => browser };
}
