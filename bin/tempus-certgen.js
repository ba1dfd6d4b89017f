#!/usr/bin/env node
// tempus-certgen: the recipe's files from the command line, made by the same wasm module as the
// page. Exit codes: 0 done, 2 bad input or usage (nothing written), 1 anything else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  validateOptions, inspectCertificate, inspectRequest, provisionDevice, wipe, recipeDefaults, signRequest, assembleCredentials,
  REQUEST_OPTION_NAMES, ASSEMBLE_OPTION_NAMES, generateMany, toManifestCsv, toThingsBoardCsv, parseNames, patternNames,
  planDevices, credentialsId, provisionMany, parseCsv,
} from '../js/node.js';
import { isEcKey } from '../js/api.js';

const USAGE = `Usage:
  tempus-certgen server --out DIR [options]
  tempus-certgen client --out DIR [--server-cert FILE] [options]
  tempus-certgen server|client --out DIR --ca-cert FILE --ca-key FILE [--ca-password-file F] [options]
  tempus-certgen ca --out DIR --key-password-file F [--path-len N|none] [options]
  tempus-certgen csr --out DIR [--cn ... --key-type --key-size --san --prefix --key-password-file F]
  tempus-certgen sign FILE --ca-cert FILE --ca-key FILE [--ca-password-file F] --out DIR [--role client|server]
                      [--days N] [--san NAME] [--prefix P]
  tempus-certgen assemble --key FILE [--key-password-file F] --cert FILE [--chain FILE] --out DIR
                      [--role client|server] [--prefix --alias --store-password-file --server-cert --legacy-p12]
  tempus-certgen bulk --out DIR (--names FILE | --count N [--name-pattern device-{n}]) [--type TYPE] [--jobs N]
                      [client options, --ca-cert/--ca-key/--ca-password-file]
  tempus-certgen inspect FILE [--json]
  tempus-certgen provision --url URL --device-id ID --cert FILE (--token-file F | --username U [--password-file F])
  tempus-certgen provision --manifest DIR/manifest.csv --url URL (--token-file F | --username U ...) [--create] [--type T]

Generates the files of the Tempus keytool recipe: P.jks, P.p12, P.pub.pem, P.cer,
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
lists every device (name,type,label,folder,credentials_id,sha256,not_after,status,error) and
DIR/thingsboard-devices.csv (name,type,label,x509) is ready for ThingsBoard's device import. --names
FILE: one name per line ('#' lines skipped), or a CSV with a name column (type, label too). Running
again into DIR makes only what is missing (--force: everything again); a run with other options
is refused. Exit 0 all made, 1 some failed, 2 usage.

Options (an option not given falls back to the recipe's environment variable, then its default):
  --out DIR               folder to write to (created when missing)       required
  --cn NAME               common name              DOMAIN_SUFFIX            (host name)
  --ou TEXT               organizational unit      ORGANIZATIONAL_UNIT      Tempus
  --o TEXT                organization             ORGANIZATION             Tempus
  --l TEXT                city or locality         CITY                     Roswell
  --st TEXT               state or province        STATE_OR_PROVINCE        GA
  --c CC                  two-letter country code  TWO_LETTER_COUNTRY_CODE  US
  --days N                validity in days (1-36500)                        9999
  --key-type TYPE         rsa or ec-p256 (NIST P-256, SHA256withECDSA)      rsa
  --key-size BITS         RSA only: 2048, 3072 or 4096                      2048
  --alias NAME            key alias        SERVER_KEY_ALIAS / CLIENT_KEY_ALIAS   serveralias / clientalias
  --prefix NAME           file prefix      SERVER_FILE_PREFIX / CLIENT_FILE_PREFIX   mqttserver / mqttclient
  --store-password-file F keystore password, the first line of F
                          (or SERVER_KEYSTORE_PASSWORD / CLIENT_KEYSTORE_PASSWORD; --store-password PW works
                          too, but every local user can read a command line in ps, and it stays in your history)
  --key-password-file F   key password, the first line of F  (or SERVER_KEY_PASSWORD / CLIENT_KEY_PASSWORD;
                          or --key-password PW)
                          The recipe's default passwords are public: set your own. A .jks password withstands
                          far fewer guesses than a .p12 one (one SHA-1 per guess), so make it long and random.
  --san NAME              extra subject alternative name (repeatable; dns: / ip: force the type)
  --server-cert FILE      client: the server certificate (PEM or DER) its keystores trust
  --server-alias NAME     client: alias of that trusted entry   SERVER_KEY_ALIAS   serveralias
  --legacy-p12            write the .p12 with 3DES / SHA-1 (Java 8, Windows)
  --path-len N|none       ca: how many CAs may sit below it (basicConstraints pathLen)       0
  Signing with a device CA (server, client; without these the certificate is self-signed):
  --ca-cert FILE          the CA certificate (PEM or DER), e.g. deviceca.pub.pem
  --ca-key FILE           its private key: deviceca.key.pem or deviceca.p12, or a key from another tool
                          (PKCS#8, PKCS#1 RSA, SEC1 EC; PEM or DER; encrypted or not)
  --ca-password-file F    that key file's password, the first line of F (or CA_KEY_PASSWORD; or
                          --ca-password PW; asked for at a terminal when the file is encrypted)
                          Adds P.chain.pem (the leaf, then the CA); .nopass.pem, .pem, .jks and .p12 carry
                          the chain; .pub.pem and .cer stay the leaf (Device Credentials take the leaf).
  --force                 overwrite existing files
  --json                  inspect: print JSON
  provision: sets the device's credentials to the certificate over Tempus' REST API (reads the
  credentials record, posts it back with type X509_CERTIFICATE, checks the server's id):
  --url URL --device-id ID --cert FILE, and to log in, safest first:
    --token-file F          a JWT, the first line of F (or TEMPUS_TOKEN; or --token T)
    --username U            with --password-file F (or TEMPUS_PASSWORD; or --password P); without a
                            password, asked for at the terminal without echo
  --manifest FILE         provision every device of a bulk run's manifest.csv whose status is ok: found by
                          name, created when missing with --create (type from the manifest, else --type),
                          then given its certificate; devices already set are skipped; exit 1 if any failed
  --auth-header both|x-authorization|authorization (default both)
  --allow-http            allow a plain http:// URL to another machine (the password and token would
                          cross the network readable; https:// is required otherwise, except for
                          localhost, 127.0.0.0/8 and ::1). Redirects are never followed.
  --help                  this text

The .p12 protects its key with the keystore password (PKCS#12 tools use one password).
Exit codes: 0 done, 2 bad input or usage (nothing written), 1 other failures.`;

