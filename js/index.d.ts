/** Options of `generateCredentials`, named like the CLI flags in camelCase. */
export interface CredentialsOptions {
  /**
   * "server", "client" (default) or "ca": a device CA (files P.pub.pem, P.cer, P.key.pem, P.p12;
   * CN "Tempus Device CA", prefix deviceca, alias caalias; keyPassword required, storePassword
   * defaults to it).
   */
  role?: 'server' | 'client' | 'ca';
  /** Common name; the recipe uses the host name (default "localhost"). */
  cn?: string;
  ou?: string;
  o?: string;
  l?: string;
  st?: string;
  /** Two letters A-Z, or "" to leave C out. */
  c?: string;
  /** Validity in days, 1 to 36500 (default 9999). */
  days?: number;
  /**
   * "rsa" (default) or "ec-p256" (NIST P-256, ecdsa-with-SHA256: every file holds the EC key,
   * keyUsage digitalSignature only). With "ec-p256", keySize is an error.
   */
  keyType?: 'rsa' | 'ec-p256';
  /** RSA only: 2048 (default), 3072 or 4096. */
  keySize?: number;
  /** CA only: basicConstraints pathLenConstraint, 0 (default) to 8, or "none" for no limit. */
  pathLen?: number | 'none';
  alias?: string;
  /** File name prefix (default mqttserver / mqttclient). */
  prefix?: string;
  storePassword?: string;
  keyPassword?: string;
  /** Extra subject alternative names; "dns:" / "ip:" prefixes force the type. */
  san?: string[] | string;
  /** Client only: the server certificate to trust, PEM text or DER bytes. */
  serverCertificate?: string | Uint8Array;
  /** Client only: alias of the trusted server entry (default "serveralias"). */
  serverAlias?: string;
  /** Write the .p12 with 3DES / SHA-1 for Java 8 and Windows. */
  legacyPkcs12?: boolean;
  /**
   * Server and client: the device CA that signs the certificate (without it, self-signed).
   * Adds `P.chain.pem` (leaf, then CA); .nopass.pem, .pem, .jks and .p12 carry the chain.
   */
  issuer?: Issuer;
}

/** A device CA to sign with: what `generateCredentials({ role: 'ca' })` made, or a CA of another tool. */
export interface Issuer {
  /** The CA certificate, PEM text or DER bytes (e.g. deviceca.pub.pem). */
  certificate: string | Uint8Array;
  /**
   * Its private key: deviceca.key.pem or deviceca.p12, or PKCS#8, PKCS#1 RSA or SEC1 EC
   * (PEM or DER, encrypted or not). RSA of 2048 bits or more, or EC P-256.
   */
  privateKey: string | Uint8Array;
  /** The key file's password (.key.pem: the key password; .p12: the store password). */
  password?: string;
}

export interface CredentialsFile {
  /** e.g. "mqttclient.pub.pem" */
  name: string;
  mimeType: string;
  bytes: Uint8Array;
  /** True when the file holds the private key. */
  secret: boolean;
}

export interface Credentials {
  role: 'server' | 'client' | 'ca';
  files: CredentialsFile[];
  /** Canonical PEM: what goes into Device Credentials -> X.509 Certificate. */
  certificatePem: string;
  certificateDer: Uint8Array;
  /** The id the platform computes (lowercase hex SHA3-256 of the certificate's Base64). */
  credentialsId: string;
  subject: string;
  serial: string;
  sha256Fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  /** True when notAfter was cut to the issuing CA's (a certificate cannot outlive its CA). */
  validityCut: boolean;
  /** The issuing CA's subject (keytool's order), or null when self-signed. */
  issuer: string | null;
  /** The names the certificate holds: `DNS:name`, `IP:address`. */
  san: string[];
  alias: string;
  prefix: string;
}

export interface InspectionWarning {
  code: 'expired' | 'expiring' | 'not_yet_valid' | 'multiple_certificates' | 'text_differs' | 'not_rsa';
  message: string;
}

