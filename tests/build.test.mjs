// A page people can verify (issue 23, item 12): nothing under dist/ holds a path of the build
// machine, and a build from a copy of the sources at another path gives byte-identical files,
// so a user can check the copy of dist/tempus-certgen.html they were given against the SHA-256
// `npm run build` prints.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, tempDir } from './js/tools.mjs';

const files = (dir) => fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();

test('no file under dist/ holds the checkout\'s path', () => {
  const dist = path.join(ROOT, 'dist');
  assert.ok(files(dist).includes('tempus-certgen.html'), 'npm run build must have run');
  for (const f of files(dist)) {
    const text = fs.readFileSync(path.join(dist, f)).toString('latin1');
    assert.ok(!text.includes(ROOT), `${f} holds ${ROOT}`);
    assert.doesNotMatch(text, /file:\/\/\//, `${f} holds a file:/// URL`);
  }
});

test('a build from the same sources at another path gives byte-identical dist/ files', () => {
  const copy = path.join(tempDir('build-elsewhere'), 'another', 'checkout');
  fs.mkdirSync(copy, { recursive: true });
  for (const part of ['www', 'js', 'pkg', 'scripts', 'webpack.config.js', 'package.json']) {
    fs.cpSync(path.join(ROOT, part), path.join(copy, part), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  execFileSync(path.join(copy, 'node_modules', '.bin', 'webpack'), ['--mode', 'production', '--no-stats'], { cwd: copy, stdio: 'pipe' });
  const ours = files(path.join(ROOT, 'dist'));
  assert.deepEqual(files(path.join(copy, 'dist')), ours);
  for (const f of ours) {
    assert.ok(fs.readFileSync(path.join(copy, 'dist', f)).equals(fs.readFileSync(path.join(ROOT, 'dist', f))), `${f} differs between the two builds`);
  }
});
