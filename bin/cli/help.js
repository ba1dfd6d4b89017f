// --help: every command's usage and the flags by group (tempus-certgen --help), or one command's
// (tempus-certgen COMMAND --help), built from the commands and the flag table.
import { GROUPS, flagHelp } from './flags.js';

const ABOUT = `Generates the files of the Tempus keytool recipe: P.jks, P.p12, P.pub.pem, P.cer,
P.nopass.pem (and P.pem for a client), where P is the file prefix. A device CA (ca) gets
P.pub.pem, P.cer, P.key.pem (its key, encrypted with the key password) and P.p12; its
defaults: CN "Tempus Device CA", prefix deviceca, alias caalias, no default password (the key
password is required: CA_KEY_PASSWORD, --key-password-file, or asked for at a terminal; the
keystore password, CA_KEYSTORE_PASSWORD, defaults to it).

Certificate requests, for a key that never leaves the device: csr writes P.key.pem (the key,
encrypted with the key password) and P.csr (PKCS#10); the CA runs sign on the request (its
signature is checked; only its subject, key and, for a server, its names are used) and returns
P.pub.pem and P.chain.pem; assemble then writes the role's files around the key and that
certificate (--chain: the certificates above it, issuing CA first). Default prefix: the role's.

Many devices (bulk): DIR/<name>/ holds each device's client files (CN = its name), DIR/manifest.csv
lists every device (name,type,label,folder,credentials_id,sha256,not_after,serial,status,error) and
DIR/thingsboard-devices.csv (name,type,label,x509) is ready for ThingsBoard's device import. --names
FILE: one name per line ('#' lines skipped), or a CSV with a name column (type, label too). Running
again into DIR makes only what is missing (--force: everything again); a run with other options
is refused. Exit 0 all made, 1 some failed, 2 usage.

provision sets the device's credentials to the certificate over Tempus' REST API (reads the
credentials record, posts it back with type X509_CERTIFICATE, checks the server's id).`;

const TITLES = {
  output: 'Output', name: 'The subject (an option not given falls back to the recipe\'s environment variable, then its default)',
  days: 'Validity', key: 'The key', prefix: 'Files', store: 'Key stores', keyPassword: 'The key password', san: 'Names',
  trust: 'Client', pathLen: 'Device CA', ca: 'Signing with a device CA (server, client; without these the certificate is self-signed)',
  role: 'Role', request: 'Requests (csr, sign, assemble)', bulk: 'Many devices', json: 'Output format',
  login: 'The platform (provision; to log in, safest first)', provision: 'Provisioning', help: 'Help',
  revoke: 'Revocation (revoke)', expiry: 'Expiry (expiry) and the CRL', renew: 'Renewal (renew)', device: 'Files for the device (device-code)',
  connect: 'Does the device get in? (connect: --url mqtts://HOST[:PORT], 8883 by default; --ca the broker\'s CA; --timeout S a stage, 10)',
};

const FOOTER = `The .p12 protects its key with the keystore password (PKCS#12 tools use one password).
Exit codes: 0 done, 2 bad input or usage (nothing written), 1 other failures.`;

function options(groups, seen, extra = []) {
  const parts = [];
  for (const g of groups) {
    const text = flagHelp([g], seen);
    if (text) parts.push(`${TITLES[g]}:\n${text}`);
  }
  const more = extra.map((f) => Object.values(GROUPS).flat().find((x) => x.flag === f)).filter((f) => f && f.help[0] && !seen.has(f.flag));
  if (more.length) parts.push(`Also:\n${more.map((f) => `  ${`${f.flag} ${f.value ?? ''}`.padEnd(23)} ${f.help[0]}`).join('\n')}`);
  return parts.join('\n\n');
}

/** The whole help: every usage, what the tool makes, every flag once. */
export function help(commands) {
  const seen = new Set();
  const used = new Set(commands.flatMap((c) => c.groups));
  const groups = Object.keys(GROUPS).filter((g) => used.has(g));
  return `Usage:\n${commands.map((c) => c.usage).join('\n')}\n\n${ABOUT}\n\n${options(groups, seen)}\n\n${FOOTER}`;
}

/** One command's help: its usage and its flags. */
export function commandHelp(command) {
  return `Usage:\n${command.usage}\n\n${options(command.groups, new Set(), command.extra)}\n\n${FOOTER}`;
}