export interface Inspection {
  subject: string;
  /** The subject's CN, when it has one as text. */
  commonName: string | null;
  issuer: string;
  selfSigned: boolean;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  keyAlgorithm: string;
  keySize: number;
  sha1Fingerprint: string;
  sha256Fingerprint: string;
  /** What the platform computes at TLS login. */
  credentialsId: string;
  /** What the platform computes on save from the pasted text (PEM input only). */
  pastedCredentialsId: string | null;
  certificates: number;
  certificatePem: string;
  warnings: InspectionWarning[];
  /** basicConstraints CA:TRUE: credentialsId is then the id by which a device profile finds this CA. */
  isCa: boolean;
  /** Every certificate of the input, in order, and whether each is signed by the next (null for the last). */
  chain: { subject: string; commonName: string | null; issuer: string; credentialsId: string; isCa: boolean; signedByNext: boolean | null }[];
  /** Its subjectAltName entries ("DNS:name", "IP:address"). */
  san: string[];
}

/** Errors carry a stable `code` and the option's name as `field` (null when none). */
export interface CertgenError extends Error {
  code: string;
  field: string | null;
}

export interface GenerateControl {
  signal?: AbortSignal;
  onProgress?: (progress: { phase: string; elapsedMs?: number }) => void;
}

export const OPTION_NAMES: readonly string[];
export const REQUEST_OPTION_NAMES: readonly string[];
export const SIGN_OPTION_NAMES: readonly string[];
export const ASSEMBLE_OPTION_NAMES: readonly string[];

/** The options of createRequest: the subject, names and key of generateCredentials. */
export type RequestOptions = Pick<CredentialsOptions, 'role' | 'cn' | 'ou' | 'o' | 'l' | 'st' | 'c' | 'keyType' | 'keySize' | 'san' | 'prefix' | 'keyPassword'>;

export interface RequestResult {
  /** P.csr (PKCS#10 PEM) and P.key.pem (the key, PKCS#8 encrypted with keyPassword; secret). */
  files: CredentialsFile[];
  csrPem: string;
  subject: string;
  prefix: string;
}

export interface SignOptions {
  /** "client" (default) or "server" (a server's certificate also gets the request's DNS and IP names). */
  role?: 'client' | 'server';
  /** Validity in days (default 9999), cut to the CA's notAfter. */
  days?: number;
  /** Extra subject alternative names. */
  san?: string[] | string;
  /** File name prefix (default the role's: mqttclient / mqttserver). */
  prefix?: string;
}

export interface AssembleOptions extends Pick<CredentialsOptions, 'role' | 'prefix' | 'alias' | 'storePassword' | 'keyPassword' | 'serverCertificate' | 'serverAlias' | 'legacyPkcs12'> {
  /** The key made with the request (P.key.pem, or any form an issuer's privateKey takes); keyPassword opens it and protects it in the files. */
  key: string | Uint8Array;
  /** The certificate the CA returned (PEM or DER). */
  certificate: string | Uint8Array;
  /** The certificates above it, issuing CA first (a file that starts with the leaf works too). */
  chain?: string | Uint8Array;
}

/** A key and its certificate request, for a CA to sign while the key stays here. */
export function createRequest(options?: RequestOptions): Promise<RequestResult>;
/** The device CA's answer to a request (PEM or DER): P.pub.pem, P.cer, P.chain.pem; the request's signature is checked. */
export function signRequest(csr: string | Uint8Array, issuer: Issuer, options?: SignOptions): Promise<Credentials>;
/** The role's files (JKS, PKCS#12, PEM, chain) around a key made earlier and the certificate a CA returned. */
export function assembleCredentials(options: AssembleOptions): Promise<Credentials>;

export const RENEW_OPTION_NAMES: readonly string[];
export interface RenewOptions extends AssembleOptions {
  /** Taken for symmetry with assembleCredentials and not needed: the new chain is the issuer's (the CA given). */
  chain?: string | Uint8Array;
  /** The old `.p12`: it must open with storePassword; a client's trusted server certificate is kept from it unless serverCertificate is given. */
  keystore?: string | Uint8Array;
  /** The device CA that signed the old certificate (required then; refused for a self-signed one). */
  issuer?: Issuer;
  /** Days of the new certificate (default: the old one's validity length; cut to the CA's notAfter). */
  days?: number;
  /** A new key of the same kind (after a suspected compromise). */
  newKey?: boolean;
}
/**
 * The same device, a new certificate: its subject, names and role (and key, unless newKey), a new
 * serial, notBefore now, from the same issuer; every file of the role made again under the same
 * passwords. Resolves as generateCredentials does, plus `newKey` and `previousCredentialsId`.
 */
