// What a device's files say, as stage lines ({ stage, ok, detail, fix }), written once for the
// CLI's `connect` (its facts read by OpenSSL through node:crypto, js/connect-files.js) and the
// browser's `checkDeviceFiles` (its facts read by the wasm module, js/device-files.js). No I/O here.

/** Every PEM certificate block of a text (use with String.prototype.match). */
export const CERTIFICATES = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const DAY = 86_400_000;
const day = (d) => d.toISOString().slice(0, 10);

export const FIX = Object.freeze({
  parse: 'give the device\'s .pub.pem (or .nopass.pem) as written by tempus-certgen',
  none: 'give the device\'s .pub.pem, .nopass.pem or .chain.pem',
  locked: 'give the key password (CLI: --key-password-file F), or the .nopass.pem',
  broken: 'give the device\'s .nopass.pem',
  differs: 'take the key and the certificate from the same device folder',
  chain: 'the chain goes leaf first, then its issuing CA, then the CA above it: use the .chain.pem tempus-certgen wrote',
  caFile: 'give the server\'s .pub.pem (self-signed, as the recipe makes it) or the CA that signed the server\'s certificate; ThingsBoard 3.6+ serves it at GET /api/device-connectivity/mqtts/certificate/download',
});

/**
 * Stage 1's lines from what was read: `{ parseError, certs: [{ cn, serial, notBefore, notAfter }]
 * (leaf first), links: [signed by the next?], credentialsId, key, keyDescription, rsaBits, now }`.
 * `key`: `{ matches }`, `{ locked, passwordGiven }`, `{ error }` (did not parse), or
 * `{ missing: true }` (none given).
 */
export function fileStages(f) {
  const stages = [];
  const say = (ok, detail, fix = null) => stages.push({ stage: 'files', ok, detail, fix });
  if (f.parseError) {
    say(false, `the certificate does not parse: ${f.parseError}`, FIX.parse);
    return stages;
  }
  if (!f.certs.length) {
    say(false, 'no PEM certificate found', FIX.none);
    return stages;
  }
  const leaf = f.certs[0];
  say(true, `certificate: ${leaf.cn} (serial ${leaf.serial}), credentials id ${f.credentialsId}`);
  const k = f.key;
  if (k.missing) say(true, 'no private key given: whether the key is this certificate\'s was not checked', 'give the key too (the .nopass.pem holds both)');
  else if (k.locked) say(false, `the private key is encrypted and ${k.passwordGiven ? 'the password does not open it' : 'no password was given'}`, FIX.locked);
  else if (k.error) say(false, `the private key does not parse: ${k.error}`, FIX.broken);
  else if (k.matches) say(true, `the key matches the certificate (${f.keyDescription})`);
  else say(false, 'the private key does not belong to this certificate', FIX.differs);

  const { notBefore: from, notAfter: to } = leaf;
  const now = f.now;
  if (now < from) say(false, `not yet valid: from ${day(from)}`, 'check the clock of the machine that made it and of this one; a device needs the right time (SNTP) too');
  else if (now > to) say(false, `expired on ${day(to)}`, 'renew it: tempus-certgen renew DIR (then the platform needs the new certificate: provision)');
  else if (to - now < 30 * DAY) say(true, `valid until ${day(to)}: expires within 30 days`, 'renew it soon: tempus-certgen renew DIR');
  else say(true, `valid until ${day(to)}`);

  const broken = f.links.indexOf(false);
  if (broken >= 0) {
    say(false, `chain: ${f.certs[broken].cn} is not signed by the next certificate, ${f.certs[broken + 1].cn}`, FIX.chain);
  } else if (f.certs.length > 1) {
    say(true, `chain: ${f.certs.map((c) => c.cn).join(' <- ')}, each signed by the next`);
  }
  if (f.rsaBits > 2048) say(true, `RSA ${f.rsaBits}: slow on a microcontroller (seconds a handshake)`, 'for small devices prefer --key-type ec-p256 or RSA 2048');
  return stages;
}

/** The host part of `mqtts://host:port`, `host:port`, `[v6]:port` or a bare host, lower case. */
export function hostOf(text) {
  const t = String(text).trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
  const v6 = /^\[([^\]]+)\]/.exec(t);
  if (v6) return v6[1].toLowerCase();
  return (t.split(':').length === 2 ? t.split(':')[0] : t).toLowerCase();
}

const isIp = (host) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');

/** Whether a certificate's names (`DNS:x` / `IP:x`, or its CN when it has none) cover `host` (RFC 6125: a `*` is a whole leftmost label). */
export function namesCover(host, san, commonName) {
  const dns = san.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4).toLowerCase());
  if (isIp(host)) return san.some((n) => n.startsWith('IP:') && n.slice(3).toLowerCase() === host);
  const names = san.length ? dns : [String(commonName ?? '').toLowerCase()];
  return names.some((n) => n === host || (n.startsWith('*.') && host.includes('.') && host.slice(host.indexOf('.')) === n.slice(1)));
}

/**
 * The server-name check, offline: `ca` is what the device will trust (an inspection), `host` what
 * it connects to. `{ caError }` when the CA file did not parse.
 */
export function serverStages({ ca, caError, host, now }) {
  const stages = [];
  const say = (ok, detail, fix = null) => stages.push({ stage: 'tls', ok, detail, fix });
  if (caError) {
    say(false, `the CA file does not parse: ${caError}`, FIX.caFile);
    return stages;
  }
  if (!ca) {
    if (host) say(true, `no CA file given: the server's certificate for ${host} is checked when the device connects, against the CAs the device trusts`, `to check its name now: ${FIX.caFile}`);
    return stages;
  }
  const name = ca.commonName ?? ca.subject;
  if (ca.isCa) {
    say(true, `the CA file is a CA (${name}): the server's certificate must be signed by it; its names are checked when the device connects`,
      host ? `to check the server itself: tempus-certgen connect DIR --url mqtts://${host} --ca FILE` : null);
    return stages;
  }
  if (ca.role === 'client') {
    say(false, `the CA file holds a client certificate (${name}), not the server's`, FIX.caFile);
    return stages;
  }
  if (now > ca.notAfter) say(false, `the server's certificate (${name}) expired on ${day(ca.notAfter)}`, 'renew the server\'s certificate (tempus-certgen server) and give the device the new .pub.pem');
  else if (now < ca.notBefore) say(false, `the server's certificate (${name}) is not valid until ${day(ca.notBefore)}`, 'check the clocks of the server and of the machine that made it');
  if (!host) return stages;
  const names = ca.san.length ? ca.san.join(', ') : `CN=${ca.commonName ?? ''} (no subjectAltName)`;
  if (namesCover(host, ca.san, ca.commonName)) {
    say(true, `the server's certificate (${name}) names ${host}: ${names}`, ca.san.length ? null : 'it is named by its CN alone, which newer TLS clients refuse: remake it with --san');
  } else {
    say(false, `the server's certificate does not name ${host}: it has ${names}`,
      'connect by one of those names, or remake the server\'s certificate with --san for this host');
  }
  return stages;
}
