// The JS API's options from a command line: flags first, then the recipe's environment
// variables, then (left out) the core's defaults; the device CA that signs.
import fs from 'node:fs';
import os from 'node:os';
import { UsageError, env, readInput } from './args.js';
import { promptSecret } from './prompt.js';
import { isEcKey } from '../../js/api.js';
import { recipeDefaults } from '../../js/node.js';

/** CLI arguments, then the recipe's environment variables; undefined leaves the core's default. */
export function optionsFor(role, args) {
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

/** `options` with only the names a call takes. */
export function only(options, names) {
  return Object.fromEntries(Object.entries(options).filter(([k]) => names.includes(k)));
}

/** --ca-cert, --ca-key and the key file's password (CA_KEY_PASSWORD) as the API's issuer; undefined without them. */
export function readIssuer(args) {
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

/** Whether a key file needs a password: encrypted PEM, or binary (a .p12, or DER). */
function looksEncrypted(bytes) {
  const text = Buffer.from(bytes).toString('latin1');
  return text.includes('ENCRYPTED') || !text.includes('-----BEGIN');
}

/** At a terminal, the password of an encrypted CA key file nobody gave. */
export async function askCaPassword(issuer, args) {
  if (issuer && issuer.password === undefined && process.stdin.isTTY && looksEncrypted(issuer.privateKey)) {
    issuer.password = await promptSecret(`Password of ${args.caKey}: `);
  }
}

/**
 * The line that says the recipe's public default password protects the files, and how to give
 * one; null when the person gave their own.
 */
export function defaultPasswordNote(role, options) {
  const defaults = recipeDefaults(role);
  const which = ['storePassword', 'keyPassword'].filter((k) => defaults[k] && (options[k] ?? defaults[k]) === defaults[k]);
  if (!which.length) return null;
  const side = role === 'server' ? 'SERVER' : 'CLIENT';
  return `warning: the ${which.map((k) => (k === 'storePassword' ? 'keystore' : 'key')).join(' and ')} password${which.length > 1 ? 's are' : ' is'} ` +
    `the recipe's public default ("${defaults[which[0]]}"${which.length > 1 ? `, "${defaults[which[1]]}"` : ''}): anyone can open the files with it; ` +
    `give your own with --store-password-file F and --key-password-file F (or ${side}_KEYSTORE_PASSWORD and ${side}_KEY_PASSWORD).`;
}

/** --role, one of `allowed` (client by default). */
export function roleOf(args, allowed = ['client', 'server']) {
  const role = args.role ?? 'client';
  if (!allowed.includes(role)) throw new UsageError(`must be ${allowed.join(' or ')}, got "${role}"`, 'role');
  return role;
}

/** "an EC P-256" / "an RSA-2048", for the progress line. */
export function keyKind(options) {
  return isEcKey(options) ? 'an EC P-256' : `an RSA-${options.keySize ?? 2048}`;
}
