// The server, client and ca commands: one role's files, self-signed or signed by a device CA.
import path from 'node:path';
import { validateOptions, recipeDefaults } from '../../js/node.js';
import { nextSteps } from '../../js/describe.js';
import { UsageError, requireOut } from './args.js';
import { optionsFor, askCaPassword, keyKind, defaultPasswordNote } from './options.js';
import { SUFFIXES, refuseOverwrite, writeFiles, generateInWorker, printCertificate } from './output.js';
import { promptSecret } from './prompt.js';

/** The flag groups of the three roles (each refuses what is not its own, naming why). */
export const GENERATE_GROUPS = ['output', 'name', 'days', 'key', 'prefix', 'store', 'keyPassword', 'san', 'trust', 'pathLen', 'ca', 'help'];

/** A device CA's key password, asked for at a terminal when none was given (there is no default). */
async function caKeyPassword(options) {
  if (!process.stdin.isTTY) {
    throw new UsageError('a device CA needs a key password: --key-password-file F, CA_KEY_PASSWORD, or --key-password PW ' +
      '(it protects the key that can mint device certificates; there is no default)', 'keyPassword');
  }
  const first = await promptSecret('Key password for the device CA (at least 6 characters): ');
  if (await promptSecret('The same again: ') !== first) throw new UsageError('the two passwords differ', 'keyPassword');
  return first;
}

export async function generate(role, args) {
  requireOut(args);
  const options = optionsFor(role, args);
  if (role === 'ca' && options.keyPassword === undefined) options.keyPassword = await caKeyPassword(options);
  await askCaPassword(options.issuer, args);
  await validateOptions(options); // bad input: exit 2 before anything is touched

  const out = path.resolve(args.out);
  const prefix = options.prefix ?? recipeDefaults(role).prefix;
  refuseOverwrite(out, [...SUFFIXES[role], ...(options.issuer ? ['.chain.pem'] : [])].map((s) => prefix + s), args.force);
  const kind = options.issuer ? `${role} certificate signed by the device CA` : `self-signed ${role === 'ca' ? 'device CA' : role} certificate`;
  process.stderr.write(`Generating ${keyKind(options)} key and a ${kind}...\n`);
  const bundle = await generateInWorker(options);
  const { files } = bundle;
  await writeFiles(out, prefix, bundle);
  printCertificate(bundle);
  console.log(nextSteps({ ...bundle, files, prefix }, 'cli'));
  const note = role === 'ca' ? null : defaultPasswordNote(role, options);
  if (note) console.log(note);
  return 0;
}
