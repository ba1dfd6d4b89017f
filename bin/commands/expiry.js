// tempus-certgen expiry: every certificate under the paths given (certificate files and chains,
// device folders, fleet folders and their manifest.csv, CA folders), soonest first, with its
// status; exit 1 when any is expired, expiring or revoked, so that cron or CI can alert on it.
import fs from 'node:fs';
import path from 'node:path';
import { checkExpiry, parseCsv, csvValue } from '../../js/node.js';
import { printable } from '../../js/describe.js';
import { UsageError, readInput } from '../cli/args.js';

/** A manifest's devices: `{ certificate, name, path }` for each row whose status is ok. */
function manifestItems(file) {
  const rows = parseCsv(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const header = rows[0] ?? [];
  const col = (n) => header.indexOf(n);
  if (col('name') < 0 || col('folder') < 0) throw new UsageError(`${file} is not a manifest.csv of tempus-certgen bulk`, 'path');
  const dir = path.dirname(file);
  return rows.slice(1).filter((r) => r[col('status')] === 'ok').map((r) => {
    const pem = path.join(dir, csvValue(r[col('folder')]), 'mqttclient.pub.pem');
    return { certificate: readText(pem), name: csvValue(r[col('name')]), path: pem };
  });
}

const readText = (file) => {
  const bytes = readInput(file, 'path');
  const text = Buffer.from(bytes).toString('utf8');
  return text.includes('-----BEGIN') ? text : bytes;
};

/** What a path holds, as checkExpiry takes it. */
function itemsOf(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    throw new UsageError(`cannot read ${p}: ${e.message}`, 'path');
  }
  if (stat.isDirectory()) {
    if (fs.existsSync(path.join(p, 'manifest.csv'))) return manifestItems(path.join(p, 'manifest.csv'));
    const files = fs.readdirSync(p).filter((f) => f.endsWith('.pub.pem')).sort();
    if (!files.length) throw new UsageError(`${p} holds no certificate (*.pub.pem) and no manifest.csv`, 'path');
    return files.map((f) => ({ certificate: readText(path.join(p, f)), path: path.join(p, f) }));
  }
  if (p.endsWith('.csv')) return manifestItems(p);
  return [{ certificate: readText(p), path: p }];
}

const date = (d) => d.toISOString().slice(0, 10);

export default {
  name: 'expiry',
  usage: '  tempus-certgen expiry PATH... [--within DAYS] [--crl FILE] [--json]',
  groups: ['expiry', 'json', 'help'],
  fieldFlags: { within: '--within', crl: '--crl', path: 'PATH' },
  async run(args) {
    const paths = args.positional.slice(1);
    if (!paths.length) throw new UsageError('expiry needs a PATH: certificate files, device or fleet folders, manifest.csv files, CA folders', 'path');
    const items = paths.flatMap(itemsOf);
    const options = {};
    if (args.within !== undefined) {
      const within = Number(args.within);
      if (!Number.isInteger(within) || within < 0 || within > 36500) throw new UsageError(`must be a whole number of days, got "${printable(args.within, 40)}"`, 'within');
      options.within = within;
    }
    if (args.crl !== undefined) options.crl = readInput(args.crl, 'crl');
    const report = await checkExpiry(items, options);
    const alert = report.some((r) => r.status !== 'ok') || (report.crl && report.crl.status !== 'ok');
    if (args.json) {
      console.log(JSON.stringify(report.map(({ name, cn, role, serial, credentialsId, notAfter, daysLeft, status, path: p }) => (
        { name, cn, role, serial, credentialsId, notAfter: notAfter.toISOString(), daysLeft, status, path: p })), null, 2));
      return alert ? 1 : 0;
    }
    const rows = report.map((r) => [r.status.toUpperCase(), String(r.daysLeft), date(r.notAfter), printable(r.name, 64), r.role, r.serial,
      printable(r.issuer, 80), r.credentialsId, r.path ? printable(r.path, 200) : '']);
    const head = ['STATUS', 'DAYS', 'NOT AFTER', 'NAME', 'ROLE', 'SERIAL', 'ISSUER', 'CREDENTIALS ID', 'PATH'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const r of [head, ...rows]) console.log(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
    if (report.crl) {
      const c = report.crl;
      console.log(`CRL of ${printable(c.issuer, 80)} (number ${c.crlNumber ?? '-'}): next update ${c.nextUpdate ? date(c.nextUpdate) : 'none'}` +
        `${c.daysLeft === null ? '' : `, ${c.daysLeft} days left`}: ${c.status.toUpperCase()}` +
        (c.status === 'ok' ? '' : ' (renew it: tempus-certgen revoke with the CA options alone; past it, OpenSSL and mosquitto refuse every device)'));
    }
    const count = (s) => report.filter((r) => r.status === s).length;
    console.log(`${report.length} certificates: ${count('expired')} expired, ${count('expiring')} expiring, ${count('revoked')} revoked, ${count('ok')} ok`);
    return alert ? 1 : 0;
  },
};
