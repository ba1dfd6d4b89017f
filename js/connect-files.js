// connect, stage 1 (offline): what the device's files say before anything touches the network.
// Node's X509Certificate (OpenSSL) reads them, so the check is a peer's, not our own parser's;
// the verdicts are js/files-check.js's, shared with the browser's checkDeviceFiles.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { fileStages, CERTIFICATES as PEM } from './files-check.js';

/** The first certificate of a PEM text (the leaf), or undefined. */
export const leafPemOf = (pem) => (pem ?? '').match(PEM)?.[0];

/** The certificates of a PEM text, in order. */
export const certificatesOf = (pem) => (pem.match(PEM) ?? []).map((p) => new X509Certificate(p));

/** The CN of an X509Certificate's subject text (the whole name when it has none). */
export const cn = (dn) => (/(?:^|\n)CN=([^\n]*)/.exec(dn)?.[1] ?? dn.replaceAll('\n', ', '));

/**
 * Stage 1: { stages, certs, key } where stages are { stage: 'files', ok, detail, fix } lines;
 * certs is [leaf, ...chain] (empty when the certificate does not parse), key a KeyObject or null.
 */
export function checkFiles({ certificate, key, keyPassword, chain, credentialsId, now = new Date() }) {
  let certs = [];
  try {
    certs = [...certificatesOf(certificate), ...(chain ? certificatesOf(chain) : [])];
    // A full chain file (leaf first) given as the chain: the leaf is not its own issuer.
    if (certs.length > 1 && certs[1].raw.equals(certs[0].raw)) certs.splice(1, 1);
  } catch (e) {
    return { stages: fileStages({ parseError: e.message }), certs: [], key: null };
  }
  if (certs.length === 0) return { stages: fileStages({ certs }), certs, key: null };
  const leaf = certs[0];
  let keyObject = null;
  let keyFact;
  try {
    keyObject = createPrivateKey({ key, format: 'pem', ...(keyPassword ? { passphrase: keyPassword } : {}) });
    keyFact = { matches: leaf.checkPrivateKey(keyObject) };
  } catch (e) {
    const locked = /ENCRYPTED/.test(key ?? '') || /passphrase|decrypt/i.test(e.message);
    keyFact = locked ? { locked, passwordGiven: Boolean(keyPassword) } : { error: e.message };
  }
  const stages = fileStages({
    certs: certs.map((c) => ({ cn: cn(c.subject), serial: c.serialNumber.toLowerCase(), notBefore: new Date(c.validFrom), notAfter: new Date(c.validTo) })),
    links: certs.slice(1).map((parent, i) => certs[i].checkIssued(parent) && certs[i].verify(parent.publicKey)),
    credentialsId,
    key: keyFact,
    keyDescription: describeKey(leaf),
    rsaBits: leaf.publicKey.asymmetricKeyDetails?.modulusLength,
    now,
  });
  return { stages, certs, key: keyObject };
}

function describeKey(cert) {
  const k = cert.publicKey;
  const curve = k.asymmetricKeyDetails?.namedCurve;
  return k.asymmetricKeyType === 'rsa' ? `RSA ${k.asymmetricKeyDetails.modulusLength}` : `EC ${curve === 'prime256v1' ? 'P-256' : curve ?? ''}`.trim();
}
