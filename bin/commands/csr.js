// tempus-certgen csr: a key (P.key.pem, under the key password) and its request (P.csr) for a CA
// to sign; the key never leaves this machine.
import path from 'node:path';
import { validateOptions, recipeDefaults, REQUEST_OPTION_NAMES } from '../../js/node.js';
import { nextSteps } from '../../js/describe.js';
import { UsageError, requireOut } from '../cli/args.js';
import { optionsFor, only, roleOf, keyKind } from '../cli/options.js';
import { refuseOverwrite, writeFiles, generateInWorker } from '../cli/output.js';

export default {
  name: 'csr',
  usage: '  tempus-certgen csr --out DIR [--cn ... --key-type --key-size --san --prefix --key-password-file F]',
  groups: ['output', 'role', 'name', 'key', 'san', 'prefix', 'keyPassword', 'ca', 'help'],
  async run(args) {
    requireOut(args);
    const role = roleOf(args);
    const all = optionsFor(role, args);
    if (all.issuer) throw new UsageError('a request is signed later, by the CA: tempus-certgen sign', 'issuer.certificate');
    const options = only(all, REQUEST_OPTION_NAMES);
    await validateOptions(options);
    const out = path.resolve(args.out);
    const prefix = options.prefix ?? recipeDefaults(role).prefix;
    refuseOverwrite(out, [`${prefix}.csr`, `${prefix}.key.pem`], args.force);
    process.stderr.write(`Generating ${keyKind(options)} key and its certificate request...\n`);
    const made = await generateInWorker(options, 'createRequest');
    await writeFiles(out, prefix, made);
    console.log(`subject:        ${made.subject}`);
    console.log(nextSteps({ ...made, role: 'csr', prefix }, 'cli'));
    return 0;
  },
};
