// Reading a command line: the command's own flags only (another command's flag is refused,
// naming it), secrets from files, and the errors that mean "bad usage" (exit 2).
import fs from 'node:fs';
import path from 'node:path';
import { FLAG_OF, SECRET_FILES } from './flags.js';

export class UsageError extends Error {
  constructor(message, field = null, flag = null) {
    super(message);
    this.code = 'usage';
    this.field = field;
    this.flag = flag; // when the message is about another spelling of the field's option
  }
}

/** An environment variable, when set and not empty. */
export const env = (name) => (process.env[name] !== undefined && process.env[name] !== '' ? process.env[name] : undefined);

/**
 * `argv` into `{ [option]: value, san: [], positional: [] }`. `flags`: the command's flags by
 * spelling; `all`: every flag of the CLI (so a flag of another command is named as such).
 */
export function parseArgs(argv, flags, all, command) {
  const args = { san: [], serial: [], positional: [] };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline;
    if (a.startsWith('--') && a.includes('=')) [a, inline] = [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
    if (!a.startsWith('-') || a === '-') {
      args.positional.push(a);
      continue;
    }
    const spec = flags[a];
    if (!spec) {
      if (all[a] && command) throw new UsageError(`${command} does not take ${a} (see tempus-certgen ${command} --help)`);
      throw new UsageError(`unknown option ${a} (see --help)`);
    }
    if (!spec.value) {
      args[spec.name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${a} needs a value`, spec.name);
    if (spec.repeat) (args[spec.name] ??= []).push(value);
    else args[spec.name] = value;
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

/**
 * Replace each secret's file form by its value (argv and file together are a usage error); the
 * flags that gave them, in `args.spelled`, so that a message names the flag the person used.
 */
export function resolveSecretFiles(args) {
  args.spelled = {};
  for (const [name, fileName] of Object.entries(SECRET_FILES)) {
    if (args[fileName] === undefined) continue;
    const flag = FLAG_OF[fileName];
    if (args[name] !== undefined) throw new UsageError(`give ${FLAG_OF[name]} or ${flag}, not both`, name, flag);
    args[name] = readSecretFile(args[fileName], flag, name);
    args.spelled[name] = flag;
  }
}

/** An error as the person reads it: prefixed with the flag of the field it is about. */
export function describeError(err, fieldFlags = {}) {
  const flag = err.flag ?? (err.field && (fieldFlags[err.field] ?? FLAG_OF[err.field]));
  return flag ? `${flag}: ${err.message}` : err.message;
}

/** A file's bytes, or a usage error naming the option. */
export function readInput(file, field) {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e.message}`, field);
  }
}

/** A certificate file as the API takes it: PEM text, or DER bytes. */
export function readCertificateFile(file, field) {
  const bytes = readInput(file, field);
  const text = Buffer.from(bytes).toString('utf8');
  return text.includes('-----BEGIN') ? text : bytes;
}

/** A device folder tempus-certgen wrote, by its one P.pub.pem: suffix -> DIR/P<suffix>. */
export function deviceFolder(dir, what = 'a device folder tempus-certgen wrote') {
  const names = fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? fs.readdirSync(dir) : [];
  const pub = names.filter((n) => n.endsWith('.pub.pem'));
  if (pub.length !== 1) throw new UsageError(`${dir} is not ${what} (it needs one P.pub.pem)`, 'path');
  const prefix = pub[0].slice(0, -'.pub.pem'.length);
  return Object.assign((suffix) => path.join(dir, `${prefix}${suffix}`), { prefix });
}

/** --out DIR, required by every command that writes. */
export function requireOut(args, what = 'the folder to write the files to') {
  if (!args.out) throw new UsageError(`--out DIR is required (${what})`, 'out');
}
