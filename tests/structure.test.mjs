// The house's shape (issue 19), held by a test: layers in src/ without an import that runs back
// up, no import circle anywhere (Rust files, JS modules), no source file over 450 lines, the CLI
// by command and the page by panel, every OID once, one PEM reader, one table of the JS calls.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './js/tools.mjs';
import { CALLS } from '../js/calls.js';

const MAX_LINES = 450;
const read = (f) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const walk = (dir, ext) => fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
  const rel = path.join(dir, e.name);
  if (e.isDirectory()) return walk(rel, ext);
  return e.name.endsWith(ext) ? [rel] : [];
});
/** Rust source without its unit tests (a `#[cfg(test)] mod tests` at the end). */
const withoutTests = (text) => text.split(/\n#\[cfg\(test\)\]\nmod tests/)[0];

/** Layers of src/, lowest first: a module imports only lower layers and its own folder. */
const RANK = { error: 0, oid: 0, role: 1, rng: 1, formats: 2, tempus: 3, keys: 4, x509: 5, issue: 6, inspect: 6, recipe: 7, api: 8, wasm: 9, '': 10 };

function rustModules() {
  const files = walk('src', '.rs');
  const modOf = (f) => f.replace(/^src\//, '').replace(/(\/mod)?\.rs$/, '').replace(/^lib$/, '').replaceAll('/', '::');
  return new Map(files.map((f) => [modOf(f), f]));
}

/** Each module's imports of other modules of the crate (paths resolved to the longest module). */
function rustImports(mods) {
  const edges = new Map();
  for (const [mod, file] of mods) {
    const code = withoutTests(read(file)).replace(/^\s*\/\/.*$/gm, '');
    const targets = new Set();
    for (const m of code.matchAll(/crate::((?:[A-Za-z_0-9]+::)*[A-Za-z_0-9]+)/g)) {
      const parts = m[1].split('::');
      let target = '';
      for (let i = parts.length; i > 0; i--) {
        const candidate = parts.slice(0, i).join('::');
        if (mods.has(candidate)) { target = candidate; break; }
      }
      targets.add(target);
    }
    for (const m of code.matchAll(/use crate::\{([^}]*)\}/g)) {
      for (const name of m[1].split(',').map((x) => x.trim().split('::')[0]).filter(Boolean)) targets.add(mods.has(name) ? name : '');
    }
    targets.delete(mod);
    edges.set(mod, targets);
  }
  return edges;
}

function cycles(edges) {
  const found = [];
  const state = new Map();
  const visit = (n, stack) => {
    state.set(n, 'open');
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m].join(' -> '));
      else if (!state.has(m)) visit(m, [...stack, m]);
    }
    state.set(n, 'done');
  };
  for (const n of edges.keys()) if (!state.has(n)) visit(n, [n]);
  return found;
}

test('src/: each module imports only layers below it or its own folder; no import circle', () => {
  const mods = rustModules();
  const edges = rustImports(mods);
  const top = (m) => m.split('::')[0];
  const wrong = [];
  for (const [mod, targets] of edges) {
    assert.ok(top(mod) in RANK, `src/${mods.get(mod)}: a module of no known layer (add it to RANK and README)`);
    for (const t of targets) {
      if (top(t) === top(mod) && t !== '') continue;
      if (RANK[top(mod)] <= RANK[top(t)]) wrong.push(`${mod || 'lib'} -> ${t || 'lib'}`);
    }
  }
  assert.deepEqual(wrong, [], 'imports that run back up a layer');
  assert.deepEqual(cycles(edges), [], 'import circles between files');
  const topFiles = fs.readdirSync(path.join(ROOT, 'src')).filter((f) => f.endsWith('.rs'));
  assert.ok(topFiles.length <= 12, `src/ holds ${topFiles.length} files at its top: ${topFiles}`);
});

test('src/: every OID once (src/oid.rs), the PEM armour read in one module', () => {
  for (const file of walk('src', '.rs')) {
    const code = withoutTests(read(file));
    if (file !== 'src/oid.rs') {
      assert.doesNotMatch(code, /"\d+\.\d+\.\d+(\.\d+)+"|new_unwrap\(/, `${file}: an OID written outside src/oid.rs`);
    }
    if (!['src/formats/pem.rs', 'src/tempus.rs'].includes(file)) {
      assert.doesNotMatch(code, /-----BEGIN|-----END/, `${file}: PEM armour read outside src/formats/pem.rs`);
    }
  }
});

const JS_DIRS = ['bin', 'js', 'www'];
const jsFiles = () => JS_DIRS.flatMap((d) => walk(d, '.js'));

/** file -> the project files it imports (static, re-exports, and literal or listed dynamic imports). */
function jsImports() {
  const edges = new Map();
  for (const file of jsFiles()) {
    const text = read(file);
    const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
    if (file === 'bin/commands/index.js') {
      const names = text.match(/NAMES = \[([^\]]*)\]/)[1].match(/'([^']+)'/g).map((n) => `./${n.slice(1, -1)}.js`);
      specs.push(...names);
    }
    const targets = specs.filter((s) => s.startsWith('.')).map((s) => path.normalize(path.join(path.dirname(file), s)))
      .filter((t) => !/^(pkg|build|node_modules)\//.test(t));
    edges.set(file, new Set(targets));
  }
  return edges;
}

