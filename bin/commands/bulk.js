// tempus-certgen bulk: many devices' client files, one folder each, with manifest.csv and
// thingsboard-devices.csv; resumable (complete folders are kept), every core busy.
import fs from 'node:fs';
import path from 'node:path';
import {
  validateOptions, inspectCertificate, generateMany, toManifestCsv, toThingsBoardCsv, parseNames, patternNames, planDevices,
  credentialsId, wipe,
} from '../../js/node.js';
import { printable } from '../../js/describe.js';
import { UsageError, requireOut } from '../cli/args.js';
import { optionsFor, askCaPassword, defaultPasswordNote } from '../cli/options.js';
import { SUFFIXES, DEVICE_TMP, writeDeviceFolder, writeDeviceCode } from '../cli/output.js';
import { deviceFiles, parseBrokerUrl, KINDS } from '../../js/device-code.js';
import { bulkProgress } from '../cli/progress.js';

const RECORD = '.tempus-certgen-bulk.json';

/** The devices to make: from --names FILE, or --count N with --name-pattern. */
function readDevices(args) {
  if ((args.names === undefined) === (args.count === undefined)) throw new UsageError('give --names FILE or --count N (one of them)', 'names');
  if (args.namePattern !== undefined && args.count === undefined) throw new UsageError('--name-pattern goes with --count', 'namePattern');
  if (args.count !== undefined) {
    try {
      return patternNames(Number(args.count), args.namePattern ?? 'device-{n}');
    } catch (e) {
      throw new UsageError(e.message, e.field === 'count' ? 'count' : 'namePattern');
    }
  }
  let text;
  try {
    text = fs.readFileSync(args.names, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${args.names}: ${e.message}`, 'names');
  }
  const devices = parseNames(text);
  if (!devices.length) throw new UsageError(`${args.names} holds no names`, 'names');
  return devices;
}

/** The options every device of the fleet is made with, recorded in the folder: a later run with others is refused. */
async function keepRecord(out, options, force) {
  const record = {
    keyType: options.keyType ?? 'rsa', keySize: options.keyType === 'ec-p256' ? null : Number(options.keySize ?? 2048),
    ou: options.ou ?? null, o: options.o ?? null, l: options.l ?? null, st: options.st ?? null, c: options.c ?? null,
    days: options.days === undefined ? null : Number(options.days),
    ca: options.issuer ? await credentialsId(options.issuer.certificate) : null,
  };
  const recordPath = path.join(out, RECORD);
  if (fs.existsSync(recordPath) && !force) {
    const before = JSON.parse(fs.readFileSync(recordPath, 'utf8'));
    const differs = Object.keys(record).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(record[k]));
    if (differs.length) {
      throw new UsageError(`the devices in ${out} were made with other options (${differs.join(', ')} differ); ` +
        'give the same ones to complete that fleet, another --out for a new one, or --force to make them all again', 'out');
    }
  }
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  // Hidden folders a killed run left behind: never complete, so never used.
  for (const f of fs.readdirSync(out)) if (f.startsWith(DEVICE_TMP)) fs.rmSync(path.join(out, f), { recursive: true, force: true });
}

/** --device-code KIND (with --url, --ca): a device's bundle -> its files for the device; null without it. */
function deviceCodeMaker(args) {
  if (args.deviceCode === undefined) {
    if (args.url !== undefined || args.ca !== undefined) throw new UsageError('--url and --ca go with --device-code', 'url');
    return null;
  }
  if (args.deviceCode !== 'all' && !KINDS.includes(args.deviceCode)) throw new UsageError(`must be ${KINDS.join(', ')} or all, got "${printable(args.deviceCode, 40)}"`, 'deviceCode');
  if (!args.url) throw new UsageError('--device-code needs --url mqtts://HOST[:PORT] (the broker the devices log in to)', 'url');
  const caPem = args.ca === undefined ? null : fs.readFileSync(args.ca, 'utf8');
  try {
    parseBrokerUrl(args.url);
  } catch (e) {
    throw new UsageError(e.message, 'url');
  }
  const kinds = args.deviceCode === 'all' ? KINDS : [args.deviceCode];
  const text = (bundle, suffix) => new TextDecoder().decode(bundle.files.find((f) => f.name.endsWith(suffix))?.bytes ?? new Uint8Array());
  return (bundle, name) => deviceFiles({ certificatePem: text(bundle, '.chain.pem') || bundle.certificatePem, keyPem: text(bundle, '.nopass.pem'), caPem, url: args.url,
    clientId: name, kinds });
}

/** Whether a device folder holds every file a client run writes. */
function complete(dir, withChain) {
  const names = [...SUFFIXES.client, ...(withChain ? ['.chain.pem'] : [])].map((s) => `mqttclient${s}`);
  return names.every((n) => fs.existsSync(path.join(dir, n)));
}

/** Each planned device: refused, kept (a complete folder), or to make. */
async function sortPlan(plan, out, withChain, force) {
  const results = [];
  const toMake = [];
  for (const p of plan) {
    const dir = path.join(out, p.folder ?? '');
    if (p.error) results.push({ ...p, ok: false, error: new Error(p.error) });
    else if (!fs.existsSync(dir) || force) toMake.push(p);
    else if (complete(dir, withChain)) {
      const info = await inspectCertificate(fs.readFileSync(path.join(dir, 'mqttclient.pub.pem'), 'utf8'));
      results.push({ ...p, ok: true, kept: true, bundle: info });
    } else {
      results.push({ ...p, ok: false, error: new Error(`${dir} exists but is not a complete device folder; remove it, or use --force`) });
    }
  }
  return { results, toMake };
}

function report(results, made, kept, plan, out) {
  const failed = results.filter((r) => !r.ok);
  console.log(`made ${made}, kept ${kept}, failed ${failed.length} of ${plan.length} devices in ${out}`);
  for (const r of failed) console.log(`failed: ${r.name ? printable(r.name) : '(empty name)'}: ${printable(r.error.message)}`);
  for (const r of results.filter((x) => x.ok && x.warning)) console.log(`${printable(r.name)}: ${printable(r.warning)}`);
  console.log(`wrote ${path.join(out, 'manifest.csv')} and ${path.join(out, 'thingsboard-devices.csv')} ` +
    '(ThingsBoard: Devices -> + -> Import device, columns NAME, TYPE, LABEL, X509; Tempus: tempus-certgen provision --manifest)');
  console.log('Each device folder holds mqttclient.nopass.pem, its private key without a password: hand each folder to its device only.');
  return failed.length ? 1 : 0;
}

export default {
  name: 'bulk',
  usage: `  tempus-certgen bulk --out DIR (--names FILE | --count N [--name-pattern device-{n}]) [--type TYPE] [--jobs N]
                      [client options, --ca-cert/--ca-key/--ca-password-file]`,
  groups: ['output', 'bulk', 'name', 'days', 'key', 'prefix', 'store', 'keyPassword', 'san', 'trust', 'role', 'ca', 'device', 'help'],
  extra: ['--url'],
  async run(args) {
    requireOut(args, 'the folder of the fleet');
    for (const f of ['cn', 'prefix', 'role']) {
      if (args[f] !== undefined) throw new UsageError('is not for bulk: each device\'s CN is its name, and its files are mqttclient.*', f);
    }
    const devices = readDevices(args);
    const code = deviceCodeMaker(args);
    const jobs = args.jobs === undefined ? undefined : Number(args.jobs);
    if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 256)) throw new UsageError('must be a whole number from 1 to 256', 'jobs');
    const options = optionsFor('client', { ...args, cn: 'device' });
    delete options.cn;
    delete options.prefix;
    await askCaPassword(options.issuer, args);
    // Bad options (and a bad CA) fail here, before anything is written.
    await validateOptions({ ...options, cn: 'device-1' });
    const out = path.resolve(args.out);
    await keepRecord(out, options, args.force);

    const plan = planDevices(devices, { type: args.type ?? 'default' });
    const { results, toMake } = await sortPlan(plan, out, !!options.issuer, args.force);
    const kept = results.filter((r) => r.kept).length;
    process.stderr.write(`${plan.length} devices: ${kept} already made, ${toMake.length} to make, ${plan.length - kept - toMake.length} refused\n`);
    const byName = new Map(toMake.map((p) => [p.name, p]));
    const progress = bulkProgress(process.stderr);
    let made = 0;
    const list = toMake.map((p) => ({ name: p.name, type: p.type, label: p.label }));
    for await (const r of list.length ? generateMany(list, options, { concurrency: jobs, onProgress: progress.update }) : []) {
      const p = byName.get(r.name);
      if (!r.ok) {
        results.push({ ...p, ok: false, error: r.error });
        continue;
      }
      await writeDeviceFolder(out, p.folder, r.bundle, args.force);
      if (code) writeDeviceCode(path.join(out, p.folder, 'device'), code(r.bundle, p.name), true);
      made++;
      results.push({ ...p, ok: true, bundle: r.bundle });
      wipe(r.bundle);
    }
    if (list.length) progress.end();
    fs.writeFileSync(path.join(out, 'manifest.csv'), toManifestCsv(results));
    fs.writeFileSync(path.join(out, 'thingsboard-devices.csv'), toThingsBoardCsv(results));
    const note = defaultPasswordNote('client', options);
    if (note) console.log(note);
    return report(results, made, kept, plan, out);
  },
};
