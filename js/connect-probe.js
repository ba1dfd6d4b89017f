// connect, stage 3: what node:tls does not show, the server's CertificateRequest (whether it asks
// for a client certificate, and the CA names it lists), read from a second handshake by
// `openssl s_client`, which sends no certificate. Nothing when openssl is not installed.
import { spawn } from 'node:child_process';

/** `{ asked, names }` (names as openssl prints them), or null when the probe could not run. */
export function certificateRequestOf({ address, port, servername, ms }) {
  return new Promise((resolve) => {
    let out = '';
    const target = `${address.includes(':') ? `[${address}]` : address}:${port}`;
    const child = spawn('openssl', ['s_client', '-connect', target, ...(servername ? ['-servername', servername] : [])], { stdio: ['pipe', 'pipe', 'ignore'] });
    const timer = setTimeout(() => child.kill(), ms);
    child.on('error', () => { clearTimeout(timer); resolve(null); });
    child.stdout.on('data', (d) => { out += d; });
    child.on('close', () => { clearTimeout(timer); resolve(parseCertificateRequest(out)); });
    child.stdin.end(); // s_client ends once the handshake is printed
  });
}

/** What s_client printed about the CertificateRequest; null when no handshake was read. */
export function parseCertificateRequest(out) {
  if (!/SSL handshake has read [1-9]/.test(out)) return null;
  const listed = /Acceptable client certificate CA names\r?\n([\s\S]*?)\r?\n(?:Requested Signature Algorithms|Client Certificate Types|---)/.exec(out);
  if (listed) return { asked: true, names: listed[1].split(/\r?\n/).map((s) => s.trim()).filter(Boolean) };
  // The signature algorithms a client certificate must use come only with a CertificateRequest.
  return { asked: /Requested Signature Algorithms/.test(out), names: [] };
}

/** openssl's "C = US, O = x, CN = y" and Node's "C=US\nO=x\nCN=y", compared as K=V lists. */
const same = (opensslName, nodeName) => opensslName.split(/, (?=[A-Za-z.0-9]+ = )/).map((p) => p.replace(' = ', '=')).join('\n') === nodeName;

/**
 * The stage-3 line (or none) for a CertificateRequest `request`, given the certificates the device
 * sends (X509Certificates, leaf first).
 */
export function requestLine(request, certs) {
  if (!request) return null;
  if (!request.asked) {
    return [false, 'the server did not ask for a client certificate: the device\'s certificate is never sent',
      'turn on client certificates on the broker (mosquitto: require_certificate true; Tempus / ThingsBoard: the MQTT SSL transport, port 8883)'];
  }
  if (!request.names.length) return [true, 'the server asks for a client certificate (it names no CAs: any may be sent)'];
  const listed = request.names.join('; ');
  const known = certs.some((c) => request.names.some((n) => same(n, c.issuer) || same(n, c.subject)));
  if (known) return [true, `the server asks for a client certificate from: ${listed}`];
  return [false, `the server accepts client certificates from ${listed}; this one was issued by ${certs[0].issuer.replaceAll('\n', ', ')}`,
    'give the broker this device\'s CA (mosquitto: cafile), or use a certificate from one of those CAs'];
}