// flag -> [option name, takes a value]
const FLAGS = {
  '--out': ['out', true], '--cn': ['cn', true], '--ou': ['ou', true], '--o': ['o', true],
  '--l': ['l', true], '--st': ['st', true], '--c': ['c', true], '--days': ['days', true],
  '--key-type': ['keyType', true], '--key-size': ['keySize', true], '--alias': ['alias', true], '--prefix': ['prefix', true],
  '--store-password': ['storePassword', true], '--key-password': ['keyPassword', true],
  '--san': ['san', true], '--server-cert': ['serverCert', true], '--server-alias': ['serverAlias', true],
  '--legacy-p12': ['legacyPkcs12', false], '--force': ['force', false], '--json': ['json', false],
  '--help': ['help', false], '-h': ['help', false],
  '--url': ['url', true], '--device-id': ['deviceId', true], '--cert': ['cert', true], '--token': ['token', true],
  '--username': ['username', true], '--password': ['password', true], '--auth-header': ['authHeader', true],
  '--allow-http': ['allowHttp', false], '--path-len': ['pathLen', true],
  // Secrets from a file (its first line), out of ps and shell history.
  '--store-password-file': ['storePasswordFile', true], '--key-password-file': ['keyPasswordFile', true],
  '--token-file': ['tokenFile', true], '--password-file': ['passwordFile', true],
  '--ca-cert': ['caCert', true], '--ca-key': ['caKey', true], '--ca-password': ['caPassword', true],
  '--ca-password-file': ['caPasswordFile', true],
  '--role': ['role', true], '--key': ['key', true], '--chain': ['chain', true],
  '--names': ['names', true], '--count': ['count', true], '--name-pattern': ['namePattern', true], '--type': ['type', true],
  '--jobs': ['jobs', true], '--manifest': ['manifest', true], '--create': ['create', false],
};
/** option -> its file form */
const SECRET_FILES = {
  storePassword: 'storePasswordFile', keyPassword: 'keyPasswordFile', token: 'tokenFile', password: 'passwordFile',
  caPassword: 'caPasswordFile',
};
const FLAG_OF = Object.fromEntries(Object.entries(FLAGS).map(([flag, [name]]) => [name, flag]));
FLAG_OF.serverCertificate = '--server-cert';
FLAG_OF.baseUrl = '--url';
FLAG_OF.certificatePem = '--cert';
FLAG_OF['issuer.certificate'] = '--ca-cert';
FLAG_OF['issuer.privateKey'] = '--ca-key';
FLAG_OF['issuer.password'] = '--ca-password';

class UsageError extends Error {
  constructor(message, field = null, flag = null) {
    super(message);
    this.code = 'usage';
    this.field = field;
    this.flag = flag; // when the message is about another spelling of the field's option
  }
}

