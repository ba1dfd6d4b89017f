// The JS API over the wasm module, shared by the Node and browser entries. Each entry passes a
// loader that returns the initialised wasm-bindgen exports.
import { codedError } from './errors.js';
import { randomPassword, DEFAULT_PASSWORDS, wipe } from './secrets.js';

/** The options `generateCredentials` takes, named like the CLI flags in camelCase. */
export const OPTION_NAMES = Object.freeze([
  'role', 'cn', 'ou', 'o', 'l', 'st', 'c', 'days', 'keyType', 'keySize', 'alias', 'prefix',
  'storePassword', 'keyPassword', 'san', 'serverCertificate', 'serverAlias', 'legacyPkcs12', 'pathLen', 'issuer',
]);

/** The options of `createRequest`: a key and its request, with generateCredentials' names. */
export const REQUEST_OPTION_NAMES = Object.freeze(['role', 'cn', 'ou', 'o', 'l', 'st', 'c', 'keyType', 'keySize', 'san', 'prefix', 'keyPassword']);

/** The options of `signRequest` (its third argument). */
export const SIGN_OPTION_NAMES = Object.freeze(['role', 'days', 'san', 'prefix']);

/** The options of `assembleCredentials`: the key, the certificate the CA returned, its chain, and the stores' options. */
export const ASSEMBLE_OPTION_NAMES = Object.freeze([
  'role', 'key', 'keyPassword', 'certificate', 'chain', 'prefix', 'alias', 'storePassword', 'serverCertificate', 'serverAlias', 'legacyPkcs12',
]);

/** What `issuer` (the device CA that signs a server or client certificate) holds. */
export const ISSUER_NAMES = Object.freeze(['certificate', 'privateKey', 'password']);

/** The recipe's defaults for a role (what the page pre-fills and the CLI falls back to). */
export function recipeDefaults(role = 'client') {
  if (role === 'ca') {
    // A device CA has no well-known password: its key mints device certificates.
    return {
      role: 'ca', cn: 'Tempus Device CA', ou: 'Tempus', o: 'Tempus', l: 'Roswell', st: 'GA', c: 'US', days: 9999,
      keyType: 'rsa', keySize: 2048, alias: 'caalias', prefix: 'deviceca', storePassword: '', keyPassword: '', pathLen: 0,
    };
  }
  const server = role === 'server';
  return {
    role: server ? 'server' : 'client',
    cn: 'localhost',
    ou: 'Tempus',
    o: 'Tempus',
    l: 'Roswell',
    st: 'GA',
    c: 'US',
    days: 9999,
    keyType: 'rsa',
    keySize: 2048,
    alias: server ? 'serveralias' : 'clientalias',
    prefix: server ? 'mqttserver' : 'mqttclient',
    storePassword: server ? 'server_ks_password' : 'password',
    keyPassword: server ? 'server_key_password' : 'password',
  };
}

const apiError = (message, code, field = null) => codedError(message, code, { field });

/** Whether options ask for an EC P-256 key (spelled as the core parses `keyType`). */
export function isEcKey(options) {
  return String(options?.keyType ?? 'rsa').trim().toLowerCase() === 'ec-p256';
}

/** The shape of the options (known names, known issuer members), before the wasm checks them. */
export function checkOptions(options, names = OPTION_NAMES, what = 'generateCredentials') {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw apiError(`${what} takes an options object, e.g. { role: "client", cn: "device-1" }`, 'invalid', null);
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

function abortError(signal) {
  const reason = signal && signal.reason;
  if (reason instanceof Error) return reason;
  return apiError('The generation was cancelled', 'aborted');
}

/** The argument checks of the calls that take fixed option names, for every entry (the browser's
 *  run them before posting to a worker). */
export const CHECK_CALL = Object.freeze({
  createRequest: (options = {}) => checkOptions(options, REQUEST_OPTION_NAMES, 'createRequest'),
  signRequest: (csr, issuer, options = {}) => {
    checkOptions(options, SIGN_OPTION_NAMES, 'signRequest');
    checkOptions({ issuer }, ['issuer'], 'signRequest');
  },
  assembleCredentials: (options = {}) => checkOptions(options, ASSEMBLE_OPTION_NAMES, 'assembleCredentials'),
});

export function makeApi(load) {
  let loading = null;
  const wasm = () => (loading ??= Promise.resolve().then(load));

  // A trap (a Rust panic aborts in release builds) leaves the instance unusable; report it as an
  // internal error (browsers generate in a worker, which is then replaced).
  async function call(fn) {
    const w = await wasm();
    try {
      return fn(w);
    } catch (e) {
      if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) {
        throw apiError(`internal error in the wasm module, please report it: ${e.message}`, 'internal');
      }
      throw e;
    }
  }

  /**
   * Generate one role's files. Resolves to `{ files: [{ name, mimeType, bytes, secret }],
   * certificatePem, credentialsId, notBefore, notAfter, ... }`; rejects with an Error carrying
   * `code` and `field`.
   */
  async function generateCredentials(options = {}, { signal, onProgress } = {}) {
    checkOptions(options);
    if (signal?.aborted) throw abortError(signal);
    onProgress?.({ phase: 'start' });
    const bundle = await call((w) => w.generateCredentials(options));
    if (signal?.aborted) {
      wipe(bundle);
      throw abortError(signal);
    }
    onProgress?.({ phase: 'done' });
    return bundle;
  }

  /** Check options without generating: throws the first error, with its `field`. */
  async function validateOptions(options = {}) {
    checkOptions(options);
    await call((w) => w.validateOptions(options));
  }

  /** Describe a certificate (PEM text or DER bytes) and what the platform makes of it. */
  async function inspectCertificate(input) {
    return call((w) => w.inspectCertificate(input));
  }

  /** Describe a certificate request (PEM or DER): subject, key, names, whether its signature is valid. */
  async function inspectRequest(input) {
    return call((w) => w.inspectRequest(input));
  }

  /** The platform's credentials id (lowercase hex SHA3-256) of a certificate. */
  async function credentialsId(input) {
    return call((w) => w.credentialsId(input));
  }

  /** A key and its certificate request: `{ files: [P.csr, P.key.pem], csrPem, subject, prefix }`. */
  async function createRequest(options = {}) {
    CHECK_CALL.createRequest(options);
    return call((w) => w.createRequest(options));
  }

  /** The device CA's answer to a request (PEM or DER): `P.pub.pem`, `P.cer`, `P.chain.pem` and the leaf's id. */
  async function signRequest(csr, issuer, options = {}) {
    CHECK_CALL.signRequest(csr, issuer, options);
    return call((w) => w.signRequest(csr, issuer, options));
  }

  /** The role's files around a key made earlier and the certificate a CA returned. */
  async function assembleCredentials(options = {}) {
    CHECK_CALL.assembleCredentials(options);
    return call((w) => w.assembleCredentials(options));
  }

  return {
    generateCredentials, validateOptions, inspectCertificate, inspectRequest, credentialsId, createRequest, signRequest, assembleCredentials,
    ready: () => wasm().then(() => undefined),
  };
}

export { randomPassword, DEFAULT_PASSWORDS, wipe };
