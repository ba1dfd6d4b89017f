// Every flag of the CLI, once, in the groups commands pick from; each command's --help and the
// whole --help are built from these tables.

const flag = (spelling, name, value, ...help) => ({ flag: spelling, name, value, help });
/** A flag that may be given more than once (its values collected in a list). */
const many = (spelling, name, value, ...help) => ({ ...flag(spelling, name, value, ...help), repeat: true });

/** group -> flags. `value`: what the flag takes (null: a switch). */
export const GROUPS = {
  output: [
    flag('--out', 'out', 'DIR', 'folder to write to (created when missing)       required'),
    flag('--force', 'force', null, 'overwrite existing files'),
  ],
  name: [
    flag('--cn', 'cn', 'NAME', 'common name              DOMAIN_SUFFIX            (host name)'),
    flag('--ou', 'ou', 'TEXT', 'organizational unit      ORGANIZATIONAL_UNIT      Tempus'),
    flag('--o', 'o', 'TEXT', 'organization             ORGANIZATION             Tempus'),
    flag('--l', 'l', 'TEXT', 'city or locality         CITY                     Roswell'),
    flag('--st', 'st', 'TEXT', 'state or province        STATE_OR_PROVINCE        GA'),
    flag('--c', 'c', 'CC', 'two-letter country code  TWO_LETTER_COUNTRY_CODE  US'),
  ],
  key: [
    flag('--key-type', 'keyType', 'TYPE', 'rsa or ec-p256 (NIST P-256, SHA256withECDSA)      rsa'),
    flag('--key-size', 'keySize', 'BITS', 'RSA only: 2048, 3072 or 4096                      2048'),
  ],
  days: [flag('--days', 'days', 'N', 'validity in days (1-36500)                        9999')],
  san: [many('--san', 'san', 'NAME', 'extra subject alternative name (repeatable; dns: / ip: force the type)')],
  prefix: [flag('--prefix', 'prefix', 'NAME', 'file prefix      SERVER_FILE_PREFIX / CLIENT_FILE_PREFIX   mqttserver / mqttclient')],
  store: [
    flag('--alias', 'alias', 'NAME', 'key alias        SERVER_KEY_ALIAS / CLIENT_KEY_ALIAS   serveralias / clientalias'),
    flag('--store-password-file', 'storePasswordFile', 'F', 'keystore password, the first line of F',
      '(or SERVER_KEYSTORE_PASSWORD / CLIENT_KEYSTORE_PASSWORD; --store-password PW works',
      'too, but every local user can read a command line in ps, and it stays in your history)'),
    flag('--store-password', 'storePassword', 'PW', null),
    flag('--legacy-p12', 'legacyPkcs12', null, 'write the .p12 with 3DES / SHA-1 (Java 8, Windows)'),
  ],
  keyPassword: [
    flag('--key-password-file', 'keyPasswordFile', 'F', 'key password, the first line of F  (or SERVER_KEY_PASSWORD / CLIENT_KEY_PASSWORD;',
      'or --key-password PW)',
      "The recipe's default passwords are public: set your own. A .jks password withstands",
      'far fewer guesses than a .p12 one (one SHA-1 per guess), so make it long and random.'),
    flag('--key-password', 'keyPassword', 'PW', null),
  ],
  trust: [
    flag('--server-cert', 'serverCert', 'FILE', 'client: the server certificate (PEM or DER) its keystores trust'),
    flag('--server-alias', 'serverAlias', 'NAME', 'client: alias of that trusted entry   SERVER_KEY_ALIAS   serveralias'),
  ],
  pathLen: [flag('--path-len', 'pathLen', 'N|none', 'ca: how many CAs may sit below it (basicConstraints pathLen)       0')],
  ca: [
    flag('--ca-cert', 'caCert', 'FILE', 'the CA certificate (PEM or DER), e.g. deviceca.pub.pem'),
    flag('--ca-key', 'caKey', 'FILE', 'its private key: deviceca.key.pem or deviceca.p12, or a key from another tool',
      '(PKCS#8, PKCS#1 RSA, SEC1 EC; PEM or DER; encrypted or not)'),
    flag('--ca-password-file', 'caPasswordFile', 'F', "that key file's password, the first line of F (or CA_KEY_PASSWORD; or",
      '--ca-password PW; asked for at a terminal when the file is encrypted)',
      'Adds P.chain.pem (the leaf, then the CA); .nopass.pem, .pem, .jks and .p12 carry',
      'the chain; .pub.pem and .cer stay the leaf (Device Credentials take the leaf).'),
    flag('--ca-password', 'caPassword', 'PW', null),
  ],
  role: [flag('--role', 'role', 'client|server', 'the role the certificate is for                  client')],
  request: [
    flag('--key', 'key', 'FILE', 'assemble: the key made with the request (P.key.pem)'),
    flag('--cert', 'cert', 'FILE', 'assemble: the certificate the CA returned; provision: the certificate to set'),
    flag('--chain', 'chain', 'FILE', 'assemble: the certificates above it, issuing CA first'),
  ],
  bulk: [
    flag('--names', 'names', 'FILE', "one device name per line ('#' lines skipped), or a CSV with name[,type,label]"),
    flag('--count', 'count', 'N', 'how many devices, named by --name-pattern'),
    flag('--name-pattern', 'namePattern', 'P', 'with --count: the names, {n} the number                 device-{n}'),
    flag('--type', 'type', 'TYPE', 'the device type (bulk: when the names file has none; provision --manifest: for --create)'),
    flag('--jobs', 'jobs', 'N', 'bulk: how many devices at once                          every core'),
  ],
  revoke: [
    many('--serial', 'serial', 'HEX', 'a serial number to revoke (repeatable; as openssl x509 -serial or inspect print it)'),
    flag('--reason', 'reason', 'R', 'keyCompromise, cessationOfOperation, superseded, affiliationChanged or unspecified'),
    flag('--crl-days', 'crlDays', 'N', 'days until the CRL\'s nextUpdate (renew it before then)              30'),
    flag('--deprovision', 'deprovision', null, 'also replace each revoked certificate\'s device credentials on the platform',
      '(found by name = CN, when they hold that certificate) with a fresh random access token;',
      'with --url and the login options of provision'),
  ],
  expiry: [
    flag('--within', 'within', 'DAYS', 'expiry: a certificate expiring within this many days is "expiring"    30'),
    flag('--crl', 'crl', 'FILE', 'the CA\'s CRL: revoke adds to it (default <CA prefix>.crl.pem beside --ca-cert); expiry checks against it'),
  ],
  renew: [
    flag('--new-key', 'newKey', null, 'renew: a new key of the same kind (after a suspected compromise)'),
    flag('--all', 'all', null, 'renew: every device of a fleet folder, not only those expiring within --within'),
  ],
  device: [
    flag('--ca', 'ca', 'FILE', 'device-code: what the device trusts (the broker\'s CA or certificate, PEM)'),
    flag('--for', 'for', 'KIND', 'device-code: arduino-esp32, esp-idf, paho-python, mosquitto or all          all'),
    flag('--device-code', 'deviceCode', 'KIND', 'bulk: also each device\'s files for the device (as device-code --for KIND; with --url)'),
  ],
  connect: [
    flag('--insecure', 'insecure', null, 'connect: do not check the server certificate (said in the output; a device would check it)'),
    flag('--servername', 'servername', 'NAME', 'connect: the name to ask for (SNI) and check the server certificate against   the --url host'),
    flag('--client-id', 'clientId', 'ID', 'connect: the MQTT client id                                       the CN'),
    flag('--publish', 'publish', 'JSON', 'connect: also publish JSON to v1/devices/me/telemetry (QoS 1) and wait for its PUBACK'),
    flag('--mqtt', 'mqtt', '3.1.1|5', 'connect: the MQTT version of the CONNECT                          3.1.1'),
    flag('--rest', 'rest', 'URL', "connect: also ask the platform (with provision's login options) whether the device",
      'named by the CN holds this certificate, another one, or credentials of another kind'),
  ],
  json: [flag('--json', 'json', null, 'print JSON')],
  login: [
    flag('--url', 'url', 'URL', "the platform's address, e.g. https://tempus.example.com"),
    flag('--token-file', 'tokenFile', 'F', 'a JWT, the first line of F (or TEMPUS_TOKEN; or --token T)'),
    flag('--token', 'token', 'T', null),
    flag('--username', 'username', 'U', 'with --password-file F (or TEMPUS_PASSWORD; or --password P); without a',
      'password, asked for at the terminal without echo'),
    flag('--password-file', 'passwordFile', 'F', null),
    flag('--password', 'password', 'P', null),
    flag('--auth-header', 'authHeader', 'H', 'both|x-authorization|authorization (default both)'),
    flag('--timeout', 'timeout', 'S', 'seconds each request to the platform may take, its answer included      30'),
    flag('--allow-http', 'allowHttp', null, 'allow a plain http:// URL to another machine (the password and token would',
      "cross the network readable; https:// is required otherwise, except for",
      'localhost, 127.0.0.0/8 and ::1). Redirects are never followed.'),
  ],
  provision: [
    flag('--device-id', 'deviceId', 'ID', "the device's id (with --cert)"),
    flag('--manifest', 'manifest', 'FILE', "provision every device of a bulk run's manifest.csv whose status is ok: found by",
      'name, created when missing with --create (type from the manifest, else --type),',
      'then given its certificate; devices already set are skipped; exit 1 if any failed'),
    flag('--create', 'create', null, 'with --manifest: create the devices that are missing'),
  ],
  help: [flag('--help', 'help', null, 'this text'), flag('-h', 'help', null, null)],
};

