// Writing what a command made: all or nothing (a temporary folder renamed into place, undone on
// a failure or a signal), keys 0600, the bytes wiped after; the generating worker, stopped on a
// signal; and the lines that tell a person what was written.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { wipe } from '../../js/node.js';
import { printable } from '../../js/describe.js';

/** The files each role writes (prefix first). */
export const SUFFIXES = {
  server: ['.jks', '.p12', '.pub.pem', '.cer', '.nopass.pem'],
  client: ['.jks', '.p12', '.pub.pem', '.cer', '.nopass.pem', '.pem'],
  ca: ['.pub.pem', '.cer', '.key.pem', '.p12'],
};

// Work in progress, for the signal handlers: the generating worker, a temp folder to remove,
// renamed files to undo (and the files they replaced, to put back), device folders being written.
const pending = { worker: null, tmp: null, placed: [], backups: [], tmpDirs: new Set() };

function rollback() {
  pending.worker?.terminate();
  pending.worker = null;
  for (const file of pending.placed.splice(0)) fs.rmSync(file, { force: true });
  for (const [backup, original] of pending.backups.splice(0)) {
    try { fs.renameSync(backup, original); } catch { /* nothing left to restore */ }
  }
  if (pending.tmp) fs.rmSync(pending.tmp, { recursive: true, force: true });
  pending.tmp = null;
  for (const dir of pending.tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  pending.tmpDirs.clear();
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    rollback();
    process.stderr.write(`tempus-certgen: interrupted by ${signal}; no files were left behind\n`);
    process.exit(code);
  });
}

/** Nothing is overwritten without --force. */
export function refuseOverwrite(out, names, force) {
  const existing = names.filter((n) => fs.existsSync(path.join(out, n)));
  if (existing.length && !force) {
    const e = new Error(`refusing to overwrite ${existing.join(', ')} in ${out} (use --force)`);
    e.code = 'exists';
    throw e;
  }
}

/**
 * Write the files all or nothing: into a temporary folder first, then renamed into place (what
 * they replace is put back if anything fails or a signal comes). Keys 0600. Wipes the bytes.
 */
export async function writeFiles(out, prefix, made) {
  // Only for the tests that interrupt a write half-way: a pause after each file.
  const pause = Number(process.env.TEMPUS_CERTGEN_TEST_WRITE_DELAY_MS || 0);
  const breathe = () => (pause ? new Promise((r) => setTimeout(r, pause)) : Promise.resolve());
  try {
    fs.mkdirSync(out, { recursive: true });
    pending.tmp = fs.mkdtempSync(path.join(out, `.tempus-certgen-${prefix}-`));
    for (const f of made.files) {
      await fs.promises.writeFile(path.join(pending.tmp, f.name), f.bytes, { mode: f.secret ? 0o600 : 0o644 });
      await breathe();
    }
    for (const f of made.files) {
      const target = path.join(out, f.name);
      if (fs.existsSync(target)) {
        const backup = path.join(pending.tmp, `${f.name}.previous`);
        fs.renameSync(target, backup);
        pending.backups.push([backup, target]);
      }
      fs.renameSync(path.join(pending.tmp, f.name), target);
      pending.placed.push(target);
      await breathe();
    }
    pending.placed = [];
    pending.backups = [];
    fs.rmSync(pending.tmp, { recursive: true, force: true });
    pending.tmp = null;
  } catch (e) {
    rollback();
    throw e;
  } finally {
    wipe(made);
  }
  for (const f of made.files) console.log(`wrote ${path.join(out, f.name)}`);
}

/** The prefix of bulk's hidden device folders: never complete, so never used. */
export const DEVICE_TMP = '.tempus-certgen-tmp-';

/** One device's folder, whole or not at all: written hidden, then renamed into place. */
export async function writeDeviceFolder(out, folder, bundle, force) {
  const target = path.join(out, folder);
  const tmp = fs.mkdtempSync(path.join(out, `${DEVICE_TMP}${folder.slice(0, 40)}-`));
  pending.tmpDirs.add(tmp);
  try {
    for (const f of bundle.files) await fs.promises.writeFile(path.join(tmp, f.name), f.bytes, { mode: f.secret ? 0o600 : 0o644 });
    if (force && fs.existsSync(target)) {
      const old = `${tmp}-old`;
      fs.renameSync(target, old);
      pending.tmpDirs.add(old);
      fs.renameSync(tmp, target);
      fs.rmSync(old, { recursive: true, force: true });
      pending.tmpDirs.delete(old);
    } else {
      fs.renameSync(tmp, target);
    }
  } finally {
    pending.tmpDirs.delete(tmp);
    if (fs.existsSync(tmp)) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** One call of the JS API in a worker thread, which a signal can stop at once. */
export function generateInWorker(options, fn = 'generateCredentials') {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../../js/node-worker.js', import.meta.url), { workerData: { fn, options } });
    pending.worker = worker;
    worker.once('message', (m) => {
      pending.worker = null;
      worker.terminate();
      if (m.ok) resolve(m.value);
      else reject(Object.assign(new Error(m.error.message), { code: m.error.code, field: m.error.field }));
    });
    worker.once('error', (e) => {
      pending.worker = null;
      reject(Object.assign(new Error(`generation failed: ${e.message}`), { code: 'internal' }));
    });
  });
}

/** What a person needs to know of the certificate written. */
export function printCertificate(bundle) {
  console.log(`subject:        ${printable(bundle.subject)}`);
  if (bundle.issuer) console.log(`issuer:         ${printable(bundle.issuer)}`);
  if (bundle.san?.length) console.log(`names:          ${bundle.san.map((n) => printable(n)).join(', ')}`);
  console.log(`valid until:    ${bundle.notAfter.toISOString()}`);
  if (bundle.validityCut) {
    console.log(`note: the validity was cut to end with the CA's, on ${bundle.notAfter.toISOString()} ` +
      '(a certificate cannot outlive its CA); make the CA anew before then.');
  }
  console.log(`SHA-256:        ${bundle.sha256Fingerprint}`);
  console.log(`credentials id: ${bundle.credentialsId}`);
}

/** Write `files` under `out` (keys 0600), refusing to overwrite without `force`. */
export function writeDeviceCode(out, files, force) {
  const existing = files.map((f) => path.join(out, f.name)).filter((f) => fs.existsSync(f));
  if (existing.length && !force) throw Object.assign(new Error(`refusing to overwrite ${existing.join(', ')} (use --force)`), { code: 'exists' });
  for (const f of files) {
    const target = path.join(out, f.name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.text, { mode: f.secret ? 0o600 : f.mode ?? 0o644 });
    fs.chmodSync(target, f.secret ? 0o600 : f.mode ?? 0o644);
  }
}