function parseArgs(argv) {
  const args = { san: [], positional: [] };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline;
    if (a.startsWith('--') && a.includes('=')) [a, inline] = [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
    if (!a.startsWith('-') || a === '-') {
      args.positional.push(a);
      continue;
    }
    const spec = FLAGS[a];
    if (!spec) throw new UsageError(`unknown option ${a} (see --help)`);
    const [name, takesValue] = spec;
    if (!takesValue) {
      args[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${a} needs a value`, name);
    if (name === 'san') args.san.push(value);
    else args[name] = value;
  }
  return args;
}

/** A secret's first line from its file form (without the line break). */
function readSecretFile(file, flag, name) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e.message}`, name, flag);
  }
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  if (!line) throw new UsageError(`the first line of ${file} is empty; put the secret on it`, name, flag);
  return line;
}

/** Replace each secret's file form by its value (argv and file together are a usage error). */
function resolveSecretFiles(args) {
  for (const [name, fileName] of Object.entries(SECRET_FILES)) {
    if (args[fileName] === undefined) continue;
    const flag = FLAG_OF[fileName];
    if (args[name] !== undefined) throw new UsageError(`give ${FLAG_OF[name]} or ${flag}, not both`, name, flag);
    args[name] = readSecretFile(args[fileName], flag, name);
  }
}

/** Ask at the terminal without echo (raw mode: nothing typed is shown or kept in a history). */
function promptSecret(question) {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    // Raw mode before the question: whatever is typed once it shows is never echoed.
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    process.stderr.write(question);
    let value = '';
    const finish = (err) => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(Object.assign(new Error('cancelled at the password prompt'), { code: 'cancelled' }));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
      return undefined;
    };
    input.on('data', onData);
  });
}

const env = (name) => (process.env[name] !== undefined && process.env[name] !== '' ? process.env[name] : undefined);

/** CLI arguments, then the recipe's environment variables; undefined leaves the core's default. */
function optionsFor(role, args) {
  const side = { server: 'SERVER', client: 'CLIENT', ca: 'CA' }[role];
  const pick = (name, envName) => args[name] ?? (envName ? env(envName) : undefined);
  const ca = role === 'ca';
  const options = {
    role,
    // The recipe's CN is the host name; a CA's is its own ("Tempus Device CA" in the core).
    cn: ca ? args.cn : pick('cn', 'DOMAIN_SUFFIX') ?? os.hostname(),
    ou: pick('ou', 'ORGANIZATIONAL_UNIT'),
    o: pick('o', 'ORGANIZATION'),
    l: pick('l', 'CITY'),
    st: pick('st', 'STATE_OR_PROVINCE'),
    c: pick('c', 'TWO_LETTER_COUNTRY_CODE'),
    days: args.days,
    keyType: args.keyType,
    keySize: args.keySize,
    alias: ca ? args.alias : pick('alias', `${side}_KEY_ALIAS`),
    prefix: ca ? args.prefix : pick('prefix', `${side}_FILE_PREFIX`),
    storePassword: pick('storePassword', `${side}_KEYSTORE_PASSWORD`),
    keyPassword: pick('keyPassword', `${side}_KEY_PASSWORD`),
    san: args.san.length ? args.san : undefined,
    legacyPkcs12: !!args.legacyPkcs12,
    pathLen: args.pathLen,
  };
  if (role === 'client') {
    options.serverAlias = pick('serverAlias', 'SERVER_KEY_ALIAS');
    if (args.serverCert !== undefined) {
      try {
        options.serverCertificate = new Uint8Array(fs.readFileSync(args.serverCert));
      } catch (e) {
        throw new UsageError(`--server-cert: cannot read ${args.serverCert}: ${e.message}`, 'serverCertificate');
      }
    }
  } else if (args.serverCert !== undefined || args.serverAlias !== undefined) {
    throw new UsageError('--server-cert and --server-alias are for the client role', 'serverCertificate');
  }
  if (!ca && args.pathLen !== undefined) throw new UsageError('is for the ca role only', 'pathLen');
  if (ca && (args.caCert !== undefined || args.caKey !== undefined)) {
    throw new UsageError('is for server and client certificates: a device CA is self-signed', 'issuer.certificate');
  }
  options.issuer = readIssuer(args);
  for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
  return options;
}

// Fields that a command spells with a flag of its own (assemble's certificate is --cert).
const commandFlags = {};

function describe(err) {
  const flag = err.flag ?? (err.field && (commandFlags[err.field] ?? FLAG_OF[err.field]));
  return flag ? `${flag}: ${err.message}` : err.message;
}

// Work in progress, for the signal handlers: the generating worker, a temp folder to remove,
// renamed files to undo (and the files they replaced, to put back).
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
  // bulk: device folders being written (hidden until renamed into place).
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

const SUFFIXES = {
  server: ['.jks', '.p12', '.pub.pem', '.cer', '.nopass.pem'],
  client: ['.jks', '.p12', '.pub.pem', '.cer', '.nopass.pem', '.pem'],
  ca: ['.pub.pem', '.cer', '.key.pem', '.p12'],
};

