// tempus-certgen server: the broker's files (P.jks, P.p12, P.pub.pem, P.cer, P.nopass.pem).
import { generate, GENERATE_GROUPS } from '../cli/generate.js';

export default {
  name: 'server',
  usage: `  tempus-certgen server --out DIR [options]
  tempus-certgen server --out DIR --ca-cert FILE --ca-key FILE [--ca-password-file F] [options]`,
  groups: GENERATE_GROUPS,
  run: (args) => generate('server', args),
};
