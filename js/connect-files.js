// connect, stage 1 (offline): what the device's files say before anything touches the network.
// Node's X509Certificate (OpenSSL) reads them, so the check is a peer's, not our own parser's.
import { X509Certificate, createPrivateKey } from 'node:crypto';

const DAY = 86_400_000;
const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The first certificate of a PEM text (the leaf), or undefined. */
export const leafPemOf = (pem) => (pem ?? '').match(PEM)?.[0];

/** The certificates of a PEM text, in order. */
export const certificatesOf = (pem) => (pem.match(PEM) ?? []).map((p) => new X509Certificate(p));

/** The CN of an X509Certificate's subject text (the whole name when it has none). */
export const cn = (dn) => (/(?:^|\n)CN=([^\n]*)/.exec(dn)?.[1] ?? dn.replaceAll('\n', ', '));
const day = (d) => d.toISOString().slice(0, 10);

/**
 * Stage 1: { stages, certs, key } where stages are { stage: 'files', ok, detail, fix } lines;
 * certs is [leaf, ...chain] (empty when the certificate does not parse), key a KeyObject or null.
 */
export function checkFiles({ certificate, key, keyPassword, chain, credentialsId, now = new Date() }) {
  const stages = [];
  const say = (ok, detail, fix = null) => stages.push({ stage: 'files', ok, detail, fix });
  let certs = [];
  try {
    certs = [...certificatesOf(certificate), ...(chain ? certificatesOf(chain) : [])];
  } catch (e) {
    say(false, `the certificate does not parse: ${e.message}`, 'give the device\'s .pub.pem (or .nopass.pem) as written by tempus-certgen');
    return { stages, certs: [], key: null };
  }
  if (certs.length === 0) {
    say(false, 'no PEM certificate found', 'give the device\'s .pub.pem, .nopass.pem or .chain.pem');
    return { stages, certs, key: null };
  }
  const leaf = certs[0];
  say(true, `certificate: ${cn(leaf.subject)} (serial ${leaf.serialNumber.toLowerCase()}), credentials id ${credentialsId}`);

  let keyObject = null;
  try {
    keyObject = createPrivateKey({ key, format: 'pem', ...(keyPassword ? { passphrase: keyPassword } : {}) });
  } catch (e) {
    const locked = /ENCRYPTED/.test(key ?? '') || /passphrase|decrypt/i.test(e.message);
    say(false, locked ? `the private key is encrypted and ${keyPassword ? 'the password does not open it' : 'no password was given'}` : `the private key does not parse: ${e.message}`,
      locked ? 'give --key-password-file F with the key password, or the .nopass.pem' : 'give the device\'s .nopass.pem');
  }
  if (keyObject) {
    if (leaf.checkPrivateKey(keyObject)) say(true, `the key matches the certificate (${describeKey(leaf)})`);
    else say(false, 'the private key does not belong to this certificate', 'take the key and the certificate from the same device folder');
  }

  const from = new Date(leaf.validFrom);
  const to = new Date(leaf.validTo);
  if (now < from) say(false, `not yet valid: from ${day(from)}`, 'check the clock of the machine that made it and of this one; a device needs the right time (SNTP) too');
  else if (now > to) say(false, `expired on ${day(to)}`, 'renew it: tempus-certgen renew DIR (then the platform needs the new certificate: provision)');
  else if (to - now < 30 * DAY) say(true, `valid until ${day(to)}: expires within 30 days`, 'renew it soon: tempus-certgen renew DIR');
  else say(true, `valid until ${day(to)}`);

  for (let i = 0; i + 1 < certs.length; i++) {
    const [child, parent] = [certs[i], certs[i + 1]];
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      say(false, `chain: ${cn(child.subject)} is not signed by the next certificate, ${cn(parent.subject)}`,
        'the chain goes leaf first, then its issuing CA, then the CA above it: use the .chain.pem tempus-certgen wrote');
      break;
    }
    if (i + 2 === certs.length) say(true, `chain: ${certs.map((c) => cn(c.subject)).join(' <- ')}, each signed by the next`);
  }
  const bits = leaf.publicKey.asymmetricKeyDetails?.modulusLength;
  if (bits > 2048) say(true, `RSA ${bits}: slow on a microcontroller (seconds a handshake)`, 'for small devices prefer --key-type ec-p256 or RSA 2048');
  return { stages, certs, key: keyObject };
}

function describeKey(cert) {
  const k = cert.publicKey;
  return k.asymmetricKeyType === 'rsa' ? `RSA ${k.asymmetricKeyDetails.modulusLength}` : `EC ${k.asymmetricKeyDetails?.namedCurve ?? ''}`.trim();
}
