// What a certificate, a request or a generated bundle means for a person, in words: one source
// for the CLI's lines and the page's rows (each surface keeps its own labels and layout).

/**
 * Text that came from a name, a file or a server, safe to print on a terminal or a page: control
 * characters (C0, DEL, C1: so no ESC or CSI sequence gets through) and bidirectional overrides
 * shown as `\u{...}` escapes, and cut after `max` characters.
 */
export function printable(text, max = Infinity) {
  const shown = String(text ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
  return shown.length > max ? `${shown.slice(0, max)}… (${shown.length - max} more characters)` : shown;
}

/** "RSA 2048 bits", "EC P-256": an inspected key. */
export const keyText = (x) => x.keyAlgorithm + (x.keySize && x.keyAlgorithm === 'RSA' ? ` ${x.keySize} bits` : '');

/** What a CA certificate's id is for. */
export const CA_NOTE = 'a ThingsBoard device profile that holds it is found by the id above.';

/** What a request with a bad signature means. */
export const BAD_REQUEST = 'do not sign this request: it was altered, or not made with its key.';

const LABELS = {
  cli: {
    from: 'Not before', until: 'Not after', sha1: 'SHA-1', sha256: 'SHA-256', id: 'Credentials id', caId: 'Profile CA id',
    pasted: 'Id of this text', time: (d) => d.toISOString(),
  },
  page: {
    from: 'Valid from', until: 'Valid until', sha1: 'SHA-1 fingerprint', sha256: 'SHA-256 fingerprint',
    id: 'Credentials id (TLS login)', caId: 'Credentials id (the device profile\'s CA id)', pasted: 'Credentials id of the pasted text',
    time: (d) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
  },
};

/** An inspected certificate as `[label, value, monospace]` rows, for `surface` 'cli' or 'page'. */
export function inspectionRows(i, surface) {
  const l = LABELS[surface];
  const rows = [
    ['Subject', i.subject], ['Issuer', i.issuer + (i.selfSigned ? ' (self-signed)' : '')], ['Serial', i.serial, true],
    [l.from, l.time(i.notBefore)], [l.until, l.time(i.notAfter)], ['Key', keyText(i)],
    [l.sha1, i.sha1Fingerprint, true], [l.sha256, i.sha256Fingerprint, true],
    [i.isCa ? l.caId : l.id, i.credentialsId, true],
  ];
  if (surface === 'page' && i.isCa) rows.push(['CA', `A CA certificate: ${CA_NOTE}`]);
  if (i.pastedCredentialsId && i.pastedCredentialsId !== i.credentialsId) rows.push([l.pasted, i.pastedCredentialsId, true]);
  return rows;
}

/** A certificate request as rows. */
export function requestRows(r) {
  return [
    ['Request for', r.subject],
    ['Key', keyText(r)],
    ['Names', r.san.length ? r.san.join(', ') : '(none)'],
    ['Signature', r.signatureValid ? 'valid: made with the request\'s own key' : `INVALID: ${r.signatureError}`],
  ];
}

/** Each certificate of a chain, and whether the next one signed it (null for the last). */
export function chainLinks(i) {
  return i.chain.map((c) => ({
    subject: c.subject,
    isCa: c.isCa,
    signedByNext: c.signedByNext,
    link: c.signedByNext === null ? '' : c.signedByNext ? 'signed by the next' : 'NOT signed by the next',
  }));
}

/** What to do with the files of a bundle (its prefix, its role, whether a CA signed it). */
export function nextSteps(b, surface = 'page') {
  const p = b.prefix;
  if (b.role === 'csr') {
    const sign = surface === 'page' ? 'Sign a request, below, or tempus-certgen sign' : `tempus-certgen sign ${p}.csr ...`;
    return `Send ${p}.csr to the CA (${sign}); keep ${p}.key.pem here, under its key password. ` +
      `With the certificate the CA returns, tempus-certgen assemble${surface === 'page' ? ' (or assembleCredentials)' : ` --key ${p}.key.pem --cert CERT --chain CA`} ` +
      'makes the keystores around this key.';
  }
  if (b.issuer && b.files.length === 3) {
    return `Return ${p}.pub.pem and ${p}.chain.pem to whoever holds the key; Device Credentials take ${p}.pub.pem, and the device presents the chain.`;
  }
  if (b.role === 'ca') {
    return `Paste ${p}.pub.pem into the ThingsBoard device profile (Device provisioning -> X509 Certificates Chain); ` +
      `the credentials id above is how the platform finds that profile. Whoever holds ${p}.key.pem and its password can ` +
      'mint device certificates that the profile accepts: keep it offline and backed up, apart from the devices.';
  }
  if (b.role === 'client' && b.issuer) {
    return `Signed by ${b.issuer}. Let the device provision itself: a ThingsBoard device profile that holds the CA certificate accepts it when it presents ` +
      `its chain (${p}.nopass.pem carries key, certificate and CA; the ${p}.jks and ${p}.p12 key entries carry the chain). ` +
      `Or paste ${p}.pub.pem (the certificate alone) into Device Credentials -> X.509 Certificate.`;
  }
  if (b.role === 'client') {
    return `Paste ${p}.pub.pem into Device Credentials -> X.509 Certificate. ` +
      `The device connects with ${p}.nopass.pem (mosquitto, paho: key and certificate) or ${p}.jks / ${p}.p12 (Java), ` +
      'and trusts the broker through the server certificate.';
  }
  return `Tempus MQTT SSL settings: key_store = ${p}.jks with key_store_type JKS, key_store_password = the keystore password, ` +
    `key_password = the key password; or key_store = ${p}.p12 with key_store_type PKCS12 (its key password is the keystore password). ` +
    `mosquitto: certfile and keyfile = ${p}.nopass.pem. Clients trust ${p}.pub.pem.`;
}
