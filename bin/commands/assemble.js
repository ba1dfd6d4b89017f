// tempus-certgen assemble: the role's files around a key made earlier (csr) and the certificate
// the CA returned (sign), with the chain above it.
import path from 'node:path';
import { assembleCredentials, recipeDefaults, wipe, ASSEMBLE_OPTION_NAMES } from '../../js/node.js';
import { UsageError, readInput, requireOut } from '../cli/args.js';
import { optionsFor, only, roleOf } from '../cli/options.js';
import { refuseOverwrite, writeFiles, printCertificate } from '../cli/output.js';

export default {
  name: 'assemble',
  usage: `  tempus-certgen assemble --key FILE [--key-password-file F] --cert FILE [--chain FILE] --out DIR
                      [--role client|server] [--prefix --alias --store-password-file --server-cert --legacy-p12]`,
  groups: ['output', 'role', 'request', 'prefix', 'store', 'keyPassword', 'trust', 'help'],
  // The API's `certificate` is this command's --cert.
  fieldFlags: { certificate: '--cert' },
  async run(args) {
    requireOut(args);
    if (!args.key) throw new UsageError('--key FILE is required (the key made with the request)', 'key');
    if (!args.cert) throw new UsageError('--cert FILE is required (the certificate the CA returned)', 'certificate');
    const role = roleOf(args);
    const options = only(optionsFor(role, args), ASSEMBLE_OPTION_NAMES);
    options.key = readInput(args.key, 'key');
    options.certificate = readInput(args.cert, 'certificate');
    if (args.chain !== undefined) options.chain = readInput(args.chain, 'chain');
    const prefix = options.prefix ?? recipeDefaults(role).prefix;
    const out = path.resolve(args.out);
    const made = await assembleCredentials(options);
    try {
      refuseOverwrite(out, made.files.map((f) => f.name), args.force);
    } catch (e) {
      wipe(made);
      throw e;
    }
    await writeFiles(out, prefix, made);
    printCertificate(made);
    return 0;
  },
};
