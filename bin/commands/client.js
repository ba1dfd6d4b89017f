// tempus-certgen client: a device's files (the server's, plus P.pem: the key under the key password).
import { generate, GENERATE_GROUPS } from '../cli/generate.js';

export default {
  name: 'client',
  usage: `  tempus-certgen client --out DIR [--server-cert FILE] [options]
  tempus-certgen client --out DIR --ca-cert FILE --ca-key FILE [--ca-password-file F] [options]`,
  groups: GENERATE_GROUPS,
  run: (args) => generate('client', args),
};
