// tempus-certgen renew: a device folder's certificate renewed (same subject, names, role, key
// unless --new-key; same issuer) and every file rewritten under the same passwords, the old set
// kept in DIR/previous/; a fleet folder's devices expiring within --within days (or --all), its
// manifest.csv and thingsboard-devices.csv written again.
import fs from 'node:fs';
import path from 'node:path';
import { renewCredentials, inspectCertificate, parseCsv, csvValue, toManifestCsv, toThingsBoardCsv, wipe } from '../../js/node.js';
import { printable } from '../../js/describe.js';
import { UsageError, readInput, deviceFolder } from '../cli/args.js';
import { optionsFor, askCaPassword } from '../cli/options.js';
import { writeFiles, printCertificate } from '../cli/output.js';

/** A device folder's files: its prefix, certificate, key, and old .p12. */
function folderFiles(dir) {
  const file = deviceFolder(dir, 'a folder tempus-certgen wrote for one server or client');
  const { prefix } = file;
  const keyFile = ['.pem', '.nopass.pem'].map(file).find((f) => fs.existsSync(f));
  if (!keyFile) throw new UsageError(`${dir} holds no key (${prefix}.pem or ${prefix}.nopass.pem)`, 'path');
  return { prefix, file, keyFile, certificate: readInput(file('.pub.pem'), 'path'), key: readInput(keyFile, 'path'),
    keystore: fs.existsSync(file('.p12')) ? readInput(file('.p12'), 'path') : undefined };
}

/** Renew one device folder; the old set copied to DIR/previous/ first. */
async function renewFolder(dir, args, issuer) {
  const f = folderFiles(dir);
  const info = await inspectCertificate(f.certificate);
  if (info.role !== 'client' && info.role !== 'server') throw new UsageError(`${dir}: its certificate is a ${info.role}'s; renew servers and clients (make a new CA instead)`, 'path');
  const base = optionsFor(info.role, { ...args, prefix: f.prefix, cn: info.commonName ?? 'renewed' });
  const options = { role: info.role, prefix: f.prefix, key: f.key, certificate: f.certificate, newKey: !!args.newKey };
  for (const k of ['alias', 'storePassword', 'keyPassword', 'serverCertificate', 'serverAlias', 'legacyPkcs12']) if (base[k] !== undefined) options[k] = base[k];
  if (f.keystore) options.keystore = f.keystore;
  if (issuer) options.issuer = issuer;
  if (args.days !== undefined) options.days = args.days;
  const made = await renewCredentials(options);
  const previous = path.join(dir, 'previous');
  fs.rmSync(previous, { recursive: true, force: true });
  fs.mkdirSync(previous);
  for (const name of fs.readdirSync(dir).filter((n) => n.startsWith(`${f.prefix}.`))) fs.copyFileSync(path.join(dir, name), path.join(previous, name));
  const { files } = made;
  await writeFiles(dir, f.prefix, made);
  return { ...made, files, previousId: info.credentialsId };
}

/** A fleet: each ok row's device folder due (within `within` days, or all), then both CSVs again. */
async function renewFleet(dir, args, issuer) {
  const manifest = path.join(dir, 'manifest.csv');
  const rows = parseCsv(fs.readFileSync(manifest, 'utf8').replace(/^\uFEFF/, ''));
  const col = (n) => rows[0].indexOf(n);
  const within = args.within === undefined ? 30 : Number(args.within);
  if (!Number.isInteger(within) || within < 0) throw new UsageError(`must be a whole number of days, got "${printable(args.within, 40)}"`, 'within');
  const results = [];
  let renewed = 0;
  for (const [index, r] of rows.slice(1).entries()) {
    const row = { index, name: csvValue(r[col('name')]), type: csvValue(r[col('type')]), label: csvValue(r[col('label')]), folder: csvValue(r[col('folder')]) };
    if (r[col('status')] !== 'ok') {
      results.push({ ...row, ok: false, error: new Error(csvValue(r[col('error')])) });
      continue;
    }
    const folder = path.join(dir, row.folder);
    const info = await inspectCertificate(fs.readFileSync(path.join(folder, 'mqttclient.pub.pem'), 'utf8'));
    const due = args.all || info.notAfter.getTime() - Date.now() < within * 86_400_000;
    if (due) {
      const made = await renewFolder(folder, args, issuer);
      console.log(`${printable(row.name)}: renewed, valid until ${made.notAfter.toISOString()}, credentials id ${made.credentialsId}`);
      renewed++;
    }
    results.push({ ...row, ok: true, bundle: await inspectCertificate(fs.readFileSync(path.join(folder, 'mqttclient.pub.pem'), 'utf8')) });
  }
  fs.writeFileSync(manifest, toManifestCsv(results));
  fs.writeFileSync(path.join(dir, 'thingsboard-devices.csv'), toThingsBoardCsv(results));
  console.log(`renewed ${renewed} of ${results.filter((x) => x.ok).length} devices in ${dir}${args.all ? '' : ` (those expiring within ${within} days)`}; ` +
    'manifest.csv and thingsboard-devices.csv written again (tempus-certgen provision --manifest sends the new certificates)');
  return 0;
}

export default {
  name: 'renew',
  usage: `  tempus-certgen renew DIR [--days N] [--new-key] [--within DAYS | --all] [--ca-cert FILE --ca-key FILE ...]
                      [--store-password-file F] [--key-password-file F] [--server-cert FILE]`,
  groups: ['renew', 'days', 'store', 'keyPassword', 'trust', 'ca', 'help'],
  extra: ['--within'],
  fieldFlags: { certificate: 'DIR', key: 'DIR' },
  async run(args) {
    const dir = args.positional[1];
    if (!dir) throw new UsageError('renew needs DIR: a folder tempus-certgen wrote (client, server, assemble) or a fleet folder of bulk', 'path');
    if (args.all && args.within !== undefined) throw new UsageError('give --within DAYS or --all, not both', 'within');
    const { issuer } = optionsFor('client', { ...args, san: [] });
    await askCaPassword(issuer, args);
    if (fs.existsSync(path.join(dir, 'manifest.csv'))) return renewFleet(dir, args, issuer);
    if (args.all || args.within !== undefined) throw new UsageError('--within and --all are for a fleet folder (one with manifest.csv)', 'within');
    const made = await renewFolder(dir, args, issuer);
    printCertificate(made);
    console.log(`renewed: credentials id ${made.previousId} -> ${made.credentialsId}${made.newKey ? ' (a new key)' : ' (the same key)'}; the previous files are in ${path.join(dir, 'previous')}`);
    if (made.role === 'server') {
      console.log(`Clients that trust this server's certificate directly must get the new ${made.prefix}.pub.pem: a client .jks or .p12 made with ` +
        `--server-cert (renew it with --server-cert ${path.join(dir, `${made.prefix}.pub.pem`)}), mosquitto clients with --cafile, paho with ca_certs.`);
    } else {
      console.log(`The platform: put ${made.prefix}.pub.pem in Device Credentials (or tempus-certgen provision); under chain provisioning the device updates its own credentials when it first connects.`);
    }
    wipe(made);
    return 0;
  },
};
