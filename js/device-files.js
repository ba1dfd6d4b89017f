// checkDeviceFiles: `connect`'s offline part where no TLS socket can be opened (the browser; Node
// has it too). The wasm module reads the files; js/files-check.js gives the verdicts, the same
// lines `connect` prints.
import { codedError } from './errors.js';
import { checkOptions } from './calls.js';
import { fileStages, serverStages, hostOf, CERTIFICATES } from './files-check.js';

const KEY = /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/;
const NAMES = ['certificate', 'key', 'keyPassword', 'chain', 'ca', 'host', 'now'];

const body = (pem) => pem.replace(/\s+/g, '');
const text = (v) => (typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : '');
/** The certificate blocks of a PEM text (a .nopass.pem holds a key too), or the input itself (DER). */
const certificatesIn = (v) => (typeof v === 'string' ? (v.match(CERTIFICATES) ?? []).join('\n') || v : v);

function check(options) {
  checkOptions(options, NAMES, 'checkDeviceFiles', '{ certificate, key, ca, host }');
  if (!options.certificate || !(typeof options.certificate === 'string' || options.certificate instanceof Uint8Array)) {
    throw codedError('Certificate (certificate): give the device\'s .pub.pem, .nopass.pem or .chain.pem (text or bytes)', 'empty', { field: 'certificate' });
  }
}

/** `checkDeviceFiles(options)` over the module's `inspectCertificate` and `checkKeyPair`. */
export function makeCheckDeviceFiles(inspectCertificate, checkKeyPair) {
  return async function checkDeviceFiles(options) {
    check(options);
    const { certificate, keyPassword, chain, ca, host } = options;
    const now = options.now ? new Date(options.now) : new Date();
    // A .nopass.pem holds the key and the certificate: the key is taken from it when none is given.
    const key = options.key ?? text(certificate).match(KEY)?.[0];
    const leaf = certificatesIn(certificate);
    // A full chain file (leaf first) given as the chain: the leaf is not its own issuer.
    const above = (text(chain).match(CERTIFICATES) ?? []).filter((c, i) => i > 0 || body(c) !== body(text(leaf).match(CERTIFICATES)?.[0] ?? ''));
    const input = above.length ? `${text(leaf)}\n${above.join('\n')}` : leaf;
    let inspection = null;
    let stages;
    try {
      inspection = await inspectCertificate(input);
    } catch (e) {
      stages = fileStages({ parseError: e.message.replace(/^Certificate \(certificate\): /, '') });
    }
    if (inspection) {
      stages = fileStages({
        certs: inspection.chain.map((c, i) => ({
          cn: c.commonName ?? c.subject,
          ...(i === 0 ? { serial: inspection.serial.replaceAll(':', '').toLowerCase(), notBefore: inspection.notBefore, notAfter: inspection.notAfter } : {}),
        })),
        links: inspection.chain.slice(0, -1).map((c) => c.signedByNext),
        credentialsId: inspection.credentialsId,
        key: await keyFact(checkKeyPair, key, leaf, keyPassword),
        keyDescription: inspection.keyAlgorithm === 'RSA' ? `RSA ${inspection.keySize}` : inspection.keyAlgorithm,
        rsaBits: inspection.keyAlgorithm === 'RSA' ? inspection.keySize : 0,
        now,
      });
    }
    let caInspection = null;
    let caError = null;
    if (ca) {
      try {
        caInspection = await inspectCertificate(certificatesIn(ca));
      } catch (e) {
        caError = e.message.replace(/^Certificate \(certificate\): /, '');
      }
    }
    stages.push(...serverStages({ ca: caInspection, caError, host: host ? hostOf(host) : null, now }));
    return { ok: stages.every((s) => s.ok), credentialsId: inspection?.credentialsId ?? null, stages };
  };
}

/** What `fileStages` takes as `key`, from the module's key check. */
async function keyFact(checkKeyPair, key, certificate, keyPassword) {
  if (!key || (typeof key === 'string' && !key.trim())) return { missing: true };
  try {
    return { matches: (await checkKeyPair(key, certificate, keyPassword || undefined)).matches };
  } catch (e) {
    if (e.code === 'wrong_password' || e.field === 'keyPassword') return { locked: true, passwordGiven: Boolean(keyPassword) };
    return { error: e.message.replace(/^[^:]*\(key\): /, '') };
  }
}
