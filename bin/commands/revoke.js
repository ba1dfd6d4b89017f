// tempus-certgen revoke: the device CA's CRL with the certificates it takes back (files, device
// folders, serials), keeping what the CRL held; with nothing to revoke, the same CRL signed
// again with a fresh nextUpdate (run it from cron before then).
import fs from 'node:fs';
import path from 'node:path';
import { revokeCertificates, deprovisionDevices } from '../../js/node.js';
import { login, timeoutOf } from '../cli/login.js';
import { printable } from '../../js/describe.js';
import { UsageError, readInput } from '../cli/args.js';
import { readIssuer, askCaPassword } from '../cli/options.js';
import { writeFiles } from '../cli/output.js';

/** What the platform does not do with a CRL, said every time. */
export const PLATFORM_NOTE = 'note: Tempus and ThingsBoard are given no CRL. A device provisioned by "X509 Certificates Chain" is still let in ' +
  '(and its credentials updated) by any certificate the profile\'s CA signed, revoked or not: shut it out by deleting the device with ' +
  '"create new devices" off, or by moving the profile to a new CA (README, "When a device is lost"). Brokers of your own (mosquitto ' +
  'crlfile, Java PKIX) honour this CRL.';

/** The certificate files the arguments name: files, or the `*.pub.pem` files of a device folder. */
function certificateFiles(args) {
  const files = [];
  for (const p of args.positional.slice(1)) {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${e.message}`, 'certificate');
    }
    if (!stat.isDirectory()) {
      files.push(p);
      continue;
    }
    const found = fs.readdirSync(p).filter((f) => f.endsWith('.pub.pem')).map((f) => path.join(p, f));
    if (!found.length) throw new UsageError(`${p} holds no certificate (*.pub.pem): give a device folder tempus-certgen wrote, or the certificate file`, 'certificate');
    files.push(...found);
  }
  return files;
}

/** Where the CRL goes: --crl, or <CA file prefix>.crl.pem beside --ca-cert; the DER beside it. */
function crlPaths(args) {
  const pem = path.resolve(args.crl ?? path.join(path.dirname(args.caCert), `${path.basename(args.caCert).replace(/(\.pub)?\.(pem|crt|cer|der)$/i, '')}.crl.pem`));
  return { pem, der: pem.endsWith('.pem') ? pem.slice(0, -4) : `${pem}.der` };
}

/** revoke --deprovision: each revoked certificate's device given a fresh access token, reported. */
async function deprovision(args, certificates, timeout) {
  if (args.serial.length) console.log('serials given alone are not deprovisioned: give the certificate files to find their devices by');
  if (!certificates.length) return 0;
  const { token, password } = await login(args);
  const r = await deprovisionDevices(certificates, {
    baseUrl: args.url, token, username: args.username, password, authHeader: args.authHeader ?? 'both', allowInsecureHttp: !!args.allowHttp, timeout,
  });
  for (const d of r.results) {
    const what = d.status === 'failed' ? `FAILED: ${printable(d.error?.message)}` : `${d.status}: ${d.reason}`;
    console.log(`${printable(d.name ?? '(unreadable)', 100)}: ${what}`);
  }
  console.log(`${r.deprovisioned} deprovisioned, ${r.skipped} left as they were, ${r.failed} failed, of ${r.results.length} devices`);
  return r.failed ? 1 : 0;
}

export default {
  name: 'revoke',
  usage: `  tempus-certgen revoke [CERT|DEVICE_DIR ...] [--serial HEX ...] --ca-cert FILE --ca-key FILE [--ca-password-file F]
                      [--crl FILE] [--reason keyCompromise|cessationOfOperation|superseded|affiliationChanged|unspecified] [--crl-days N]`,
  groups: ['revoke', 'ca', 'login', 'help'],
  extra: ['--crl'],
  fieldFlags: { days: '--crl-days', serials: '--serial', crl: '--crl', reason: '--reason' },
  async run(args) {
    if (args.deprovision && !args.url) throw new UsageError('--deprovision needs --url URL (the platform) and a login (as provision takes it)', 'baseUrl');
    if (!args.deprovision && args.url) throw new UsageError('--url goes with --deprovision', 'baseUrl');
    const timeout = timeoutOf(args);
    const issuer = readIssuer(args);
    if (!issuer) throw new UsageError('--ca-cert FILE and --ca-key FILE are required (the device CA whose CRL it is)', 'issuer.certificate');
    const files = certificateFiles(args);
    const certificates = files.map((f) => readInput(f, 'certificate'));
    const where = crlPaths(args);
    const options = { serials: args.serial, reason: args.reason ?? 'unspecified' };
    if (args.crlDays !== undefined) {
      const days = Number(args.crlDays);
      if (!Number.isInteger(days)) throw new UsageError(`must be a whole number of days, got "${printable(args.crlDays, 40)}"`, 'days');
      options.days = days;
    }
    // A CRL there already is read first (its entries kept); none: a new one is started there.
    if (fs.existsSync(where.pem)) options.crl = readInput(where.pem, 'crl');
    await askCaPassword(issuer, args);
    const r = await revokeCertificates(issuer, certificates, options);
    const enc = new TextEncoder();
    const made = { files: [
      { name: path.basename(where.pem), bytes: enc.encode(r.crlPem), secret: false },
      { name: path.basename(where.der), bytes: r.crlDer, secret: false },
    ] };
    if (path.dirname(where.pem) !== path.dirname(where.der)) throw new UsageError('the CRL\'s PEM and DER go in one folder', 'crl');
    await writeFiles(path.dirname(where.pem), 'crl', made);
    for (const s of r.revoked) console.log(`revoked: serial ${s}`);
    if (!r.revoked.length) console.log(certificates.length || args.serial.length ? 'nothing new: every certificate given was revoked already' : 'no certificate given: the same entries, signed again');
    console.log(`CRL number ${r.crlNumber}, ${r.entries} revoked in all, next update ${r.nextUpdate.toISOString()} (renew it before then: tempus-certgen revoke with the CA options alone)`);
    console.log(PLATFORM_NOTE);
    return args.deprovision ? deprovision(args, certificates, timeout) : 0;
  },
};
