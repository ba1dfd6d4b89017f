// The expiry report (issue 20, part 2): every certificate given, soonest first, with how many
// days it has left and its status: expired, revoked (by the CRL given), expiring (within
// `within` days, default 30) or ok. Shared by both entries (they pass in the module's calls) and
// the CLI's `expiry`.
import { codedError } from './errors.js';

const DAY = 86_400_000;
/** Worst first: what an alert is about. */
export const STATUS_ORDER = ['revoked', 'expired', 'expiring', 'ok'];

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** One thing given: its certificates (PEM texts or DER bytes), its name and where it came from. */
function sources(item) {
  if (typeof item === 'string' || item instanceof Uint8Array) return { certificates: split(item), name: null, path: null };
  const pem = item?.certificatePem ?? item?.bundle?.certificatePem ?? item?.certificate;
  if (pem === undefined) throw codedError('checkExpiry takes certificates (PEM text or DER bytes), results of generateCredentials or generateMany, or { certificate, name, path }', 'invalid', { field: 'certificates' });
  return { certificates: split(pem), name: item.name ?? null, path: item.path ?? null };
}

/** A chain's certificates, one by one (DER: one). */
function split(input) {
  if (typeof input !== 'string') return [input];
  const blocks = input.match(PEM_BLOCK);
  return blocks?.length ? blocks : [input];
}

/** `within` checked: a whole number of days, 0 to 36500. */
export function checkWithin(within = 30) {
  const n = Number(within);
  if (!Number.isInteger(n) || n < 0 || n > 36500) throw codedError(`within must be a whole number of days from 0 to 36500, got ${String(within).slice(0, 40)}`, 'invalid', { field: 'within' });
  return n;
}

const sameName = (a, b) => a.replace(/,\s*/g, ',') === b.replace(/,\s*/g, ',');

export function makeCheckExpiry(inspectCertificate, readCrl) {
  /**
   * `[{ name, cn, role, issuer, serial, credentialsId, notAfter, daysLeft, status, path }]`,
   * soonest first; `.crl` says when the CRL given runs out (its own nextUpdate).
   */
  return async function checkExpiry(items, { within = 30, crl, now = Date.now() } = {}) {
    const days = checkWithin(within);
    const at = now instanceof Date ? now.getTime() : Number(now);
    const list = await (crl === undefined || crl === null ? null : readCrl(crl));
    const seen = new Set();
    const out = [];
    for (const item of Array.isArray(items) ? items : [items]) {
      const { certificates, name, path } = sources(item);
      for (const certificate of certificates) {
        const i = await inspectCertificate(certificate);
        if (seen.has(i.credentialsId)) continue;
        seen.add(i.credentialsId);
        const daysLeft = Math.floor((i.notAfter.getTime() - at) / DAY);
        const revoked = list && sameName(list.issuer, i.issuer) && list.serials.includes(i.serial);
        const status = revoked ? 'revoked' : i.notAfter.getTime() <= at ? 'expired' : daysLeft < days ? 'expiring' : 'ok';
        // A fleet's name is the device's; a chain's CA keeps its own CN.
        const own = certificates.length === 1 || certificate === certificates[0];
        out.push({ name: (own && name) || i.commonName || i.subject, cn: i.commonName, role: i.role, issuer: i.issuer, serial: i.serial,
          credentialsId: i.credentialsId, notAfter: i.notAfter, daysLeft, status, path });
      }
    }
    out.sort((a, b) => a.notAfter - b.notAfter);
    if (list) {
      const next = list.nextUpdate;
      const left = next ? Math.floor((next.getTime() - at) / DAY) : null;
      out.crl = { issuer: list.issuer, crlNumber: list.crlNumber, nextUpdate: next, daysLeft: left,
        status: next === null ? 'ok' : next.getTime() <= at ? 'expired' : left < days ? 'expiring' : 'ok' };
    } else {
      out.crl = null;
    }
    return out;
  };
}
