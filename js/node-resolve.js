// Plain http to `localhost` in Node: allowed only when every address the name resolves to is
// loopback (a hosts file or a DNS server may say otherwise), and the request then goes to the
// address checked, not to a second lookup's answer. Browsers resolve localhost to loopback by
// their own rule, so the browser entry has no such step.
import dns from 'node:dns/promises';
import { codedError } from './errors.js';
import { isLoopbackAddress } from './rest.js';

/** For makeSession: `lookup` (dns.lookup's shape; tests inject one), unless plain http was opted in. */
export function resolveLocalhost(lookup = dns.lookup, allowInsecureHttp = false) {
  return async (root) => {
    const url = new URL(root);
    if (allowInsecureHttp || url.protocol !== 'http:' || url.hostname.toLowerCase().replace(/\.$/, '') !== 'localhost') return root;
    const found = await lookup('localhost', { all: true });
    const list = Array.isArray(found) ? found : [found];
    if (!list.length || !list.every((a) => isLoopbackAddress(a.address))) {
      throw codedError(`baseUrl: localhost resolves to ${list.map((a) => a.address).join(', ') || 'nothing'} here, not only to this machine: ` +
        'plain http there would cross the network. Use https://, or http://127.0.0.1', 'insecure_http', { field: 'baseUrl' });
    }
    const { address, family } = list[0];
    url.hostname = family === 6 ? `[${address}]` : address;
    return url.href.replace(/\/+$/, '');
  };
}