export function renewCredentials(options: RenewOptions): Promise<Credentials & { newKey: boolean; previousCredentialsId: string }>;
export const REVOKE_OPTION_NAMES: readonly string[];
export interface RevokeOptions {
  /** The CA's CRL so far (PEM text or DER bytes): its entries are kept, its number raised by one. */
  crl?: string | Uint8Array;
  /** Serial numbers to revoke besides the certificates, in hex (colons allowed). */
  serials?: string[] | string;
  reason?: 'keyCompromise' | 'cessationOfOperation' | 'superseded' | 'affiliationChanged' | 'unspecified';
  /** Days until the CRL's nextUpdate (default 30, at most 3650). */
  days?: number;
}
export interface RevokeResult {
  crlPem: string;
  crlDer: Uint8Array;
  /** The serials this call added (colon hex); already revoked ones are not repeated. */
  revoked: string[];
  crlNumber: number;
  /** How many certificates the CRL revokes in all. */
  entries: number;
  nextUpdate: Date;
}
/**
 * The device CA's CRL (X.509 v2, signed by its key) revoking `certificates` (PEM or DER each; each
 * must be this CA's) and `options.serials`. With none, the same entries signed again with a fresh
 * nextUpdate. Rejects with codes naming issuer.*, certificate, crl, serials, reason or days.
 */
export function revokeCertificates(issuer: Issuer, certificates: (string | Uint8Array)[], options?: RevokeOptions): Promise<RevokeResult>;

/** A CRL (PEM or DER) read: its issuer, number, times and the serials it revokes (colon hex). Its signature is not checked. */
export function readCrl(crl: string | Uint8Array): Promise<{ issuer: string; crlNumber: number | null; thisUpdate: Date; nextUpdate: Date | null; serials: string[] }>;
export interface ExpiryEntry {
  /** The device's name (from a fleet's manifest), else the CN, else the subject. */
  name: string;
  cn: string | null;
  role: 'server' | 'client' | 'ca' | 'unknown';
  issuer: string;
  serial: string;
  credentialsId: string;
  notAfter: Date;
  daysLeft: number;
  status: 'expired' | 'expiring' | 'revoked' | 'ok';
  path: string | null;
}
/**
 * The expiry report: every certificate given (PEM text or DER bytes, chains split; results of
 * generateCredentials or generateMany; or { certificate, name, path }), once each, soonest first.
 * `within` (days, default 30) makes "expiring"; `crl` (the CA's CRL) makes "revoked"; `now` (ms or
 * a Date) is when. The array's `crl` says when that CRL itself runs out.
 */
export function checkExpiry(
  certificatesOrResults: unknown[] | unknown,
  options?: { within?: number; crl?: string | Uint8Array; now?: number | Date },
): Promise<ExpiryEntry[] & { crl: { issuer: string; crlNumber: number | null; nextUpdate: Date | null; daysLeft: number | null; status: 'expired' | 'expiring' | 'ok' } | null }>;
/** The members of `issuer`: certificate, privateKey, password. */
export const ISSUER_NAMES: readonly string[];
export function recipeDefaults(role?: 'server' | 'client' | 'ca'): Required<Omit<CredentialsOptions, 'san' | 'serverCertificate' | 'serverAlias' | 'legacyPkcs12' | 'pathLen' | 'issuer'>> & { pathLen?: number };
export function generateCredentials(options?: CredentialsOptions, control?: GenerateControl): Promise<Credentials>;
export function validateOptions(options?: CredentialsOptions): Promise<void>;
export function inspectCertificate(input: string | Uint8Array): Promise<Inspection>;
export function credentialsId(input: string | Uint8Array): Promise<string>;
export interface RequestInspection {
  subject: string;
  keyAlgorithm: string;
  keySize: number;
  /** "DNS:name" / "IP:address" */
  san: string[];
  /** Whether the request's signature verifies with its own key; signatureError says why not. */
  signatureValid: boolean;
  signatureError: string | null;
}
/** Describe a certificate request (PEM or DER). */
export function inspectRequest(input: string | Uint8Array): Promise<RequestInspection>;
/** Overwrite the bytes of every file with zeros. */
export function wipe(credentials: Credentials): void;
/** A strong random password (default 24 letters and digits, about 139 bits) from crypto.getRandomValues. */
export function randomPassword(length?: number): string;
/** The recipe's published default passwords ("password", "server_ks_password", "server_key_password"). */
export const DEFAULT_PASSWORDS: readonly string[];
/** Resolves once the wasm module is loaded. */
export function ready(): Promise<void>;
export function terminateWorkers(): void;

