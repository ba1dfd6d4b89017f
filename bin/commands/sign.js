// tempus-certgen sign: the device CA's answer to a request: P.pub.pem, P.cer, P.chain.pem.
import path from 'node:path';
import { signRequest } from '../../js/node.js';
import { nextSteps } from '../../js/describe.js';
import { UsageError, readInput, requireOut } from '../cli/args.js';
import { readIssuer, askCaPassword, roleOf } from '../cli/options.js';
import { refuseOverwrite, writeFiles, printCertificate } from '../cli/output.js';

export default {
  name: 'sign',
  usage: `  tempus-certgen sign FILE --ca-cert FILE --ca-key FILE [--ca-password-file F] --out DIR [--role client|server]
                      [--days N] [--san NAME] [--prefix P]`,
  groups: ['output', 'role', 'days', 'san', 'prefix', 'ca', 'help'],
  async run(args) {
    const file = args.positional[1];
    if (!file) throw new UsageError('sign needs the request FILE (PEM or DER), e.g. tempus-certgen sign device.csr --ca-cert ... --ca-key ... --out DIR', 'csr');
    requireOut(args);
    const role = roleOf(args);
    const request = readInput(file, 'csr');
    const issuer = readIssuer(args);
    if (!issuer) throw new UsageError('--ca-cert FILE and --ca-key FILE are required (the device CA that signs)', 'issuer.certificate');
    await askCaPassword(issuer, args);
    const options = { role };
    if (args.days !== undefined) options.days = args.days;
    if (args.san.length) options.san = args.san;
    if (args.prefix !== undefined) options.prefix = args.prefix;
    const out = path.resolve(args.out);
    // Checked before anything is written: a bad request or CA fails here with exit 2.
    const signed = await signRequest(request, issuer, options);
    refuseOverwrite(out, signed.files.map((f) => f.name), args.force);
    const { files, prefix } = signed;
    await writeFiles(out, prefix, signed);
    printCertificate(signed);
    console.log(nextSteps({ ...signed, files }, 'cli'));
    return 0;
  },
};