async function generate(role, args) {
  if (!args.out) throw new UsageError('--out DIR is required (the folder to write the files to)', 'out');
  const options = optionsFor(role, args);
  if (role === 'ca' && options.keyPassword === undefined) {
    // No well-known default for a key that mints device certificates.
    if (!process.stdin.isTTY) {
      throw new UsageError('a device CA needs a key password: --key-password-file F, CA_KEY_PASSWORD, or --key-password PW ' +
        '(it protects the key that can mint device certificates; there is no default)', 'keyPassword');
    }
    options.keyPassword = await promptSecret('Key password for the device CA (at least 6 characters): ');
    if (await promptSecret('The same again: ') !== options.keyPassword) throw new UsageError('the two passwords differ', 'keyPassword');
  }
  await askCaPassword(options.issuer, args);
  await validateOptions(options); // bad input: exit 2 before anything is touched

  const out = path.resolve(args.out);
  const prefix = options.prefix ?? recipeDefaults(role).prefix;
  refuseOverwrite(out, [...SUFFIXES[role], ...(options.issuer ? ['.chain.pem'] : [])].map((s) => prefix + s), args.force);

  const kind = options.issuer ? `${role} certificate signed by the device CA` : `self-signed ${role === 'ca' ? 'device CA' : role} certificate`;
  process.stderr.write(`Generating ${isEcKey(options) ? 'an EC P-256' : `an RSA-${options.keySize ?? 2048}`} key and a ${kind}...\n`);
  const bundle = await generateInWorker(options);
  await writeFiles(out, prefix, bundle);
  printCertificate(bundle);
  if (role === 'ca') {
    console.log(`This is the id by which ThingsBoard finds the device profile that holds ${prefix}.pub.pem ` +
      '(Device profiles -> profile -> Device provisioning -> X509 Certificates Chain).');
    console.log(`Whoever holds ${prefix}.key.pem and its password can mint device certificates that this profile accepts: ` +
      'keep it offline, apart from the devices, and back it up.');
  } else if (role === 'client') {
    console.log(`Paste ${prefix}.pub.pem into Tempus: Devices -> device -> Device Credentials -> X.509 Certificate.`);
    if (options.issuer) {
      console.log(`Or let the device provision itself: it presents ${prefix}.chain.pem (the JKS and .nopass.pem carry it too) ` +
        'to a device profile that holds the CA certificate.');
    }
  } else {
    console.log(`Tempus MQTT SSL: key_store=${prefix}.jks (key_store_type JKS), key_store_password, key_password; ` +
      `or ${prefix}.p12 (PKCS12, key password = keystore password). mosquitto: certfile/keyfile=${prefix}.nopass.pem.`);
  }
}

