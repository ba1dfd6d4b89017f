// tempus-certgen inspect: what a certificate, a chain or a request says, and what the platform
// will make of it.
import { inspectCertificate, inspectRequest } from '../../js/node.js';
import { inspectionRows, requestRows, chainLinks, printable, CA_NOTE } from '../../js/describe.js';
import { UsageError, readCertificateFile } from '../cli/args.js';

const print = (rows) => { for (const [k, v] of rows) console.log(`${(`${k}:`).padEnd(16)}${printable(v)}`); };

async function inspectCsr(input, args) {
  const r = await inspectRequest(input);
  if (args.json) console.log(JSON.stringify(r, null, 2));
  else print(requestRows(r));
}

/** A certificate, or (DER that is no certificate) a request. */
async function inspectAny(input, args) {
  if (typeof input === 'string' && /-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(input)) return inspectCsr(input, args);
  try {
    return await inspectCertificate(input);
  } catch (e) {
    if (typeof input === 'string') throw e;
    try {
      return await inspectCsr(input, args);
    } catch {
      throw e;
    }
  }
}

export default {
  name: 'inspect',
  usage: '  tempus-certgen inspect FILE [--json]',
  groups: ['json', 'help'],
  async run(args) {
    const file = args.positional[1];
    if (!file) throw new UsageError('inspect needs a FILE (PEM or DER certificate, chain or certificate request)', 'certificate');
    const i = await inspectAny(readCertificateFile(file, 'certificate'), args);
    if (!i) return 0; // a request, printed
    if (args.json) {
      console.log(JSON.stringify(i, null, 2));
      return 0;
    }
    print(inspectionRows(i, 'cli'));
    if (i.isCa) console.log(`This is a CA certificate: ${CA_NOTE}`);
    if (i.chain.length > 1) {
      console.log(`Chain of ${i.chain.length}:`);
      for (const [n, c] of chainLinks(i).entries()) console.log(`  ${n + 1}. ${printable(c.subject)}${c.isCa ? ' [CA]' : ''}${c.link ? ` (${c.link})` : ''}`);
    }
    for (const w of i.warnings) console.log(`warning: ${printable(w.message)}`);
    return 0;
  },
};