test('JS: no import circle; js/ below bin/ and www/; commands and panels never import each other', () => {
  const edges = jsImports();
  assert.deepEqual(cycles(edges), [], 'import circles between JS modules');
  const wrong = [];
  for (const [file, targets] of edges) {
    for (const t of targets) {
      if (file.startsWith('js/') && !t.startsWith('js/')) wrong.push(`${file} -> ${t}`);
      if (file.startsWith('bin/commands/') && file !== 'bin/commands/index.js' && t.startsWith('bin/commands/')) wrong.push(`${file} -> ${t}`);
      if (file.startsWith('bin/cli/') && t.startsWith('bin/commands/')) wrong.push(`${file} -> ${t}`);
      if (file.startsWith('www/panels/') && t.startsWith('www/panels/')) wrong.push(`${file} -> ${t}`);
      if (file.startsWith('www/') && !file.startsWith('www/panels/') && file !== 'www/main.js' && t.startsWith('www/panels/')) wrong.push(`${file} -> ${t}`);
    }
  }
  assert.deepEqual(wrong, [], 'imports that run back up a layer');
});

test('no hand-written source file over 450 lines; the dispatcher and the page small; a file per command and per panel', () => {
  const long = [];
  for (const file of [...walk('src', '.rs'), ...walk('primes/src', '.rs'), ...jsFiles(), ...walk('scripts', '.sh'), ...walk('scripts', '.mjs'), 'webpack.config.js']) {
    const text = file.endsWith('.rs') ? withoutTests(read(file)) : read(file);
    const lines = text.split('\n').length;
    if (lines > MAX_LINES) long.push(`${file}: ${lines}`);
  }
  assert.deepEqual(long, [], `files over ${MAX_LINES} lines`);
  assert.ok(read('bin/tempus-certgen.js').split('\n').length < 120, 'bin/tempus-certgen.js is a dispatcher under 120 lines');
  assert.ok(read('www/main.js').split('\n').length < 150, 'www/main.js is under 150 lines');
  const names = read('bin/commands/index.js').match(/NAMES = \[([^\]]*)\]/)[1].match(/'([^']+)'/g).map((n) => n.slice(1, -1));
  for (const name of names) assert.ok(fs.existsSync(path.join(ROOT, 'bin/commands', `${name}.js`)), `bin/commands/${name}.js`);
  for (const panel of ['generate', 'passwords', 'ca-source', 'result', 'sign', 'inspect', 'many', 'send']) {
    assert.ok(fs.existsSync(path.join(ROOT, 'www/panels', `${panel}.js`)), `www/panels/${panel}.js`);
  }
});

test('one table of the JS calls: both entries export each, index.d.ts declares each, the workers allow only its worker calls', async () => {
  const node = await import('../js/node.js');
  const browserText = read('js/browser.js');
  const types = read('js/index.d.ts');
  for (const name of Object.keys(CALLS)) {
    assert.equal(typeof node[name], 'function', `js/node.js exports ${name}`);
    assert.match(browserText, new RegExp(`export (const|async function|function) ${name}\\b|export (const )?\\{[^}]*\\b${name}\\b`), `js/browser.js exports ${name}`);
    assert.match(types, new RegExp(`export function ${name}\\b`), `js/index.d.ts declares ${name}`);
  }
  const { WORKER_CALLS } = await import('../js/calls.js');
  for (const name of WORKER_CALLS) assert.ok(Object.hasOwn(CALLS, name), `WORKER_CALLS names ${name}, a call of the table`);
  for (const worker of ['js/worker-core.js', 'js/node-worker.js', 'js/node-pool-worker.js']) {
    assert.match(read(worker), /WORKER_CALLS\.includes/, `${worker} takes its allow-list from js/calls.js`);
  }
  await assert.rejects(node.createRequest({ bogus: 1 }), { code: 'unknown_option', field: 'bogus' });
});

test('www/later.js: every name a panel takes from a loader is in that loader\'s webpackExports list (a bundle keeps only those)', async () => {
  const later = read('www/later.js');
  const lists = Object.fromEntries([...later.matchAll(/export const (\w+) = [^;]*?webpackExports: (\[[^\]]*\])/gs)].map(([, name, list]) => [name, JSON.parse(list)]));
  assert.deepEqual(Object.keys(lists).sort(), ['later', 'rest']);
  const browser = await import('../js/browser.js');
  const taken = [];
  for (const file of walk('www/panels', '.js')) {
    // `{ a, b } = await later()`, or the first of `[{ a, b }, ...] = await Promise.all([later(), ...])`
    for (const [, names, loader] of read(file).matchAll(/\{([^{}]*)\}(?:,[^=]*\])?\s*=\s*await (?:Promise\.all\(\[)?(later|rest)\(\)/g)) {
      for (const name of names.split(',').map((n) => n.trim()).filter(Boolean)) {
        taken.push(name);
        assert.ok(lists[loader].includes(name), `${file} takes ${name} from ${loader}(), which does not list it`);
      }
    }
  }
  assert.deepEqual([...new Set(taken)].sort(), [...lists.later, ...lists.rest].sort(), 'each listed name is taken by a panel');
  for (const name of [...lists.later, ...lists.rest]) assert.equal(typeof browser[name], 'function', `js/browser.js exports ${name}`);
});