/** Nothing is overwritten without --force. */
function refuseOverwrite(out, names, force) {
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
async function writeFiles(out, prefix, made) {
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

/** What a person needs to know of the certificate written. */
function printCertificate(bundle) {
  console.log(`subject:        ${bundle.subject}`);
  if (bundle.issuer) console.log(`issuer:         ${bundle.issuer}`);
  console.log(`valid until:    ${bundle.notAfter.toISOString()}`);
  if (bundle.validityCut) {
    console.log(`note: the validity was cut to end with the CA's, on ${bundle.notAfter.toISOString()} ` +
      '(a certificate cannot outlive its CA); make the CA anew before then.');
  }
  console.log(`SHA-256:        ${bundle.sha256Fingerprint}`);
  console.log(`credentials id: ${bundle.credentialsId}`);
}

/** --ca-cert, --ca-key and the key file's password (CA_KEY_PASSWORD) as the API's issuer; undefined without them. */
function readIssuer(args) {
  if (args.caCert === undefined && args.caKey === undefined) {
    if (args.caPassword !== undefined) throw new UsageError('--ca-password goes with --ca-cert and --ca-key', 'issuer.password');
    return undefined;
  }
  if (args.caCert === undefined) throw new UsageError('--ca-key needs --ca-cert FILE (the CA certificate)', 'issuer.certificate');
  if (args.caKey === undefined) throw new UsageError('--ca-cert needs --ca-key FILE (the CA private key)', 'issuer.privateKey');
  const issuer = { certificate: readInput(args.caCert, 'issuer.certificate'), privateKey: readInput(args.caKey, 'issuer.privateKey') };
  const password = args.caPassword ?? env('CA_KEY_PASSWORD');
  if (password !== undefined) issuer.password = password;
  return issuer;
}

/** At a terminal, the password of an encrypted CA key file nobody gave. */
async function askCaPassword(issuer, args) {
  if (issuer && issuer.password === undefined && process.stdin.isTTY && looksEncrypted(issuer.privateKey)) {
    issuer.password = await promptSecret(`Password of ${args.caKey}: `);
  }
}

/** sign's CA: required. */
async function issuerFrom(args) {
  const issuer = readIssuer(args);
  if (!issuer) throw new UsageError('--ca-cert FILE and --ca-key FILE are required (the device CA that signs)', 'issuer.certificate');
  await askCaPassword(issuer, args);
  return issuer;
}

function roleOf(args, allowed = ['client', 'server']) {
  const role = args.role ?? 'client';
  if (!allowed.includes(role)) throw new UsageError(`must be ${allowed.join(' or ')}, got "${role}"`, 'role');
  return role;
}

/** csr: a key (P.key.pem, under the key password) and its request (P.csr) for a CA to sign. */
async function csr(args) {
  if (!args.out) throw new UsageError('--out DIR is required (the folder to write the files to)', 'out');
  const role = roleOf(args);
  const all = optionsFor(role, args);
  if (all.issuer) throw new UsageError('a request is signed later, by the CA: tempus-certgen sign', 'issuer.certificate');
  const options = Object.fromEntries(Object.entries(all).filter(([k]) => REQUEST_OPTION_NAMES.includes(k)));
  await validateOptions(options);
  const out = path.resolve(args.out);
  const prefix = options.prefix ?? recipeDefaults(role).prefix;
  refuseOverwrite(out, [`${prefix}.csr`, `${prefix}.key.pem`], args.force);
  process.stderr.write(`Generating ${isEcKey(options) ? 'an EC P-256' : `an RSA-${options.keySize ?? 2048}`} key and its certificate request...\n`);
  const made = await generateInWorker(options, 'createRequest');
  await writeFiles(out, prefix, made);
  console.log(`subject:        ${made.subject}`);
  console.log(`Send ${prefix}.csr to the CA (tempus-certgen sign ${prefix}.csr ...); keep ${prefix}.key.pem here. ` +
    `With the certificate it returns: tempus-certgen assemble --key ${prefix}.key.pem --cert CERT --chain CA ...`);
}

/** sign: the device CA's answer to a request: P.pub.pem, P.cer, P.chain.pem. */
async function sign(args) {
  const file = args.positional[1];
  if (!file) throw new UsageError('sign needs the request FILE (PEM or DER), e.g. tempus-certgen sign device.csr --ca-cert ... --ca-key ... --out DIR', 'csr');
  if (!args.out) throw new UsageError('--out DIR is required (the folder to write the files to)', 'out');
  const role = roleOf(args);
  const request = readInput(file, 'csr');
  const issuer = await issuerFrom(args);
  const options = { role };
  if (args.days !== undefined) options.days = args.days;
  if (args.san.length) options.san = args.san;
  if (args.prefix !== undefined) options.prefix = args.prefix;
  const prefix = options.prefix ?? recipeDefaults(role).prefix;
  const out = path.resolve(args.out);
  // Checked before anything is written: a bad request or CA fails here with exit 2.
  const signed = await signRequest(request, issuer, options);
  refuseOverwrite(out, signed.files.map((f) => f.name), args.force);
  await writeFiles(out, prefix, signed);
  printCertificate(signed);
  console.log(`Return ${prefix}.pub.pem and ${prefix}.chain.pem to whoever holds the key; Device Credentials take ${prefix}.pub.pem.`);
}

/** assemble: the role's files around a key made earlier and the certificate the CA returned. */
async function assemble(args) {
  if (!args.out) throw new UsageError('--out DIR is required (the folder to write the files to)', 'out');
  if (!args.key) throw new UsageError('--key FILE is required (the key made with the request)', 'key');
  if (!args.cert) throw new UsageError('--cert FILE is required (the certificate the CA returned)', 'certificate');
  const role = roleOf(args);
  const all = optionsFor(role, args);
  if (all.issuer) throw new UsageError('assemble takes the certificate the CA returned (--cert), not the CA key', 'issuer.certificate');
  const options = Object.fromEntries(Object.entries(all).filter(([k]) => ASSEMBLE_OPTION_NAMES.includes(k)));
  options.key = readInput(args.key, 'key');
  options.certificate = readInput(args.cert, 'certificate');
  if (args.chain !== undefined) options.chain = readInput(args.chain, 'chain');
  const prefix = options.prefix ?? recipeDefaults(role).prefix;
  const out = path.resolve(args.out);
  const made = await assembleCredentials(options);
  const names = made.files.map((f) => f.name);
  try {
    refuseOverwrite(out, names, args.force);
  } catch (e) {
    wipe(made);
    throw e;
  }
  await writeFiles(out, prefix, made);
  printCertificate(made);
}

// ---- bulk ------------------------------------------------------------------------------------
const BULK_RECORD = '.tempus-certgen-bulk.json';
const BULK_TMP = '.tempus-certgen-tmp-';
const CLIENT_SUFFIXES = SUFFIXES.client;

/** Whether a device folder holds every file a client run writes. */
function deviceFolderComplete(dir, withChain) {
  const names = [...CLIENT_SUFFIXES, ...(withChain ? ['.chain.pem'] : [])].map((s) => `mqttclient${s}`);
  return names.every((n) => fs.existsSync(path.join(dir, n)));
}

async function bulk(args) {
  if (!args.out) throw new UsageError('--out DIR is required (the folder of the fleet)', 'out');
  if ((args.names === undefined) === (args.count === undefined)) throw new UsageError('give --names FILE or --count N (one of them)', 'names');
  if (args.namePattern !== undefined && args.count === undefined) throw new UsageError('--name-pattern goes with --count', 'namePattern');
  for (const f of ['cn', 'prefix', 'serverCert', 'role']) {
    if (args[f] !== undefined && f !== 'serverCert') throw new UsageError(`is not for bulk: each device's CN is its name, and its files are mqttclient.*`, f);
  }
  let devices;
  if (args.names !== undefined) {
    let text;
    try {
      text = fs.readFileSync(args.names, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${args.names}: ${e.message}`, 'names');
    }
    devices = parseNames(text);
    if (!devices.length) throw new UsageError(`${args.names} holds no names`, 'names');
  } else {
    const count = Number(args.count);
    try {
      devices = patternNames(count, args.namePattern ?? 'device-{n}');
    } catch (e) {
      throw new UsageError(e.message, e.field === 'count' ? 'count' : 'namePattern');
    }
  }
  const jobs = args.jobs === undefined ? undefined : Number(args.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 256)) throw new UsageError('must be a whole number from 1 to 256', 'jobs');
  const options = optionsFor('client', { ...args, cn: 'device' });
  delete options.cn;
  delete options.prefix;
  await askCaPassword(options.issuer, args);
  // Bad options (and a bad CA) fail here, before anything is written.
  await validateOptions({ ...options, cn: 'device-1' });
  const out = path.resolve(args.out);
  const record = {
    keyType: options.keyType ?? 'rsa', keySize: options.keyType === 'ec-p256' ? null : Number(options.keySize ?? 2048),
    ou: options.ou ?? null, o: options.o ?? null, l: options.l ?? null, st: options.st ?? null, c: options.c ?? null,
    days: options.days === undefined ? null : Number(options.days),
    ca: options.issuer ? await credentialsId(options.issuer.certificate) : null,
  };
  const recordPath = path.join(out, BULK_RECORD);
  if (fs.existsSync(recordPath) && !args.force) {
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
  for (const f of fs.readdirSync(out)) if (f.startsWith(BULK_TMP)) fs.rmSync(path.join(out, f), { recursive: true, force: true });

  const plan = planDevices(devices, { type: args.type ?? 'default' });
  const results = [];
  const toMake = [];
  for (const p of plan) {
    if (p.error) {
      results.push({ ...p, ok: false, error: new Error(p.error) });
      continue;
    }
    const dir = path.join(out, p.folder);
    if (fs.existsSync(dir) && !args.force) {
      if (deviceFolderComplete(dir, !!options.issuer)) {
        const info = await inspectCertificate(fs.readFileSync(path.join(dir, 'mqttclient.pub.pem'), 'utf8'));
        results.push({ ...p, ok: true, kept: true, bundle: info });
      } else {
        results.push({ ...p, ok: false, error: new Error(`${dir} exists but is not a complete device folder; remove it, or use --force`) });
      }
      continue;
    }
    toMake.push(p);
  }
  const kept = results.filter((r) => r.kept).length;
  process.stderr.write(`${plan.length} devices: ${kept} already made, ${toMake.length} to make, ${plan.length - kept - toMake.length} refused\n`);

  const byName = new Map(toMake.map((p) => [p.name, p]));
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const onProgress = ({ done, total, failed, elapsedMs, remainingMs }) => {
    const now = Date.now();
    if (done < total && now - lastLine < (tty ? 100 : 2000)) return;
    lastLine = now;
    const rate = elapsedMs ? (done / (elapsedMs / 1000)).toFixed(1) : '0';
    const left = remainingMs === null ? '' : `, ~${Math.ceil(remainingMs / 1000)} s left`;
    process.stderr.write(`${tty ? '\r' : ''}${done}/${total} made${failed ? ` (${failed} failed)` : ''}, ${rate}/s${left}${tty ? '   ' : '\n'}`);
  };
  let made = 0;
  if (toMake.length) {
    const list = toMake.map((p) => ({ name: p.name, type: p.type, label: p.label }));
    for await (const r of generateMany(list, options, { concurrency: jobs, onProgress })) {
      const p = byName.get(r.name);
      if (!r.ok) {
        results.push({ ...p, ok: false, error: r.error });
        continue;
      }
      await writeDeviceFolder(out, p.folder, r.bundle, args.force);
      made++;
      results.push({ ...p, ok: true, bundle: r.bundle });
      wipe(r.bundle);
    }
    if (tty) process.stderr.write('\n');
  }
  fs.writeFileSync(path.join(out, 'manifest.csv'), toManifestCsv(results));
  fs.writeFileSync(path.join(out, 'thingsboard-devices.csv'), toThingsBoardCsv(results));
  const failed = results.filter((r) => !r.ok);
  console.log(`made ${made}, kept ${kept}, failed ${failed.length} of ${plan.length} devices in ${out}`);
  for (const r of failed) console.log(`failed: ${r.name || '(empty name)'}: ${r.error.message}`);
  console.log(`wrote ${path.join(out, 'manifest.csv')} and ${path.join(out, 'thingsboard-devices.csv')} ` +
    '(ThingsBoard: Devices -> + -> Import device, columns NAME, TYPE, LABEL, X509; Tempus: tempus-certgen provision --manifest)');
  console.log('Each device folder holds mqttclient.nopass.pem, its private key without a password: hand each folder to its device only.');
  return failed.length ? 1 : 0;
}

/** One device's folder, whole or not at all: written hidden, then renamed into place. */
async function writeDeviceFolder(out, folder, bundle, force) {
  const target = path.join(out, folder);
  const tmp = fs.mkdtempSync(path.join(out, `${BULK_TMP}${folder.slice(0, 40)}-`));
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

function generateInWorker(options, fn = 'generateCredentials') {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../js/node-worker.js', import.meta.url), { workerData: { fn, options } });
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

/** A file's bytes, or a usage error naming the option. */
function readInput(file, field) {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e.message}`, field);
  }
}

/** A certificate file as the API takes it: PEM text, or DER bytes. */
function readCertificateFile(file, field) {
  const bytes = readInput(file, field);
  const text = Buffer.from(bytes).toString('utf8');
  return text.includes('-----BEGIN') ? text : bytes;
}

/** Whether a key file needs a password: encrypted PEM, or binary (a .p12, or DER). */
function looksEncrypted(bytes) {
  const text = Buffer.from(bytes).toString('latin1');
  return text.includes('ENCRYPTED') || !text.includes('-----BEGIN');
}

async function inspect(args) {
  const file = args.positional[1];
  if (!file) throw new UsageError('inspect needs a FILE (PEM or DER certificate, chain or certificate request)', 'certificate');
  const input = readCertificateFile(file, 'certificate');
  if (typeof input === 'string' && /-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(input)) return inspectCsr(input, args);
  let i;
  try {
    i = await inspectCertificate(input);
  } catch (e) {
    // DER that is not a certificate may be a request.
    if (typeof input === 'string') throw e;
    try {
      return await inspectCsr(input, args);
    } catch {
      throw e;
    }
  }
  if (args.json) {
    console.log(JSON.stringify(i, null, 2));
    return undefined;
  }
  const rows = [
    ['Subject', i.subject], ['Issuer', i.issuer + (i.selfSigned ? ' (self-signed)' : '')], ['Serial', i.serial],
    ['Not before', i.notBefore.toISOString()], ['Not after', i.notAfter.toISOString()],
    ['Key', `${i.keyAlgorithm}${i.keySize && i.keyAlgorithm === 'RSA' ? ` ${i.keySize} bits` : ''}`],
    ['SHA-1', i.sha1Fingerprint], ['SHA-256', i.sha256Fingerprint],
    [i.isCa ? 'Profile CA id' : 'Credentials id', i.credentialsId],
  ];
  if (i.pastedCredentialsId && i.pastedCredentialsId !== i.credentialsId) rows.push(['Id of this text', i.pastedCredentialsId]);
  for (const [k, v] of rows) console.log(`${(k + ':').padEnd(16)}${v}`);
  if (i.isCa) console.log('This is a CA certificate: a ThingsBoard device profile that holds it is found by the id above.');
  if (i.chain.length > 1) {
    console.log(`Chain of ${i.chain.length}:`);
    for (const [n, c] of i.chain.entries()) {
      const link = c.signedByNext === null ? '' : c.signedByNext ? ' (signed by the next)' : ' (NOT signed by the next)';
      console.log(`  ${n + 1}. ${c.subject}${c.isCa ? ' [CA]' : ''}${link}`);
    }
  }
  for (const w of i.warnings) console.log(`warning: ${w.message}`);
  return undefined;
}

async function inspectCsr(input, args) {
  const r = await inspectRequest(input);
  if (args.json) {
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  console.log(`${'Request for:'.padEnd(16)}${r.subject}`);
  console.log(`${'Key:'.padEnd(16)}${r.keyAlgorithm}${r.keySize && r.keyAlgorithm === 'RSA' ? ` ${r.keySize} bits` : ''}`);
  console.log(`${'Names:'.padEnd(16)}${r.san.length ? r.san.join(', ') : '(none)'}`);
  console.log(`${'Signature:'.padEnd(16)}${r.signatureValid ? 'valid (made with the request\'s key)' : `INVALID: ${r.signatureError}`}`);
}

async function provision(args) {
  const missing = (args.manifest ? ['url'] : ['url', 'deviceId', 'cert']).filter((k) => !args[k]);
  if (missing.length) throw new UsageError(`provision needs ${missing.map((k) => FLAG_OF[k]).join(', ')}`, missing[0] === 'url' ? 'baseUrl' : missing[0]);
  // Safest forms first: files and the environment keep secrets out of ps and shell history.
  let { token, password } = args;
  if (token === undefined && args.username === undefined) token = env('TEMPUS_TOKEN');
  if (password === undefined && args.username !== undefined) password = env('TEMPUS_PASSWORD');
  if (!token && args.username && !password && process.stdin.isTTY) {
    password = await promptSecret(`Password for ${args.username} at ${args.url}: `);
  }
  if (!token && !(args.username && password)) {
    throw new UsageError('provision needs a token (--token-file F, TEMPUS_TOKEN or --token T), or --username U with a password ' +
      '(--password-file F, TEMPUS_PASSWORD, --password P, or typed at the prompt when run in a terminal)', 'token');
  }
  if (args.manifest) return provisionManifest(args, { token, password });
  if (args.create || args.type) throw new UsageError('--create and --type go with --manifest', args.create ? 'create' : 'type');
  const certificatePem = readCertificateFile(args.cert, 'certificatePem');
  const r = await provisionDevice({
    baseUrl: args.url, deviceId: args.deviceId, certificatePem, token,
    username: args.username, password, authHeader: args.authHeader ?? 'both', allowInsecureHttp: !!args.allowHttp,
  });
  console.log(`Device ${args.deviceId} now logs in with the X.509 certificate.`);
  console.log(`credentials id: ${r.credentialsId} (confirmed by the server)`);
  return 0;
}

/** provision --manifest: every device of a bulk run whose status is ok, found or created by name. */
async function provisionManifest(args, { token, password }) {
  if (args.deviceId || args.cert) throw new UsageError('--manifest replaces --device-id and --cert', 'manifest');
  let text;
  try {
    text = fs.readFileSync(args.manifest, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${args.manifest}: ${e.message}`, 'manifest');
  }
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows[0] ?? [];
  const col = (n) => header.indexOf(n);
  if (col('name') < 0 || col('folder') < 0 || col('status') < 0) throw new UsageError(`${args.manifest} is not a manifest.csv of tempus-certgen bulk`, 'manifest');
  const dir = path.dirname(path.resolve(args.manifest));
  const devices = [];
  for (const r of rows.slice(1)) {
    if (r[col('status')] !== 'ok') continue;
    const file = path.join(dir, r[col('folder')], 'mqttclient.pub.pem');
    let certificatePem;
    try {
      certificatePem = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${e.message}`, 'manifest');
    }
    devices.push({ name: r[col('name')], type: col('type') >= 0 ? r[col('type')] : '', certificatePem });
  }
  const summary = await provisionMany(devices, {
    baseUrl: args.url, token, username: args.username, password, create: !!args.create, type: args.type,
    authHeader: args.authHeader ?? 'both', allowInsecureHttp: !!args.allowHttp,
    onProgress: ({ last }) => {
      const what = { provisioned: `provisioned${last.created ? ' (created)' : ''}`, skipped: 'already set, skipped', failed: `FAILED: ${last.error?.message}` }[last.status];
      console.log(`${last.name}: ${what}`);
    },
  });
  console.log(`${summary.provisioned} provisioned, ${summary.skipped} already set, ${summary.failed} failed, of ${devices.length} devices`);
  return summary.failed ? 1 : 0;
}

async function main(argv) {
  const args = parseArgs(argv);
  resolveSecretFiles(args);
  const command = args.positional[0];
  if (args.help || !command) {
    console.log(USAGE);
    return command || args.help ? 0 : 2;
  }
  if (command === 'server' || command === 'client' || command === 'ca') await generate(command, args);
  else if (command === 'csr') await csr(args);
  else if (command === 'sign') await sign(args);
  else if (command === 'assemble') {
    commandFlags.certificate = '--cert';
    await assemble(args);
  }
  else if (command === 'bulk') return bulk(args);
  else if (command === 'inspect') await inspect(args);
  else if (command === 'provision') return provision(args);
  else throw new UsageError(`unknown command "${command}": use server, client, ca, csr, sign, assemble, bulk, inspect or provision (see --help)`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    const failure = ['internal', 'randomness_unavailable', 'exists', 'bad_login', 'unauthorized', 'unknown_device',
      'already_registered', 'unreachable', 'id_mismatch', 'http_error', 'redirected', 'cancelled'];
    const input = err instanceof UsageError || (err.code && !failure.includes(err.code) && err.field !== undefined);
    process.stderr.write(`tempus-certgen: ${describe(err)}\n`);
    process.exitCode = err.code === 'cancelled' ? 130 : input ? 2 : 1;
  },
);
