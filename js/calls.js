// The wasm module's calls that the JS API offers, once: their option names, their argument
// checks, and where they run. api.js makes its methods from this table, the workers take their
// allow-lists from it, and the entries export its names (tests/structure.test.mjs holds them to it).
import { codedError } from './errors.js';

/** The options `generateCredentials` takes, named like the CLI flags in camelCase. */
export const OPTION_NAMES = /*#__PURE__*/ Object.freeze([
  'role', 'cn', 'ou', 'o', 'l', 'st', 'c', 'days', 'keyType', 'keySize', 'alias', 'prefix',
  'storePassword', 'keyPassword', 'san', 'serverCertificate', 'serverAlias', 'legacyPkcs12', 'pathLen', 'issuer',
]);

/** The options of `createRequest`: a key and its request, with generateCredentials' names. */
export const REQUEST_OPTION_NAMES = /*#__PURE__*/ Object.freeze(['role', 'cn', 'ou', 'o', 'l', 'st', 'c', 'keyType', 'keySize', 'san', 'prefix', 'keyPassword']);

/** The options of `signRequest` (its third argument). */
export const SIGN_OPTION_NAMES = /*#__PURE__*/ Object.freeze(['role', 'days', 'san', 'prefix']);

/** The options of `assembleCredentials`: the key, the certificate the CA returned, its chain, and the stores' options. */
export const ASSEMBLE_OPTION_NAMES = /*#__PURE__*/ Object.freeze([
  'role', 'key', 'keyPassword', 'certificate', 'chain', 'prefix', 'alias', 'storePassword', 'serverCertificate', 'serverAlias', 'legacyPkcs12',
]);

/** The options of `renewCredentials`: the old files, the CA, and the stores' options. */
export const RENEW_OPTION_NAMES = /*#__PURE__*/ Object.freeze([
  'role', 'key', 'keyPassword', 'certificate', 'chain', 'keystore', 'issuer', 'days', 'newKey', 'prefix', 'alias', 'storePassword',
  'serverCertificate', 'serverAlias', 'legacyPkcs12',
]);

/** The options of `revokeCertificates` (its third argument). */
export const REVOKE_OPTION_NAMES = /*#__PURE__*/ Object.freeze(['crl', 'serials', 'reason', 'days']);

/** What `issuer` (the device CA that signs a server or client certificate) holds. */
export const ISSUER_NAMES = /*#__PURE__*/ Object.freeze(['certificate', 'privateKey', 'password']);

const apiError = (message, code, field = null) => codedError(message, code, { field });

/** The shape of the options (known names, known issuer members), before the wasm checks them. */
export function checkOptions(options, names = OPTION_NAMES, what = 'generateCredentials', example = '{ role: "client", cn: "device-1" }') {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw apiError(`${what} takes an options object, e.g. ${example}`, 'invalid', null);
  }
  for (const name of Object.keys(options)) {
    if (!names.includes(name)) {
      throw apiError(`Unknown option "${name}" of ${what}; known options: ${names.join(', ')}`, 'unknown_option', name);
    }
  }
  const { issuer } = options;
  if (issuer !== undefined && issuer !== null && typeof issuer === 'object') {
    for (const name of Object.keys(issuer)) {
      if (!ISSUER_NAMES.includes(name)) {
        throw apiError(`Unknown issuer member "${name}"; an issuer is { ${ISSUER_NAMES.join(', ')} }`, 'unknown_option', `issuer.${name}`);
      }
    }
  }
}

const none = () => {};
const optionsOf = (names, what) => (options) => checkOptions(options, names, what);

/**
 * The calls that run in a worker in browsers (and for the CLI), since they take long (keys,
 * PBKDF2; a pasted chain may be a megabyte, an encrypted key costs its rounds): the workers'
 * allow-list. A list of its own, so that a worker's bundle holds it without the table.
 */
export const WORKER_CALLS = /*#__PURE__*/ Object.freeze(['generateCredentials', 'inspectCertificate', 'inspectRequest', 'checkKeyPair',
  'createRequest', 'signRequest', 'assembleCredentials', 'renewCredentials', 'revokeCertificates']);

/** name -> { check(...args): throws on arguments of the wrong shape; lean; defaults }. */
export const CALLS = /*#__PURE__*/ Object.freeze({
  // lean: the lean module (pkg/lean/) takes the call, unless its options need the full one.
  generateCredentials: { check: optionsOf(OPTION_NAMES, 'generateCredentials'), lean: true, defaults: [{}] },
  validateOptions: { check: optionsOf(OPTION_NAMES, 'generateCredentials'), lean: true, defaults: [{}] },
  inspectCertificate: { check: none },
  inspectRequest: { check: none },
  credentialsId: { check: none },
  checkKeyPair: { check: none },
  readCrl: { check: none },
  createRequest: { check: optionsOf(REQUEST_OPTION_NAMES, 'createRequest'), defaults: [{}] },
  signRequest: {
    check: (csr, issuer, options) => {
      checkOptions(options, SIGN_OPTION_NAMES, 'signRequest');
      checkOptions({ issuer }, ['issuer'], 'signRequest');
    },
    defaults: [undefined, undefined, {}],
  },
  assembleCredentials: { check: optionsOf(ASSEMBLE_OPTION_NAMES, 'assembleCredentials'), defaults: [{}] },
  renewCredentials: { check: optionsOf(RENEW_OPTION_NAMES, 'renewCredentials'), defaults: [{}] },
  revokeCertificates: {
    check: (issuer, certificates, options) => {
      checkOptions(options, REVOKE_OPTION_NAMES, 'revokeCertificates');
      checkOptions({ issuer }, ['issuer'], 'revokeCertificates');
    },
    defaults: [undefined, [], {}],
  },
});

/** Whether options ask for an EC P-256 key (spelled as the core parses `keyType`). */
export function isEcKey(options) {
  return String(options?.keyType ?? 'rsa').trim().toLowerCase() === 'ec-p256';
}

const given = (v) => (typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null && v !== false && v !== 0);

/**
 * Whether generation options need the full module: a device CA signs, a server certificate is
 * trusted, an EC key, or the legacy .p12 (what src/wasm/generate.rs leaves to the full build).
 */
export function needsFull(options) {
  const o = options ?? {};
  return given(o.issuer) || (given(o.legacyPkcs12) && o.legacyPkcs12 !== 'false') || isEcKey(o) || (given(o.serverCertificate) && o.serverCertificate.length > 0);
}

/** Which module a call runs in: 'lean' (the page's first generation) or 'full'. */
export function moduleFor(name, args = []) {
  return CALLS[name]?.lean && !needsFull(args[0]) ? 'lean' : 'full';
}

/**
 * A call's arguments with the table's defaults for those left out, checked as the table says
 * (an unknown call is refused).
 */
export function checkCall(name, args) {
  if (!Object.hasOwn(CALLS, name)) throw apiError(`unknown call ${name}`, 'internal');
  const { check, defaults = [] } = CALLS[name];
  const full = [...args];
  defaults.forEach((d, i) => { if (full[i] === undefined) full[i] = d; });
  check(...full);
  return full;
}
