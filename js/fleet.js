// Many devices at once (issue 11), shared by the Node and browser entries: the device list and
// its checks, folder names that every file system takes, generateMany over a pool of workers,
// and the two CSV files (our manifest; ThingsBoard's device import).
import { codedError } from './errors.js';

/** A CN holds at most 64 characters (RFC 5280 ub-common-name). */
export const MAX_NAME = 64;

/** What a spreadsheet runs as a formula when a cell starts with it (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** The files bulk writes beside the device folders: never a device's folder. */
const FLEET_FILES = ['manifest.csv', 'thingsboard-devices.csv'];

/** Writing systems a device name may use; a name mixing two (Latin with Cyrillic) may be a look-alike. */
const SCRIPTS = [['Latin', /\p{Script=Latin}/u], ['Cyrillic', /\p{Script=Cyrillic}/u], ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u], ['Hebrew', /\p{Script=Hebrew}/u], ['Arabic', /\p{Script=Arabic}/u],
  ['Japanese or Chinese', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u], ['Hangul', /\p{Script=Hangul}/u],
  ['Thai', /\p{Script=Thai}/u], ['Devanagari', /\p{Script=Devanagari}/u], ['Georgian', /\p{Script=Georgian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u]];

/** The writing systems of a name's letters. */
export function scriptsOf(name) {
  const found = new Set();
  for (const c of name) {
    if (!/\p{L}/u.test(c)) continue;
    found.add(SCRIPTS.find(([, re]) => re.test(c))?.[0] ?? 'another script');
  }
  return [...found];
}

/** Windows' reserved device names: a folder cannot be called this, with or without extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * `devices` (names, or `{ name, type, label }`) as entries in input order, each with its `index`,
 * a `folder` safe on every file system (unique without regard to case), and `error` when the
 * name cannot be made: empty, too long for a CN, or a repeat of an earlier name.
 */
export function planDevices(devices, { type = 'default' } = {}) {
  if (!Array.isArray(devices)) throw codedError('devices must be an array of names or of { name, type, label }', 'invalid', { field: 'devices' });
  const seen = new Set();
  const normalized = new Map(); // NFKC form -> the first name with it
  const folders = new Set(FLEET_FILES);
  return devices.map((d, index) => {
    const entry = typeof d === 'string' ? { name: d } : { ...(d ?? {}) };
    const name = typeof entry.name === 'string' ? entry.name.trim() : '';
    const plan = { index, name, type: (entry.type ?? '').trim() || type, label: (entry.label ?? '').trim(), folder: null, error: null, warning: null };
    if (!name) plan.error = 'the name is empty';
    else if ([...name].length > MAX_NAME) plan.error = `the name is ${[...name].length} characters long; a certificate's CN holds at most ${MAX_NAME}`;
    else if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) plan.error = 'the name holds a control character';
    else if (FORMULA_START.test(name)) plan.error = `the name starts with "${name[0]}", which a spreadsheet runs as a formula in manifest.csv and the import file; give the device another name`;
    else if (FLEET_FILES.includes(name.toLowerCase())) plan.error = `the name ${name} is the file that lists the fleet; give the device another name`;
    else if (seen.has(name)) plan.error = 'a repeat of an earlier name (the first one is made)';
    if (plan.error) return plan;
    seen.add(name);
    const warnings = [];
    const nfkc = name.normalize('NFKC');
    if (normalized.has(nfkc)) warnings.push(`looks the same as "${normalized.get(nfkc)}" (they are equal after Unicode NFKC normalization)`);
    else normalized.set(nfkc, name);
    const scripts = scriptsOf(name);
    if (scripts.length > 1) warnings.push(`mixes writing systems (${scripts.join(', ')}): a look-alike of another name?`);
    if (warnings.length) plan.warning = `warning: the name ${warnings.join('; and ')}`;
    plan.folder = uniqueFolder(safeFolder(name), folders);
    return plan;
  });
}

/** Letters, digits, '-', '_' and '.' stay; anything else becomes '_'; no leading '.'; no reserved name. */
export function safeFolder(name) {
  let f = [...name].map((c) => (/^[A-Za-z0-9._-]$/.test(c) ? c : '_')).join('');
  if (f.startsWith('.')) f = `_${f.slice(1)}`;
  if (RESERVED.test(f)) f = `${f}_`;
  if (/[. ]$/.test(f)) f = `${f.slice(0, -1)}_`; // Windows drops a trailing dot
  return f;
}

function uniqueFolder(base, taken) {
  let f = base;
  for (let n = 2; taken.has(f.toLowerCase()); n++) f = `${base}-${n}`;
  taken.add(f.toLowerCase());
  return f;
}

/** Names from a text: one per line (blank and '#' lines skipped), or a CSV with a `name` column (and `type`, `label`). */
export function parseNames(text) {
  const clean = text.replace(/^\uFEFF/, '');
  const rows = parseCsv(clean);
  const header = rows[0]?.map((c) => c.trim().toLowerCase()) ?? [];
  if (header.includes('name')) {
    const col = (n) => header.indexOf(n);
    return rows.slice(1)
      .filter((r) => r.some((c) => c.trim()))
      .map((r) => ({ name: r[col('name')] ?? '', type: col('type') >= 0 ? r[col('type')] ?? '' : '', label: col('label') >= 0 ? r[col('label')] ?? '' : '' }));
  }
  return clean.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((name) => ({ name }));
}

