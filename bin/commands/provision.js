// tempus-certgen provision: a device's X.509 credentials set over the platform's REST API, or
// (--manifest) every device of a bulk run, found or created by name.
import fs from 'node:fs';
import path from 'node:path';
import { provisionDevice, provisionMany, parseCsv, csvValue, inspectCertificate } from '../../js/node.js';
import { printable } from '../../js/describe.js';
import { UsageError, readCertificateFile } from '../cli/args.js';
import { FLAG_OF } from '../cli/flags.js';
import { login, timeoutOf } from '../cli/login.js';

/** A row's certificate, or why that row is refused: its folder must be inside the manifest's (links
 *  resolved) and its certificate's CN the row's name. */
async function rowCertificate(dir, row) {
  let file;
  try {
    file = fs.realpathSync(path.join(dir, row.folder, 'mqttclient.pub.pem'));
  } catch (e) {
    return { error: `cannot read ${path.join(dir, row.folder, 'mqttclient.pub.pem')}: ${e.message}` };
  }
  if (!file.startsWith(dir + path.sep)) return { error: `its folder "${row.folder}" is outside the manifest's folder ${dir}; nothing was sent for it` };
  const certificatePem = fs.readFileSync(file, 'utf8');
  let info;
  try {
    info = await inspectCertificate(certificatePem);
  } catch (e) {
    return { error: `${file}: ${e.message}` };
  }
  if (info.commonName !== row.name) {
    return { error: `the certificate in "${row.folder}" is for ${info.commonName ?? 'no CN'}, not for ${row.name}; nothing was sent for it` };
  }
  return { certificatePem };
}

/** The rows of a bulk run's manifest whose status is ok: `{ devices }` to send, `refused` rows with why. */
async function manifestRows(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e.message}`, 'manifest');
  }
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows[0] ?? [];
  const col = (n) => header.indexOf(n);
  if (col('name') < 0 || col('folder') < 0 || col('status') < 0) throw new UsageError(`${file} is not a manifest.csv of tempus-certgen bulk`, 'manifest');
  const dir = fs.realpathSync(path.dirname(path.resolve(file)));
  const devices = [];
  const refused = [];
  for (const r of rows.slice(1).filter((x) => x[col('status')] === 'ok')) {
    const row = { name: csvValue(r[col('name')]), folder: csvValue(r[col('folder')]), type: col('type') >= 0 ? csvValue(r[col('type')]) : '' };
    const { certificatePem, error } = await rowCertificate(dir, row);
    if (error) refused.push({ name: row.name, error });
    else devices.push({ name: row.name, type: row.type, certificatePem });
  }
  return { devices, refused };
}

async function provisionManifest(args, { token, password }) {
  if (args.deviceId || args.cert) throw new UsageError('--manifest replaces --device-id and --cert', 'manifest');
  const { devices, refused } = await manifestRows(args.manifest);
  for (const r of refused) console.log(`${printable(r.name)}: FAILED: ${printable(r.error)}`);
  const summary = await provisionMany(devices, {
    baseUrl: args.url, token, username: args.username, password, create: !!args.create, type: args.type,
    authHeader: args.authHeader ?? 'both', allowInsecureHttp: !!args.allowHttp, timeout: timeoutOf(args),
    onProgress: ({ last }) => {
      const what = { provisioned: `provisioned${last.created ? ' (created)' : ''}`, renewed: 'renewed (its previous certificate replaced)', skipped: 'already set, skipped', failed: `FAILED: ${printable(last.error?.message)}` }[last.status];
      console.log(`${printable(last.name)}: ${what}`);
    },
  });
  const failed = summary.failed + refused.length;
  console.log(`${summary.provisioned} provisioned, ${summary.renewed ? `${summary.renewed} renewed, ` : ''}${summary.skipped} already set, ${failed} failed, of ${devices.length + refused.length} devices`);
  return failed ? 1 : 0;
}

export default {
  name: 'provision',
  usage: `  tempus-certgen provision --url URL --device-id ID --cert FILE (--token-file F | --username U [--password-file F])
  tempus-certgen provision --manifest DIR/manifest.csv --url URL (--token-file F | --username U ...) [--create] [--type T]`,
  groups: ['login', 'provision', 'help'],
  extra: ['--cert', '--type'],
  async run(args) {
    const missing = (args.manifest ? ['url'] : ['url', 'deviceId', 'cert']).filter((k) => !args[k]);
    if (missing.length) throw new UsageError(`provision needs ${missing.map((k) => FLAG_OF[k]).join(', ')}`, missing[0] === 'url' ? 'baseUrl' : missing[0]);
    timeoutOf(args);
    const secrets = await login(args);
    if (args.manifest) return provisionManifest(args, secrets);
    if (args.create || args.type) throw new UsageError('--create and --type go with --manifest', args.create ? 'create' : 'type');
    const certificatePem = readCertificateFile(args.cert, 'certificatePem');
    const r = await provisionDevice({
      baseUrl: args.url, deviceId: args.deviceId, certificatePem, token: secrets.token,
      username: args.username, password: secrets.password, authHeader: args.authHeader ?? 'both', allowInsecureHttp: !!args.allowHttp,
      timeout: timeoutOf(args),
    });
    console.log(`Device ${args.deviceId} now logs in with the X.509 certificate.`);
    console.log(`credentials id: ${r.credentialsId} (confirmed by the server)`);
    return 0;
  },
};
