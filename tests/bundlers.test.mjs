// The npm package as a frontend uses it: a tiny app imports 'tempus-certgen', is bundled with
// webpack 5 and with Vite, and runs in headless Chromium (generation in the package's worker).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { launch } from './js/browser.mjs';
import { serve } from '../scripts/serve.mjs';
import { ROOT, tempDir } from './js/tools.mjs';

const APP = `import { generateCredentials, inspectCertificate } from 'tempus-certgen';
const steps = [];
const bundle = await generateCredentials({ role: 'client', cn: 'bundled-app' }, { onProgress: (p) => steps.push(p.phase) });
const info = await inspectCertificate(bundle.certificatePem);
let cancelled = false;
const ac = new AbortController();
const pending = generateCredentials({ role: 'client', keySize: 4096 }, { signal: ac.signal });
ac.abort();
try { await pending; } catch (e) { cancelled = e.code === 'aborted'; }
document.title = [info.credentialsId === bundle.credentialsId, bundle.files.length, steps.includes('generating'), cancelled].join(':');
`;
const HTML = '<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body><script type="module" src="./main.js"></script></body></html>';

function app(name) {
  const dir = tempDir(name);
  fs.writeFileSync(path.join(dir, 'main.js'), APP);
  fs.writeFileSync(path.join(dir, 'index.html'), HTML);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'tempus-certgen'), 'dir');
  return dir;
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
}

async function runInChromium(dir) {
  const server = await serve(dir, { listenPort: 0 });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForFunction(() => document.title.includes(':'), null, { timeout: 120_000, polling: 100 });
    assert.deepEqual(errors, []);
    return await page.title();
  } finally {
    await browser.close();
    server.close();
  }
}

test('webpack 5 bundles the package and the app runs in Chromium', async () => {
  const dir = app('webpack-app');
  fs.writeFileSync(path.join(dir, 'webpack.config.mjs'), `export default {
    mode: 'production', context: ${JSON.stringify(dir)}, entry: './main.js',
    output: { path: ${JSON.stringify(path.join(dir, 'dist'))}, filename: 'main.js' },
    experiments: { topLevelAwait: true }, performance: { hints: false },
    resolveLoader: { modules: [${JSON.stringify(path.join(ROOT, 'node_modules'))}] },
  };`);
  run(process.execPath, [path.join(ROOT, 'node_modules', 'webpack', 'bin', 'webpack.js'), '--config', 'webpack.config.mjs', '--no-stats'], dir);
  fs.writeFileSync(path.join(dir, 'dist', 'index.html'), HTML);
  assert.equal(await runInChromium(path.join(dir, 'dist')), 'true:6:true:true');
});

test('Vite bundles the package and the app runs in Chromium', async () => {
  const dir = app('vite-app');
  fs.writeFileSync(path.join(dir, 'vite.config.mjs'), `export default {
    logLevel: 'warn', build: { target: 'es2022', outDir: 'dist' }, worker: { format: 'es' },
  };`);
  run(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.config.mjs'], dir);
  assert.equal(await runInChromium(path.join(dir, 'dist')), 'true:6:true:true');
});