export interface ProvisionOptions {
  /** The Tempus server, e.g. "https://tempus.example.com". */
  baseUrl: string;
  /** The device's id (UUID). */
  deviceId: string;
  /** The certificate (PEM or DER); it is sent as canonical PEM. */
  certificatePem: string | Uint8Array;
  /** A JWT from /api/auth/login, or give username and password. */
  token?: string;
  username?: string;
  password?: string;
  /** Which auth header to send: both (default), "x-authorization" (ThingsBoard, early Tempus) or "authorization". */
  authHeader?: 'both' | 'x-authorization' | 'authorization';
  /**
   * Allow a plain http:// baseUrl for a host other than this machine (the password and token
   * then cross the network readable). Without it such a URL is refused with code insecure_http;
   * 127.0.0.0/8, ::1 and localhost (in Node: when every address it resolves to is loopback) are
   * allowed anyway; a name ending in .localhost is like any other.
   */
  allowInsecureHttp?: boolean;
  /** Seconds each request may take, its answer included (default 30); code timeout when over. */
  timeout?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface ProvisionResult {
  ok: true;
  credentialsId: string;
  /** The credentials record as the server stored it. */
  record: Record<string, unknown>;
}

/**
 * Read the device's credentials record, post it back with type X509_CERTIFICATE and the
 * canonical PEM, and check the server's credentialsId. Redirects are never followed (the
 * password and token go to baseUrl or nowhere). Rejects with an Error whose `code` is invalid
 * (also for a baseUrl with a query, fragment or user info), insecure_http, redirected (with
 * `location` where the runtime shows it), bad_login, unauthorized, unknown_device,
 * already_registered, unreachable, id_mismatch, http_error, timeout (a server too slow to answer) or
 * too_large (an answer over 4 MiB). Messages from the server are cut and stripped of control
 * characters; the token and the password never appear in a message.
 */
export function provisionDevice(options: ProvisionOptions): Promise<ProvisionResult>;

export interface FillResult {
  ok: boolean;
  framework: 'angularjs' | 'angular' | null;
  reason?: string;
}

/** Fill the open Device Credentials dialog (Tempus / ThingsBoard Web UI); never rejects. */
export function fillDeviceCredentials(certificatePem: string | Uint8Array, options?: { root?: ParentNode; timeout?: number }): Promise<FillResult>;
/** The checked base URL of a Tempus server (see ProvisionOptions); throws with code invalid or insecure_http. */
export function checkBaseUrl(baseUrl: string, options?: { allowInsecureHttp?: boolean }): string;
export function findCredentialsDialog(root?: ParentNode): { framework: 'angularjs' | 'angular'; typeSelect: Element } | null;

// ---- Many devices (issue 11) ----

export interface DeviceEntry { name: string; type?: string; label?: string }
export interface ManyResult {
  /** Position in the input (manifest rows come in this order). */
  index: number;
  name: string;
  type: string;
  label: string;
  /** A folder name safe on every file system, unique without regard to case (null when refused). */
  folder: string | null;
  ok: boolean;
  bundle?: Credentials;
  error?: CertgenError;
  /** A name made but worth a look: equal to an earlier one after NFKC, or mixing writing systems. */
  warning?: string | null;
}
export interface ManyProgress { done: number; total: number; failed: number; elapsedMs: number; remainingMs: number | null }
/**
 * Client credentials for many devices, each device's CN its name: yields each result in
 * completion order; names that cannot be made (empty, over 64 characters, repeated) are yielded
 * as failed. One worker per core (browsers: Web Workers; Node: worker threads) unless
 * `concurrency` says otherwise; `signal` stops at once, keeping what was yielded.
 */
export function generateMany(
  devices: (string | DeviceEntry)[],
  options?: Omit<CredentialsOptions, 'role' | 'cn'>,
  control?: { concurrency?: number; signal?: AbortSignal; onProgress?: (p: ManyProgress) => void; type?: string },
): AsyncIterable<ManyResult>;
/** manifest.csv: name,type,label,folder,credentials_id,sha256,not_after,serial,status,error (input order). */
export function toManifestCsv(results: ManyResult[]): string;
/** thingsboard-devices.csv: name,type,label,x509 for ThingsBoard's device import. */
export function toThingsBoardCsv(results: ManyResult[]): string;
/** A cell of manifest.csv as this tool wrote it, read back (the `'` before a formula character taken off). */
export function csvValue(cell: string): string;
/** Names from a text: one per line ('#' skipped), or a CSV with a name column (type, label too). */
export function parseNames(text: string): DeviceEntry[];
/** count names from a pattern holding {n} (1..count). */
export function patternNames(count: number, pattern?: string): string[];

export interface ProvisionManyResult {
  name: string;
  /** renewed: the device held another X.509 certificate (its previous one), now replaced. */
  status: 'provisioned' | 'renewed' | 'skipped' | 'failed';
  deviceId: string | null;
  created: boolean;
  credentialsId: string | null;
  error: CertgenError | null;
}
/**
 * Find each device by name (create it when missing and `create` is set), then set its X.509
 * credentials as provisionDevice does; devices already carrying their certificate are skipped,
 * one failure does not stop the others, 429/503 are retried, an expired login is renewed once.
 */
/**
 * After a revocation: for each certificate, its device (found by name = the certificate's CN)
 * whose credentials hold that certificate (same credentials id) gets a fresh random access token
 * instead, so the certificate no longer logs in; a device holding another certificate or another
 * kind of credentials, or none by that name, is left alone and said. Login options as
 * provisionMany's. Note: under ThingsBoard's "X509 Certificates Chain" strategy a revoked
 * certificate of a chain-provisioned device puts itself back at its next connection.
 */
export function deprovisionDevices(
  certificates: (string | Uint8Array)[],
  options: {
    url: string; token?: string; username?: string; password?: string;
    authHeader?: 'both' | 'x-authorization' | 'authorization'; allowInsecureHttp?: boolean; timeout?: number; signal?: AbortSignal;
  },
): Promise<{
  results: { name: string | null; credentialsId: string | null; deviceId: string | null; status: 'deprovisioned' | 'skipped' | 'failed'; reason: string | null; error: CertgenError | null }[];
  deprovisioned: number; skipped: number; failed: number;
}>;
export function provisionMany(
  devices: (ManyResult | { name: string; type?: string; certificatePem: string })[],
  options: {
    url: string; token?: string; username?: string; password?: string; create?: boolean; type?: string;
    authHeader?: 'both' | 'x-authorization' | 'authorization'; allowInsecureHttp?: boolean; signal?: AbortSignal;
    /** Seconds each request may take (default 30). */
    timeout?: number;
    onProgress?: (p: ManyProgress & { last: ProvisionManyResult }) => void;
  },
): Promise<{ results: ProvisionManyResult[]; provisioned: number; renewed: number; skipped: number; failed: number }>;

/**
 * The files a microcontroller or a script needs to log in as a device (what `tempus-certgen
 * device-code` writes under DIR/device/): `tempus_credentials.h` (the CA, the certificate chain and
 * the key as C strings and DER arrays; the key unencrypted, so the file is secret), an Arduino-ESP32
 * sketch, an ESP-IDF main.c, a paho-mqtt script and a mosquitto_pub line, for the broker `url`
 * (mqtts://HOST[:PORT]).
 */
export function deviceFiles(options: {
  certificatePem: string; keyPem: string; caPem?: string | null; url: string; clientId?: string;
  kinds?: ('arduino-esp32' | 'esp-idf' | 'paho-python' | 'mosquitto')[];
}): { name: string; text: string; secret: boolean; mode?: number }[];


/** One line of connect's diagnosis: what was checked, whether it passed, and what to do. */
export interface ConnectionStage {
  stage: 'files' | 'platform' | 'network' | 'tls' | 'mqtt' | 'publish';
  ok: boolean;
  detail: string;
  /** On a failure: what to do; on a passing line: a note (e.g. expiring soon), or null. */
  fix: string | null;
}

/**
 * Node only (a browser cannot open TLS sockets): does the device get in? A real MQTT login over
 * TLS, stage by stage: the files (parse, key match, validity, chain, credentials id; a failure
 * here stops before the network), DNS and TCP, TLS (server certificate against `ca`, its names,
 * the alert when the client certificate is refused), CONNACK by name, and with `publish` a QoS 1
 * PUBLISH to v1/devices/me/telemetry and its PUBACK.
 */
export function checkConnection(options: {
  /** The device certificate, PEM (leaf first; a chain may follow). */
  certificate: string;
  /** Its private key, PEM (PKCS#8, PKCS#1 or SEC1; encrypted with keyPassword). */
  key: string;
  keyPassword?: string;
  /** The certificates above the leaf, PEM, issuing CA first. */
  chain?: string;
  /** mqtts://HOST[:PORT] (8883 by default). */
  url: string;
  /** What the device trusts (PEM); the system CAs when absent. */
  ca?: string;
  /** Named in the messages (e.g. the --ca file). */
  caName?: string;
  /** Skip the server certificate check (said in the result). */
  insecure?: boolean;
  servername?: string;
  /** Default: the certificate's CN. */
  clientId?: string;
  /** JSON text to publish to v1/devices/me/telemetry. */
  publish?: string;
  /** Seconds a stage may take (10). */
  timeout?: number;
  mqtt?: '3.1.1' | '5';
  /** Called with each stage as it completes. */
  onStage?: (stage: ConnectionStage) => void;
  /** Also ask the platform (as provisionDevice logs in) whether the device named by the CN holds this certificate: a 'platform' stage. */
  rest?: { baseUrl: string; token?: string; username?: string; password?: string; authHeader?: 'both' | 'x-authorization' | 'authorization'; allowInsecureHttp?: boolean; timeout?: number };
  /** The time the files are checked at (now). */
  now?: Date;
}): Promise<{ ok: boolean; credentialsId: string | null; stages: ConnectionStage[] }>;

/** Whether a private key (PEM, DER or .p12, opened with `password` when encrypted) is the certificate's (its first). */
export function checkKeyPair(key: string | Uint8Array, certificate: string | Uint8Array, password?: string): Promise<{ matches: boolean; keyAlgorithm: string; keySize: number }>;

/**
 * connect's offline part, in the browser too (no TLS socket there): the 'files' stage (parse, key
 * match, validity, chain order and signatures, credentials id, key size for small devices) and a
 * 'tls' stage checking the CA file the device trusts against `host` (the server's own certificate:
 * its names and validity; a CA: what is left for `connect`). The same lines as checkConnection.
 */
export function checkDeviceFiles(options: {
  /** The device certificate (.pub.pem, .chain.pem or .nopass.pem: its key is used when `key` is absent). */
  certificate: string | Uint8Array;
  /** Its private key: PEM, DER or .p12 (encrypted: with keyPassword). */
  key?: string | Uint8Array;
  keyPassword?: string;
  /** The certificates above the leaf, issuing CA first. */
  chain?: string;
  /** What the device trusts: the server's .pub.pem or the CA that signed the server's certificate. */
  ca?: string | Uint8Array;
  /** The server the device connects to: HOST, HOST:PORT or mqtts://HOST[:PORT]. */
  host?: string;
  /** The time the files are checked at (now). */
  now?: Date;
}): Promise<{ ok: boolean; credentialsId: string | null; stages: ConnectionStage[] }>;