/** `count` names from `pattern`, `{n}` running from 1. */
export function patternNames(count, pattern = 'device-{n}') {
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    throw codedError('the number of devices must be a whole number from 1 to 100000', 'out_of_range', { field: 'count' });
  }
  if (!pattern.includes('{n}')) throw codedError('the name pattern must hold {n} (the device number)', 'invalid', { field: 'namePattern' });
  return Array.from({ length: count }, (_, i) => pattern.replaceAll('{n}', String(i + 1)));
}

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/**
 * One CSV cell (RFC 4180). A cell that would start with a formula character gets a leading `'`
 * (OWASP's CSV-injection guidance): no cell this tool writes starts with = + - @ tab or CR.
 */
const csvField = (v) => {
  let s = v === null || v === undefined ? '' : String(v);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** A cell as this tool wrote it, read back: the `'` put before a formula character taken off. */
export const csvValue = (cell) => (/^'[=+\-@\t\r]/.test(cell ?? '') ? cell.slice(1) : cell ?? '');
const csvLine = (cells) => `${cells.map(csvField).join(',')}\r\n`;

/** The certificate's Base64 on one line: the trimmed form whose SHA3-256 is the credentials id. */
export const base64Line = (pem) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

const hexFingerprint = (colon) => (colon ?? '').replaceAll(':', '').toLowerCase();

/** manifest.csv: every device in input order, made or not. */
export function toManifestCsv(results) {
  const sorted = [...results].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  let out = csvLine(['name', 'type', 'label', 'folder', 'credentials_id', 'sha256', 'not_after', 'serial', 'status', 'error']);
  for (const r of sorted) {
    const b = r.bundle;
    out += csvLine([r.name, r.type ?? '', r.label ?? '', r.folder ?? '', b?.credentialsId ?? '', hexFingerprint(b?.sha256Fingerprint),
      b ? new Date(b.notAfter).toISOString().replace(/\.\d{3}Z$/, 'Z') : '', (b?.serial ?? '').replaceAll(':', ''),
      r.ok ? 'ok' : 'failed', r.ok ? r.warning ?? '' : r.error?.message ?? String(r.error ?? '')]);
  }
  return out;
}

/** thingsboard-devices.csv: the devices made, for ThingsBoard's import (NAME, TYPE, LABEL, X509). */
export function toThingsBoardCsv(results) {
  const sorted = [...results].filter((r) => r.ok).sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  let out = csvLine(['name', 'type', 'label', 'x509']);
  for (const r of sorted) out += csvLine([r.name, r.type ?? 'default', r.label ?? '', base64Line(r.bundle.certificatePem)]);
  return out;
}

/**
 * generateMany over `runOne(options) -> Promise<bundle>` (a pool's job), at most `concurrency`
 * at once. Yields `{ index, name, type, label, folder, ok, bundle | error }` in completion order;
 * names that cannot be made are yielded as failed first. `signal` stops at once: no new device
 * starts, the ones in flight are dropped, what is done was yielded. `release()` ends the pool's
 * workers when the run is over (or abandoned).
 */
export function makeGenerateMany({ runOne, defaultConcurrency, checkOptions, release = () => {} }) {
  return async function* generateMany(devices, options = {}, { concurrency, signal, onProgress, type } = {}) {
    checkOptions(options);
    if ('cn' in options) throw codedError('generateMany takes each device\'s CN from its name; leave cn out', 'invalid', { field: 'cn' });
    if (options.role !== undefined && options.role !== 'client') throw codedError('generateMany makes client (device) credentials', 'invalid', { field: 'role' });
    const plan = planDevices(devices, { type });
    const total = plan.length;
    const started = Date.now();
    let done = 0;
    let failed = 0;
    const progress = () => {
      const elapsedMs = Date.now() - started;
      const remainingMs = done ? Math.round((elapsedMs / done) * (total - done)) : null;
      onProgress?.({ done, total, failed, elapsedMs, remainingMs });
    };
    for (const p of plan.filter((x) => x.error)) {
      done++;
      failed++;
      yield { ...p, ok: false, error: codedError(p.error, 'invalid', { field: 'name' }) };
    }
    progress();
    const queue = plan.filter((x) => !x.error);
    const width = Math.max(1, Math.min(Number(concurrency) || defaultConcurrency(), queue.length || 1));
    const finished = []; // results waiting to be yielded
    let wake = null;
    const running = new Set();
    const launch = () => {
      while (running.size < width && queue.length && !signal?.aborted) {
        const p = queue.shift();
        const job = runOne({ ...options, role: 'client', cn: p.name }).then(
          (bundle) => ({ ...p, error: undefined, ok: true, bundle }),
          (error) => ({ ...p, ok: false, error }),
        ).then((r) => {
          running.delete(job);
          finished.push(r);
          wake?.();
        });
        running.add(job);
      }
    };
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      launch();
      while (running.size || finished.length) {
        if (!finished.length) {
          if (signal?.aborted) break;
          await new Promise((resolve) => { wake = resolve; });
          wake = null;
          continue;
        }
        const r = finished.shift();
        done++;
        if (!r.ok) failed++;
        progress();
        launch();
        yield r;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      release();
    }
  };
}