/** The flags of groups, by spelling. */
export function flagsOf(groups) {
  return Object.fromEntries(groups.flatMap((g) => GROUPS[g]).map((f) => [f.flag, f]));
}

/** option name -> the flag that sets it (the API's names for some fields too). */
export const FLAG_OF = {
  ...Object.fromEntries(Object.values(GROUPS).flat().filter((f) => f.flag !== '-h').map((f) => [f.name, f.flag])),
  serverCertificate: '--server-cert', baseUrl: '--url', certificatePem: '--cert',
  'issuer.certificate': '--ca-cert', 'issuer.privateKey': '--ca-key', 'issuer.password': '--ca-password',
};

/** option -> its file form (a secret's first line, out of ps and shell history). */
export const SECRET_FILES = {
  storePassword: 'storePasswordFile', keyPassword: 'keyPasswordFile', token: 'tokenFile', password: 'passwordFile',
  caPassword: 'caPasswordFile',
};

/** The help lines of groups: `  --flag VALUE   text`, continuation lines aligned. */
export function flagHelp(groups, seen = new Set()) {
  const lines = [];
  for (const f of groups.flatMap((g) => GROUPS[g])) {
    if (!f.help[0] || seen.has(f.flag)) continue;
    seen.add(f.flag);
    const [first, ...more] = f.help;
    lines.push(`  ${`${f.flag}${f.value ? ` ${f.value}` : ''}`.padEnd(23)} ${first}`, ...more.map((l) => `${' '.repeat(26)}${l}`));
  }
  return lines.join('\n');
}
