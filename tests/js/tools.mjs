// Helpers for the Node tests: run the CLI and the real peers (openssl, keytool).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'bin', 'tempus-certgen.js');

/** Environment without the recipe's variables, so a developer's shell cannot change results. */
export function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of ['DOMAIN_SUFFIX', 'ORGANIZATIONAL_UNIT', 'ORGANIZATION', 'CITY', 'STATE_OR_PROVINCE',
    'TWO_LETTER_COUNTRY_CODE', 'SERVER_KEYSTORE_PASSWORD', 'SERVER_KEY_PASSWORD', 'SERVER_KEY_ALIAS',
    'SERVER_FILE_PREFIX', 'CLIENT_KEYSTORE_PASSWORD', 'CLIENT_KEY_PASSWORD', 'CLIENT_KEY_ALIAS', 'CLIENT_FILE_PREFIX',
    'CA_KEY_PASSWORD', 'CA_KEYSTORE_PASSWORD', 'TEMPUS_TOKEN', 'TEMPUS_PASSWORD']) delete env[k];
  return { ...env, ...extra };
}

export function cli(args, { env = {}, cwd = ROOT } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/** cli(), required to succeed (exit 0). */
export function cliOk(args, opts) {
  const r = cli(args, opts);
  if (r.code !== 0) throw new Error(`tempus-certgen ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r;
}

/** Like cli(), without blocking this process (for servers running in the test process). */
export function cliAsync(args, { env = {}, cwd = ROOT } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code, signal) => resolve({ code, stdout, stderr, signal }));
  });
}

export function tool(cmd, args, { cwd, input } = {}) {
  const r = spawnSync(cmd, args, { cwd, input, encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} must be installed for the tests: ${r.error.message}`);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Run a tool and require success. */
export function ok(cmd, args, opts) {
  const r = tool(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}):\n${r.out}`);
  return r.out;
}

export function tempDir(name = 'tcg') {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
}
