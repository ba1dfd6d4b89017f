// tempus-certgen ca: a device CA (P.pub.pem, P.cer, P.key.pem, P.p12) that signs device certificates.
import { generate, GENERATE_GROUPS } from '../cli/generate.js';

export default {
  name: 'ca',
  usage: `  tempus-certgen ca --out DIR --key-password-file F [--path-len N|none] [options]`,
  groups: GENERATE_GROUPS,
  run: (args) => generate('ca', args),
};
