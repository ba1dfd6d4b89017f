// The CLI (bin/tempus-certgen.js over the wasm module), checked with openssl and keytool.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { cli, ok, tool, tempDir, CLI, cleanEnv } from './js/tools.mjs';

const SERVER_FILES = ['mqttserver.jks', 'mqttserver.p12', 'mqttserver.pub.pem', 'mqttserver.cer', 'mqttserver.nopass.pem'];
const CLIENT_FILES = ['mqttclient.jks', 'mqttclient.p12', 'mqttclient.pub.pem', 'mqttclient.cer', 'mqttclient.nopass.pem', 'mqttclient.pem'];

test('--help prints the usage and exits 0, also through npx from the repo root', () => {
  const r = cli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /tempus-certgen server --out DIR/);
  assert.match(r.stdout, /--server-cert FILE/);
  const npx = tool('npx', ['--no-install', 'tempus-certgen', '--help'], { cwd: process.cwd() });
  assert.equal(npx.code, 0, npx.out);
  assert.match(npx.out, /tempus-certgen client --out DIR/);
});

test('server then client: the recipe files, accepted by openssl and keytool', () => {
  const dir = tempDir('cli-roles');
  const s = cli(['server', '--out', path.join(dir, 'srv'), '--cn', 'mqtt.example.test', '--san', '127.0.0.1', '--san', 'dns:broker']);
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'srv')).sort(), [...SERVER_FILES].sort());
  const id = s.stdout.match(/credentials id: ([0-9a-f]{64})/)[1];
  for (const f of SERVER_FILES) assert.match(s.stdout, new RegExp(`wrote .*${f.replace('.', '\\.')}`));
  const c = cli(['client', '--out', path.join(dir, 'cli'), '--cn', 'device-9', '--server-cert', path.join(dir, 'srv', 'mqttserver.pub.pem')]);
  assert.equal(c.code, 0, c.stderr);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'cli')).sort(), [...CLIENT_FILES].sort());

  const srv = path.join(dir, 'srv');
  const cl = path.join(dir, 'cli');
  ok('openssl', ['verify', '-CAfile', 'mqttserver.pub.pem', 'mqttserver.pub.pem'], { cwd: srv });
  assert.match(ok('openssl', ['x509', '-in', 'mqttserver.pub.pem', '-noout', '-ext', 'subjectAltName'], { cwd: srv }), /DNS:mqtt\.example\.test, IP Address:127\.0\.0\.1, DNS:broker/);
  assert.match(ok('openssl', ['pkey', '-in', 'mqttclient.nopass.pem', '-check', '-noout'], { cwd: cl }), /Key is valid/);
  assert.match(ok('openssl', ['pkey', '-in', 'mqttclient.pem', '-passin', 'pass:password', '-check', '-noout'], { cwd: cl }), /Key is valid/);
  ok('openssl', ['pkcs12', '-in', 'mqttserver.p12', '-info', '-noout', '-passin', 'pass:server_ks_password'], { cwd: srv });
  const list = ok('keytool', ['-list', '-storetype', 'JKS', '-keystore', 'mqttclient.jks', '-storepass', 'password'], { cwd: cl });
  assert.match(list, /serveralias, .*trustedCertEntry/);
  assert.match(list, /clientalias, .*PrivateKeyEntry/);
  // The printed id is the platform's: SHA3-256 of the trimmed PEM.
  const trimmed = fs.readFileSync(path.join(srv, 'mqttserver.pub.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\n|\r/g, '');
  assert.equal(ok('openssl', ['dgst', '-sha3-256', '-r'], { input: trimmed }).split(' ')[0], id);
  // Private key files are readable by the owner only.
  assert.equal(fs.statSync(path.join(cl, 'mqttclient.nopass.pem')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(cl, 'mqttclient.pub.pem')).mode & 0o777, 0o644);
});

test('every class of bad input exits 2, names the field, and writes nothing', () => {
  const cases = [
    [['--cn', ''], /--cn: .*Common name \(CN\).*must not be empty/],
    [['--c', 'USA'], /--c: .*Country code \(C\).*two letters/],
    [['--cn', 'x'.repeat(65)], /--cn: .*at most 64/],
    [['--ou', 'x'.repeat(65)], /--ou: .*at most 64/],
    [['--o', 'x'.repeat(65)], /--o: .*at most 64/],
    [['--l', 'x'.repeat(129)], /--l: .*at most 128/],
    [['--st', 'x'.repeat(129)], /--st: .*at most 128/],
    [['--cn', 'bad\nname'], /--cn: .*control characters/],
    [['--days', '0'], /--days: .*between 1 and 36500/],
    [['--days', '36501'], /--days: .*between 1 and 36500/],
    [['--days', 'soon'], /--days: .*whole number/],
    [['--key-size', '1024'], /--key-size: .*2048, 3072 or 4096/],
    [['--store-password', '12345'], /--store-password: .*at least 6/],
    [['--key-password', 'abc'], /--key-password: .*at least 6/],
    [['--alias', ''], /--alias: .*must not be empty/],
    [['--prefix', '../evil'], /--prefix: .*file name/],
    [['--san', 'ip:999.1.1.1'], /--san: .*IPv4 or IPv6/],
    [['--server-cert', '/nonexistent/cert.pem'], /--server-cert: cannot read/],
    [['--bogus'], /unknown option --bogus/],
    [['--cn'], /--cn needs a value/],
  ];
  for (const [args, message] of cases) {
    const dir = tempDir('cli-bad');
    const out = path.join(dir, 'out');
    const r = cli(['client', '--out', out, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.ok(!fs.existsSync(out) || fs.readdirSync(out).length === 0, `nothing written for ${args.join(' ')}`);
  }
  const dir = tempDir('cli-bad');
  fs.writeFileSync(path.join(dir, 'garbage.pem'), 'not a certificate');
  const r = cli(['client', '--out', path.join(dir, 'out'), '--server-cert', path.join(dir, 'garbage.pem')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--server-cert: Server certificate/);
  assert.equal(cli(['client']).code, 2, '--out is required');
  assert.equal(cli(['frobnicate', '--out', dir]).code, 2);
  assert.equal(cli([]).code, 2);
});

test("the recipe's environment variables are honoured, flags win", () => {
  const dir = tempDir('cli-env');
  const env = {
    DOMAIN_SUFFIX: 'env.example.test', ORGANIZATIONAL_UNIT: 'EnvUnit', ORGANIZATION: 'EnvOrg', CITY: 'Austin',
    STATE_OR_PROVINCE: 'TX', TWO_LETTER_COUNTRY_CODE: 'CA', CLIENT_KEYSTORE_PASSWORD: 'env-store-pw',
    CLIENT_KEY_PASSWORD: 'env-key-pw', CLIENT_KEY_ALIAS: 'envclient', CLIENT_FILE_PREFIX: 'envdevice',
    SERVER_KEY_ALIAS: 'envserver', SERVER_FILE_PREFIX: 'envbroker', SERVER_KEYSTORE_PASSWORD: 'env-srv-store', SERVER_KEY_PASSWORD: 'env-srv-key',
  };
  const s = cli(['server', '--out', dir, '--o', 'FlagOrg'], { env });
  assert.equal(s.code, 0, s.stderr);
  const subject = ok('openssl', ['x509', '-in', 'envbroker.pub.pem', '-noout', '-subject', '-nameopt', 'RFC2253'], { cwd: dir });
  assert.equal(subject.trim(), 'subject=CN=env.example.test,OU=EnvUnit,O=FlagOrg,L=Austin,ST=TX,C=CA');
  const r = tool('keytool', ['-importkeystore', '-srckeystore', 'envbroker.jks', '-srcstoretype', 'JKS', '-srcstorepass', 'env-srv-store',
    '-srcalias', 'envserver', '-srckeypass', 'env-srv-key', '-destkeystore', 'x.p12', '-deststoretype', 'PKCS12', '-deststorepass', 'changeit', '-noprompt'], { cwd: dir });
  assert.equal(r.code, 0, r.out);
  const c = cli(['client', '--out', dir, '--server-cert', path.join(dir, 'envbroker.pub.pem')], { env });
  assert.equal(c.code, 0, c.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'envdevice.jks')));
  const list = ok('keytool', ['-list', '-storetype', 'JKS', '-keystore', 'envdevice.jks', '-storepass', 'env-store-pw'], { cwd: dir });
  assert.match(list, /envclient, .*PrivateKeyEntry/);
  assert.match(list, /envserver, .*trustedCertEntry/, 'the trusted entry takes the server alias');
  assert.match(ok('openssl', ['pkey', '-in', 'envdevice.pem', '-passin', 'pass:env-key-pw', '-noout', '-check'], { cwd: dir }), /Key is valid/);
});

test('passwords from files (--store-password-file, --key-password-file) beat the environment; argv still works', () => {
  const dir = tempDir('cli-secret-files');
  fs.writeFileSync(path.join(dir, 'store'), 'file-store-pw\n', { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'key'), 'file-key-pw\r\nsecond line\n', { mode: 0o600 });
  const env = { CLIENT_KEYSTORE_PASSWORD: 'env-store-pw', CLIENT_KEY_PASSWORD: 'env-key-pw' };
  const c = cli(['client', '--out', dir, '--cn', 'file-secrets', '--store-password-file', path.join(dir, 'store'), '--key-password-file', path.join(dir, 'key')], { env });
  assert.equal(c.code, 0, c.stderr);
  ok('keytool', ['-list', '-storetype', 'JKS', '-keystore', 'mqttclient.jks', '-storepass', 'file-store-pw'], { cwd: dir });
  assert.match(ok('openssl', ['pkey', '-in', 'mqttclient.pem', '-passin', 'pass:file-key-pw', '-noout', '-check'], { cwd: dir }), /Key is valid/);
  ok('openssl', ['pkcs12', '-in', 'mqttclient.p12', '-info', '-noout', '-passin', 'pass:file-store-pw'], { cwd: dir });
  const argv = cli(['client', '--out', dir, '--cn', 'argv-secrets', '--prefix', 'argv', '--store-password', 'argv-store-pw', '--key-password=argv-key-pw']);
  assert.equal(argv.code, 0, argv.stderr);
  ok('keytool', ['-list', '-storetype', 'JKS', '-keystore', 'argv.jks', '-storepass', 'argv-store-pw'], { cwd: dir });
  assert.match(ok('openssl', ['pkey', '-in', 'argv.pem', '-passin', 'pass:argv-key-pw', '-noout', '-check'], { cwd: dir }), /Key is valid/);
  for (const [args, message] of [
    [['--store-password-file', path.join(dir, 'nope')], /--store-password-file: cannot read/],
    [['--key-password-file', path.join(dir, 'store'), '--key-password', 'x23456'], /give --key-password or --key-password-file, not both/],
  ]) {
    const bad = cli(['client', '--out', path.join(dir, 'bad'), ...args]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, message);
    assert.ok(!fs.existsSync(path.join(dir, 'bad')));
  }
  fs.writeFileSync(path.join(dir, 'short'), 'abc\n');
  const short = cli(['client', '--out', path.join(dir, 'bad'), '--key-password-file', path.join(dir, 'short')]);
  assert.equal(short.code, 2, short.stderr);
  assert.match(short.stderr, /--key-password/);
  const help = cli(['--help']);
  assert.match(help.stdout, /--store-password-file F/);
  assert.match(help.stdout, /--token-file F/);
  assert.match(help.stdout, /every local user can read a command line in ps/);
});

test('--key-type ec-p256: every file holds an EC P-256 key that openssl and keytool accept; --key-size with it is a usage error', () => {
  const dir = tempDir('cli-ec');
  const c = cli(['client', '--out', dir, '--cn', 'ec-device', '--key-type', 'ec-p256', '--key-password', 'ec-key-pw', '--store-password', 'ec-store-pw']);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stderr, /Generating an EC P-256 key/);
  assert.deepEqual(fs.readdirSync(dir).sort(), [...CLIENT_FILES].sort());
  const text = ok('openssl', ['x509', '-in', 'mqttclient.pub.pem', '-noout', '-text'], { cwd: dir });
  assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
  assert.match(text, /ASN1 OID: prime256v1/);
  ok('openssl', ['ec', '-in', 'mqttclient.nopass.pem', '-check', '-noout'], { cwd: dir });
  ok('openssl', ['ec', '-in', 'mqttclient.pem', '-passin', 'pass:ec-key-pw', '-check', '-noout'], { cwd: dir });
  ok('openssl', ['pkcs12', '-in', 'mqttclient.p12', '-info', '-noout', '-passin', 'pass:ec-store-pw'], { cwd: dir });
  assert.match(ok('keytool', ['-list', '-v', '-storetype', 'JKS', '-keystore', 'mqttclient.jks', '-storepass', 'ec-store-pw'], { cwd: dir }), /256-bit EC \(secp256r1\) key/);
  const info = cli(['inspect', path.join(dir, 'mqttclient.pub.pem')]);
  assert.equal(info.code, 0, info.stderr);
  for (const [args, message] of [
    [['--key-type', 'ec-p256', '--key-size', '2048'], /--key-size: .*is for RSA keys only/],
    [['--key-type', 'dsa'], /--key-type: .*"dsa" is not a key type: use "rsa" or "ec-p256"/],
  ]) {
    const bad = cli(['server', '--out', path.join(dir, 'bad'), ...args]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, message);
    assert.ok(!fs.existsSync(path.join(dir, 'bad')), 'nothing written');
  }
});

test('existing files are not overwritten without --force', () => {
  const dir = tempDir('cli-force');
  assert.equal(cli(['client', '--out', dir, '--cn', 'first']).code, 0);
  const before = fs.readFileSync(path.join(dir, 'mqttclient.pub.pem'));
  const again = cli(['client', '--out', dir, '--cn', 'second']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /refusing to overwrite .*--force/);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'mqttclient.pub.pem')), before);
  const forced = cli(['client', '--out', dir, '--cn', 'second', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.notDeepEqual(fs.readFileSync(path.join(dir, 'mqttclient.pub.pem')), before);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('.')), [], 'no temporary folder left');
});

test('inspect prints details and the credentials id, or JSON', () => {
  const vectors = path.join(process.cwd(), 'tests', 'vectors');
  const r = cli(['inspect', path.join(vectors, 'keytool-mqttclient.pub.pem')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Credentials id: +8fac8b7da6bedd63f2b14b10d630cc997872018bf81a673d6b911a7a60b016e4/);
  assert.match(r.stdout, /Subject: +CN=testhost,OU=tempus,O=tempus,L=SF,ST=CA,C=US/);
  const j = cli(['inspect', path.join(vectors, 'keytool-mqttserver.pub.pem'), '--json']);
  assert.equal(j.code, 0, j.stderr);
  const info = JSON.parse(j.stdout);
  assert.equal(info.credentialsId, '887d22af40607db802adce9e8c68db626383979f81be5bdb2fee0925d34939ee');
  assert.equal(info.keySize, 2048);
  const dir = tempDir('cli-inspect');
  fs.writeFileSync(path.join(dir, 'x.pem'), 'garbage');
  const bad = cli(['inspect', path.join(dir, 'x.pem')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Certificate/);
});

// ---- interruption: a whole set or nothing ---------------------------------------------------

function startCli(args, env = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env) });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, exit, stderr: () => stderr };
}

async function until(cond, what, ms = 60_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const snapshot = (dir) => Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));

test('SIGINT during key generation: exits at once, writes nothing', async () => {
  const dir = tempDir('cli-sigint');
  const out = path.join(dir, 'out');
  const run = startCli(['client', '--out', out, '--key-size', '4096']);
  await until(() => run.stderr().includes('Generating'), 'the generation to start');
  await new Promise((r) => setTimeout(r, 200));
  run.child.kill('SIGINT');
  const { code, stderr } = await run.exit;
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted by SIGINT/);
  assert.ok(!fs.existsSync(out) || fs.readdirSync(out).length === 0, 'no file, no temporary folder');
});

for (const phase of ['writing', 'renaming']) {
  test(`SIGTERM while ${phase} over an existing set (--force): the old set is back, nothing else`, async () => {
    const dir = tempDir(`cli-sigterm-${phase}`);
    assert.equal(cli(['client', '--out', dir, '--cn', 'original']).code, 0);
    const before = snapshot(dir);
    const run = startCli(['client', '--out', dir, '--cn', 'replacement', '--force'], { TEMPUS_CERTGEN_TEST_WRITE_DELAY_MS: '150' });
    if (phase === 'writing') {
      await until(() => fs.readdirSync(dir).some((f) => f.startsWith('.tempus-certgen-') && fs.readdirSync(path.join(dir, f)).length >= 2), 'files in the temporary folder');
    } else {
      await until(() => Object.entries(before).some(([f, b64]) => fs.existsSync(path.join(dir, f)) && fs.readFileSync(path.join(dir, f)).toString('base64') !== b64), 'a first file renamed into place');
    }
    run.child.kill('SIGTERM');
    const { code, stderr } = await run.exit;
    assert.equal(code, 143, stderr);
    assert.deepEqual(snapshot(dir), before, 'exactly the original files, untouched');
  });
}

test('ca: a device CA that needs a key password, writes its four files (keys 0600), and mints leaves openssl verifies', () => {
  const dir = tempDir('cli-ca');
  const none = cli(['ca', '--out', path.join(dir, 'none')]);
  assert.equal(none.code, 2, none.stderr);
  assert.match(none.stderr, /--key-password: a device CA needs a key password/);
  assert.ok(!fs.existsSync(path.join(dir, 'none')), 'nothing written');
  fs.writeFileSync(path.join(dir, 'pw'), 'ca-key-secret\n', { mode: 0o600 });
  const r = cli(['ca', '--out', path.join(dir, 'ca'), '--key-password-file', path.join(dir, 'pw'), '--o', 'Fleet Inc'], { env: { DOMAIN_SUFFIX: 'not-the-ca.example' } });
  assert.equal(r.code, 0, r.stderr);
  const ca = path.join(dir, 'ca');
  assert.deepEqual(fs.readdirSync(ca).sort(), ['deviceca.cer', 'deviceca.key.pem', 'deviceca.p12', 'deviceca.pub.pem']);
  for (const f of ['deviceca.key.pem', 'deviceca.p12']) assert.equal(fs.statSync(path.join(ca, f)).mode & 0o777, 0o600, f);
  const id = r.stdout.match(/credentials id: ([0-9a-f]{64})/)[1];
  assert.match(r.stdout, /Whoever holds deviceca\.key\.pem and its password can mint device certificates/);
  const trimmed = fs.readFileSync(path.join(ca, 'deviceca.pub.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\n|\r/g, '');
  assert.equal(ok('openssl', ['dgst', '-sha3-256', '-r'], { input: trimmed }).split(' ')[0], id);
  const text = ok('openssl', ['x509', '-in', 'deviceca.pub.pem', '-noout', '-text'], { cwd: ca });
  assert.match(text, /Subject: C = US, ST = GA, L = Roswell, O = Fleet Inc, OU = Tempus, CN = Tempus Device CA/);
  assert.match(text, /CA:TRUE, pathlen:0/);
  // The store password defaults to the key password.
  ok('openssl', ['pkcs12', '-in', 'deviceca.p12', '-info', '-noout', '-passin', 'pass:ca-key-secret'], { cwd: ca });
  // A leaf that openssl signs with the CA's key verifies against the CA certificate.
  ok('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-subj', '/CN=device-1', '-out', 'leaf.csr'], { cwd: ca });
  ok('openssl', ['x509', '-req', '-in', 'leaf.csr', '-CA', 'deviceca.pub.pem', '-CAkey', 'deviceca.key.pem', '-passin', 'pass:ca-key-secret',
    '-CAcreateserial', '-days', '30', '-out', 'leaf.pem'], { cwd: ca });
  ok('openssl', ['verify', '-CAfile', 'deviceca.pub.pem', 'leaf.pem'], { cwd: ca });
  // --path-len none, EC, and the store password of its own.
  const open = cli(['ca', '--out', path.join(dir, 'open'), '--path-len', 'none', '--key-type', 'ec-p256', '--prefix', 'fleetca'],
    { env: { CA_KEY_PASSWORD: 'env-ca-key', CA_KEYSTORE_PASSWORD: 'env-ca-store' } });
  assert.equal(open.code, 0, open.stderr);
  const openText = ok('openssl', ['x509', '-in', 'fleetca.pub.pem', '-noout', '-text'], { cwd: path.join(dir, 'open') });
  assert.match(openText, /CA:TRUE\n/);
  assert.match(openText, /ecdsa-with-SHA256/);
  ok('openssl', ['pkcs12', '-in', 'fleetca.p12', '-info', '-noout', '-passin', 'pass:env-ca-store'], { cwd: path.join(dir, 'open') });
  ok('openssl', ['pkey', '-in', 'fleetca.key.pem', '-passin', 'pass:env-ca-key', '-check', '-noout'], { cwd: path.join(dir, 'open') });
  for (const [args, message] of [
    [['ca', '--path-len', '99', '--key-password', 'secret-pw'], /--path-len: .*between 0 and 8/],
    [['client', '--path-len', '1'], /--path-len: is for the ca role only/],
    [['ca', '--san', 'x.example', '--key-password', 'secret-pw'], /--san: .*a device CA has no host names/],
  ]) {
    const bad = cli([...args, '--out', path.join(dir, 'bad')]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, message);
    assert.ok(!fs.existsSync(path.join(dir, 'bad')));
  }
});

test('--ca-cert/--ca-key: server and client signed by a device CA (RSA and EC, .key.pem and .p12), with their chain', () => {
  const dir = tempDir('cli-issue');
  const pw = path.join(dir, 'ca-pw');
  fs.writeFileSync(pw, 'fleet-ca-secret\n', { mode: 0o600 });
  const rsaCa = cli(['ca', '--out', path.join(dir, 'rsa'), '--key-password-file', pw, '--cn', 'Fleet RSA CA']);
  assert.equal(rsaCa.code, 0, rsaCa.stderr);
  const ecCa = cli(['ca', '--out', path.join(dir, 'ec'), '--key-password-file', pw, '--cn', 'Fleet EC CA', '--key-type', 'ec-p256', '--days', '400']);
  assert.equal(ecCa.code, 0, ecCa.stderr);
  const cases = [
    // [CA folder, key file, leaf role, key type, password form]
    ['rsa', 'deviceca.key.pem', 'client', 'ec-p256', ['--ca-password-file', pw], /sha256WithRSAEncryption/],
    ['rsa', 'deviceca.p12', 'server', 'rsa', ['--ca-password', 'fleet-ca-secret'], /sha256WithRSAEncryption/],
    ['ec', 'deviceca.key.pem', 'client', 'rsa', [], /ecdsa-with-SHA256/],
    ['ec', 'deviceca.p12', 'client', 'ec-p256', ['--ca-password-file', pw], /ecdsa-with-SHA256/],
  ];
  for (const [i, [caDir, keyFile, role, keyType, pwArgs, sig]] of cases.entries()) {
    const ca = path.join(dir, caDir);
    const out = path.join(dir, `leaf${i}`);
    const r = cli([role, '--out', out, '--cn', `device-${i}`, '--key-type', keyType, '--ca-cert', path.join(ca, 'deviceca.pub.pem'),
      '--ca-key', path.join(ca, keyFile), ...pwArgs], { env: pwArgs.length ? {} : { CA_KEY_PASSWORD: 'fleet-ca-secret' } });
    assert.equal(r.code, 0, r.stderr);
    const prefix = role === 'server' ? 'mqttserver' : 'mqttclient';
    const files = [...(role === 'server' ? SERVER_FILES : CLIENT_FILES), `${prefix}.chain.pem`];
    assert.deepEqual(fs.readdirSync(out).sort(), files.sort());
    assert.match(r.stdout, new RegExp(`issuer: +CN=Fleet ${caDir.toUpperCase()} CA, OU=Tempus`));
    assert.equal(fs.statSync(path.join(out, `${prefix}.chain.pem`)).mode & 0o777, 0o644);
    assert.equal(fs.statSync(path.join(out, `${prefix}.nopass.pem`)).mode & 0o777, 0o600);
    const caPem = path.join(ca, 'deviceca.pub.pem');
    ok('openssl', ['verify', '-CAfile', caPem, `${prefix}.pub.pem`], { cwd: out });
    assert.match(ok('openssl', ['x509', '-in', `${prefix}.pub.pem`, '-noout', '-text'], { cwd: out }), sig);
    // .pub.pem is the leaf alone (the printed id is its); the chain file is leaf + CA.
    assert.equal((fs.readFileSync(path.join(out, `${prefix}.pub.pem`), 'utf8').match(/BEGIN CERTIFICATE/g) || []).length, 1);
    assert.equal(fs.readFileSync(path.join(out, `${prefix}.chain.pem`), 'utf8'),
      fs.readFileSync(path.join(out, `${prefix}.pub.pem`), 'utf8') + fs.readFileSync(caPem, 'utf8'));
    const trimmed = fs.readFileSync(path.join(out, `${prefix}.pub.pem`), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\n|\r/g, '');
    assert.equal(ok('openssl', ['dgst', '-sha3-256', '-r'], { input: trimmed }).split(' ')[0], r.stdout.match(/credentials id: ([0-9a-f]{64})/)[1]);
    const storePw = role === 'server' ? 'server_ks_password' : 'password';
    const list = ok('keytool', ['-list', '-v', '-storetype', 'JKS', '-keystore', `${prefix}.jks`, '-storepass', storePw], { cwd: out });
    assert.match(list, /Certificate chain length: 2/);
    const info = ok('openssl', ['pkcs12', '-in', `${prefix}.p12`, '-nodes', '-passin', `pass:${storePw}`], { cwd: out });
    assert.equal((info.match(/BEGIN CERTIFICATE/g) || []).length, 2);
  }
  // The EC CA ends in 400 days: a leaf asking for 9999 is cut, and the output says so.
  const cut = cli(['client', '--out', path.join(dir, 'cut'), '--ca-cert', path.join(dir, 'ec', 'deviceca.pub.pem'),
    '--ca-key', path.join(dir, 'ec', 'deviceca.key.pem'), '--ca-password-file', pw]);
  assert.equal(cut.code, 0, cut.stderr);
  assert.match(cut.stdout, /note: the validity was cut to end with the CA's/);
  const end = (f) => ok('openssl', ['x509', '-in', f, '-noout', '-enddate']);
  assert.equal(end(path.join(dir, 'cut', 'mqttclient.pub.pem')), end(path.join(dir, 'ec', 'deviceca.pub.pem')));
});

test('--ca-* refusals exit 2 naming the option and write nothing', () => {
  const dir = tempDir('cli-issue-bad');
  const pw = path.join(dir, 'ca-pw');
  fs.writeFileSync(pw, 'fleet-ca-secret\n');
  fs.writeFileSync(path.join(dir, 'empty-pw'), '\n');
  assert.equal(cli(['ca', '--out', path.join(dir, 'a'), '--key-password-file', pw]).code, 0);
  assert.equal(cli(['ca', '--out', path.join(dir, 'b'), '--key-password-file', pw, '--key-type', 'ec-p256']).code, 0);
  assert.equal(cli(['client', '--out', path.join(dir, 'leaf')]).code, 0);
  const a = (f) => path.join(dir, 'a', f);
  const cases = [
    [['--ca-cert', a('deviceca.pub.pem'), '--ca-key', path.join(dir, 'b', 'deviceca.key.pem'), '--ca-password-file', pw], /--ca-key: .*does not belong to the CA certificate/],
    [['--ca-cert', path.join(dir, 'leaf', 'mqttclient.pub.pem'), '--ca-key', path.join(dir, 'leaf', 'mqttclient.nopass.pem')], /--ca-cert: .*is not a CA certificate/],
    [['--ca-cert', a('deviceca.pub.pem'), '--ca-key', a('deviceca.key.pem'), '--ca-password', 'wrong-password'], /--ca-password: .*is wrong/],
    [['--ca-cert', a('deviceca.pub.pem'), '--ca-key', a('deviceca.p12'), '--ca-password', 'wrong-password'], /--ca-password: .*is wrong/],
    [['--ca-cert', a('deviceca.pub.pem'), '--ca-key', a('deviceca.key.pem')], /--ca-password: .*is encrypted: give its password/],
    [['--ca-cert', a('missing.pem'), '--ca-key', a('deviceca.key.pem'), '--ca-password-file', pw], /--ca-cert: cannot read/],
    [['--ca-cert', a('deviceca.pub.pem'), '--ca-key', a('missing.pem'), '--ca-password-file', pw], /--ca-key: cannot read/],
    [['--ca-cert', a('deviceca.pub.pem'), '--ca-key', a('deviceca.key.pem'), '--ca-password-file', a('missing')], /--ca-password-file: cannot read/],
    [['--ca-cert', a('deviceca.pub.pem'), '--ca-key', a('deviceca.key.pem'), '--ca-password-file', path.join(dir, 'empty-pw')], /--ca-password-file: .*empty/],
    [['--ca-cert', a('deviceca.pub.pem'), '--ca-key', a('deviceca.key.pem'), '--ca-password-file', pw, '--ca-password', 'x'], /give --ca-password or --ca-password-file, not both/],
    [['--ca-cert', a('deviceca.pub.pem')], /--ca-key: --ca-cert needs --ca-key/],
    [['--ca-key', a('deviceca.key.pem')], /--ca-cert: --ca-key needs --ca-cert/],
    [['--ca-cert', a('deviceca.key.pem'), '--ca-key', a('deviceca.key.pem'), '--ca-password-file', pw], /--ca-cert: .*(certificate|CERTIFICATE)/],
    [['--ca-cert', a('deviceca.pub.pem'), '--ca-key', a('deviceca.pub.pem')], /--ca-key: .*holds a certificate, not a private key/],
  ];
  for (const [args, message] of cases) {
    const r = cli(['client', '--out', path.join(dir, 'out'), ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.ok(!fs.existsSync(path.join(dir, 'out')), `nothing written for ${args.join(' ')}`);
  }
  const ca = cli(['ca', '--out', path.join(dir, 'out'), '--key-password-file', pw, '--ca-cert', a('deviceca.pub.pem'), '--ca-key', a('deviceca.key.pem')]);
  assert.equal(ca.code, 2);
  assert.match(ca.stderr, /--ca-cert: is for server and client certificates/);
});

test('csr, sign, assemble: the key never leaves the device; the files around the returned certificate carry the chain', () => {
  const dir = tempDir('cli-csr');
  const caPw = path.join(dir, 'ca-pw');
  fs.writeFileSync(caPw, 'csr-ca-secret\n');
  assert.equal(cli(['ca', '--out', path.join(dir, 'ca'), '--key-password-file', caPw]).code, 0);
  const ca = (f) => path.join(dir, 'ca', f);
  const dev = path.join(dir, 'device');
  const r = cli(['csr', '--out', dev, '--cn', 'device-77', '--key-type', 'ec-p256', '--san', 'device-77.example.test', '--key-password', 'dev-key-pass']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(dev).sort(), ['mqttclient.csr', 'mqttclient.key.pem']);
  assert.equal(fs.statSync(path.join(dev, 'mqttclient.key.pem')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(dev, 'mqttclient.csr')).mode & 0o777, 0o644);
  const req = ok('openssl', ['req', '-in', 'mqttclient.csr', '-verify', '-noout', '-text'], { cwd: dev });
  assert.match(req, /Subject: C = US, ST = GA, L = Roswell, O = Tempus, OU = Tempus, CN = device-77/);
  assert.match(req, /DNS:device-77\.example\.test/);

  const signed = path.join(dir, 'signed');
  const s = cli(['sign', path.join(dev, 'mqttclient.csr'), '--ca-cert', ca('deviceca.pub.pem'), '--ca-key', ca('deviceca.key.pem'), '--ca-password-file', caPw,
    '--out', signed, '--days', '365']);
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(fs.readdirSync(signed).sort(), ['mqttclient.chain.pem', 'mqttclient.cer', 'mqttclient.pub.pem'].sort());
  const id = s.stdout.match(/credentials id: ([0-9a-f]{64})/)[1];
  ok('openssl', ['verify', '-CAfile', ca('deviceca.pub.pem'), path.join(signed, 'mqttclient.pub.pem')]);
  assert.equal(ok('openssl', ['x509', '-in', path.join(signed, 'mqttclient.pub.pem'), '-noout', '-pubkey']),
    ok('openssl', ['req', '-in', path.join(dev, 'mqttclient.csr'), '-noout', '-pubkey']));

  const out = path.join(dir, 'files');
  const a = cli(['assemble', '--key', path.join(dev, 'mqttclient.key.pem'), '--key-password', 'dev-key-pass', '--cert', path.join(signed, 'mqttclient.pub.pem'),
    '--chain', ca('deviceca.pub.pem'), '--out', out, '--store-password', 'store-pass-1']);
  assert.equal(a.code, 0, a.stderr);
  assert.deepEqual(fs.readdirSync(out).sort(), [...CLIENT_FILES, 'mqttclient.chain.pem'].sort());
  assert.match(a.stdout, new RegExp(`credentials id: ${id}`));
  assert.match(ok('keytool', ['-list', '-v', '-keystore', 'mqttclient.jks', '-storepass', 'store-pass-1'], { cwd: out }), /Certificate chain length: 2/);
  ok('openssl', ['pkey', '-in', 'mqttclient.pem', '-passin', 'pass:dev-key-pass', '-check', '-noout'], { cwd: out });
  for (const f of ['mqttclient.jks', 'mqttclient.p12', 'mqttclient.nopass.pem', 'mqttclient.pem']) assert.equal(fs.statSync(path.join(out, f)).mode & 0o777, 0o600, f);

  // inspect reads requests (and says when a signature is bad), chains and CAs.
  const ir = cli(['inspect', path.join(dev, 'mqttclient.csr')]);
  assert.equal(ir.code, 0, ir.stderr);
  assert.match(ir.stdout, /Request for: +CN=device-77/);
  assert.match(ir.stdout, /Names: +DNS:device-77\.example\.test/);
  assert.match(ir.stdout, /Signature: +valid/);
  const ic = cli(['inspect', path.join(out, 'mqttclient.chain.pem')]);
  assert.match(ic.stdout, /Chain of 2:\n {2}1\. CN=device-77.* \(signed by the next\)\n {2}2\. CN=Tempus Device CA.* \[CA\]/);
  assert.match(cli(['inspect', ca('deviceca.pub.pem')]).stdout, /Profile CA id: +[0-9a-f]{64}/);
  const broken = path.join(dir, 'broken-chain.pem');
  fs.writeFileSync(broken, fs.readFileSync(path.join(out, 'mqttclient.pub.pem'), 'utf8') + fs.readFileSync(path.join(out, 'mqttclient.pub.pem'), 'utf8'));
  assert.match(cli(['inspect', broken]).stdout, /NOT signed by the next/);

  // Refusals: exit 2, the option named, nothing written.
  assert.equal(cli(['server', '--out', path.join(dir, 'other'), '--key-type', 'ec-p256']).code, 0);
  const tampered = path.join(dir, 'tampered.csr');
  const pemText = fs.readFileSync(path.join(dev, 'mqttclient.csr'), 'utf8');
  const body = Buffer.from(pemText.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  body[body.indexOf(Buffer.from('device-77')) + 8] ^= 1; // device-77 -> device-76
  fs.writeFileSync(tampered, body);
  const it = cli(['inspect', tampered]);
  assert.equal(it.code, 0, it.stderr);
  assert.match(it.stdout, /Signature: +INVALID: .*does not verify/);
  const cases = [
    [['sign', tampered, '--ca-cert', ca('deviceca.pub.pem'), '--ca-key', ca('deviceca.key.pem'), '--ca-password-file', caPw], /csr.*does not verify/],
    [['sign', path.join(dir, 'missing.csr'), '--ca-cert', ca('deviceca.pub.pem'), '--ca-key', ca('deviceca.key.pem'), '--ca-password-file', caPw], /cannot read/],
    [['sign', path.join(dev, 'mqttclient.csr'), '--ca-cert', ca('deviceca.pub.pem'), '--ca-key', ca('deviceca.key.pem'), '--ca-password', 'wrong-pass'], /--ca-password: .*is wrong/],
    [['sign', path.join(dev, 'mqttclient.csr'), '--ca-cert', ca('deviceca.pub.pem')], /--ca-key/],
    [['assemble', '--key', path.join(dev, 'mqttclient.key.pem'), '--key-password', 'dev-key-pass', '--cert', ca('deviceca.pub.pem')], /--cert: .*is not the key's/],
    [['assemble', '--key', path.join(dev, 'mqttclient.key.pem'), '--key-password', 'not-the-pass', '--cert', path.join(signed, 'mqttclient.pub.pem')], /--key-password: .*is wrong/],
    [['assemble', '--key', path.join(dev, 'mqttclient.key.pem'), '--key-password', 'dev-key-pass', '--cert', path.join(signed, 'mqttclient.pub.pem'),
      '--chain', path.join(dir, 'other', 'mqttserver.pub.pem')], /--chain: .*did not issue/],
    [['assemble', '--cert', path.join(signed, 'mqttclient.pub.pem')], /--key FILE is required/],
    [['csr', '--key-type', 'ec-p256', '--key-size', '2048'], /--key-size/],
  ];
  for (const [args, message] of cases) {
    const bad = cli([...args, '--out', path.join(dir, 'bad')]);
    assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`);
    assert.match(bad.stderr, message, args.join(' '));
    assert.ok(!fs.existsSync(path.join(dir, 'bad')), `nothing written for ${args.join(' ')}`);
  }
});

test('bulk: a names CSV with good, repeated, too-long and odd names; the folders, manifest, ThingsBoard CSV (read by Python\'s csv) and exit code', () => {
  const dir = tempDir('cli-bulk');
  const names = path.join(dir, 'names.csv');
  fs.writeFileSync(names, `\uFEFFname,type,label\ndev-1,sensor,Kitchen\n"dev,2",,"Hall, north"\ndev-1,,\n${'x'.repeat(65)},,\nCON,,\nDev-3,,\ndev-3,gateway,\n\n`);
  const out = path.join(dir, 'fleet');
  const r = cli(['bulk', '--out', out, '--names', names, '--key-type', 'ec-p256', '--type', 'thermostat', '--jobs', '2']);
  assert.equal(r.code, 1, r.stderr); // two names cannot be made
  assert.match(r.stdout, /made 5, kept 0, failed 2 of 7 devices/);
  const folders = fs.readdirSync(out).filter((f) => !f.includes('.') || f === 'dev-1').sort();
  assert.deepEqual(folders, ['CON_', 'Dev-3', 'dev-1', 'dev-3-2', 'dev_2'].sort());
  for (const f of folders) {
    assert.deepEqual(fs.readdirSync(path.join(out, f)).sort(), [...CLIENT_FILES].sort(), f);
    assert.equal(fs.statSync(path.join(out, f, 'mqttclient.nopass.pem')).mode & 0o777, 0o600);
  }
  assert.match(ok('openssl', ['x509', '-in', path.join(out, 'dev_2', 'mqttclient.pub.pem'), '-noout', '-subject']), /CN = "dev,2"|CN = dev\\,2/);
  ok('openssl', ['pkey', '-in', path.join(out, 'Dev-3', 'mqttclient.nopass.pem'), '-check', '-noout']);
  // Python's csv module reads both files; each x509 cell hashes to its device's id.
  const check = ok('python3', ['-c', `
import csv, hashlib, json, sys
m = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
t = list(csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')))
print(json.dumps({"manifest": m, "tb": [dict(r, sha3=hashlib.sha3_256(r["x509"].encode()).hexdigest()) for r in t]}))
`, path.join(out, 'manifest.csv'), path.join(out, 'thingsboard-devices.csv')]);
  const { manifest, tb } = JSON.parse(check);
  assert.deepEqual(manifest.map((m) => [m.name, m.type, m.label, m.folder, m.status]), [
    ['dev-1', 'sensor', 'Kitchen', 'dev-1', 'ok'], ['dev,2', 'thermostat', 'Hall, north', 'dev_2', 'ok'], ['dev-1', 'thermostat', '', '', 'failed'],
    ['x'.repeat(65), 'thermostat', '', '', 'failed'], ['CON', 'thermostat', '', 'CON_', 'ok'], ['Dev-3', 'thermostat', '', 'Dev-3', 'ok'],
    ['dev-3', 'gateway', '', 'dev-3-2', 'ok']]);
  assert.match(manifest[2].error, /repeat/);
  assert.match(manifest[3].error, /65 characters/);
  assert.equal(tb.length, 5);
  for (const row of tb) {
    const m = manifest.find((x) => x.name === row.name && x.status === 'ok');
    assert.equal(row.sha3, m.credentials_id, row.name);
    assert.equal(row.type, m.type);
    assert.match(m.not_after, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const fp = ok('openssl', ['x509', '-in', path.join(out, m.folder, 'mqttclient.pub.pem'), '-noout', '-fingerprint', '-sha256']);
    assert.equal(fp.split('=')[1].trim().replaceAll(':', '').toLowerCase(), m.sha256);
  }
  // Other options into the same folder: refused, nothing touched; usage errors write nothing.
  const again = cli(['bulk', '--out', out, '--names', names]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /made with other options \(keyType, keySize differ\)/);
  for (const args of [['--names', names, '--count', '3'], ['--count', '0'], ['--count', '3', '--name-pattern', 'no-number'], ['--names', path.join(dir, 'missing')]]) {
    const bad = cli(['bulk', '--out', path.join(dir, 'bad'), ...args]);
    assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`);
    assert.ok(!fs.existsSync(path.join(dir, 'bad')), args.join(' '));
  }
});

test('bulk: a run killed in the middle, run again, completes the set with every folder whole and no device made twice', async () => {
  const dir = tempDir('cli-bulk-kill');
  const out = path.join(dir, 'fleet');
  const N = 400;
  const args = ['bulk', '--out', out, '--count', String(N), '--name-pattern', 'unit-{n}', '--key-type', 'ec-p256'];
  const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv({}) });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  // Killed (no chance to clean up) once some devices are made, well before all are.
  const poll = setInterval(() => {
    if (fs.existsSync(out) && fs.readdirSync(out).filter((f) => f.startsWith('unit-')).length >= 3) child.kill('SIGKILL');
  }, 20);
  await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  const before = fs.readdirSync(out).filter((f) => f.startsWith('unit-'));
  assert.ok(before.length >= 3 && before.length < N, `${before.length} folders before the kill\n${err}`);
  const ids = {};
  for (const f of before) {
    assert.deepEqual(fs.readdirSync(path.join(out, f)).sort(), [...CLIENT_FILES].sort(), `${f} is whole`);
    ids[f] = fs.readFileSync(path.join(out, f, 'mqttclient.pub.pem'), 'utf8');
  }
  const r = cli(args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`made ${N - before.length}, kept ${before.length}, failed 0 of ${N}`));
  const after = fs.readdirSync(out);
  assert.equal(after.filter((f) => f.startsWith('unit-')).length, N);
  assert.deepEqual(after.filter((f) => f.startsWith('.tempus-certgen-tmp')), [], 'no hidden folder left');
  for (const [f, pem] of Object.entries(ids)) assert.equal(fs.readFileSync(path.join(out, f, 'mqttclient.pub.pem'), 'utf8'), pem, `${f} was not made again`);
  const manifest = fs.readFileSync(path.join(out, 'manifest.csv'), 'utf8').trim().split('\r\n');
  assert.equal(manifest.length, N + 1);
  assert.ok(manifest.slice(1).every((l) => l.endsWith(',ok,')));
  assert.ok(manifest[1].startsWith('unit-1,default,,unit-1,'));
  // --force makes every device again.
  const forced = cli(['bulk', '--out', out, '--count', '2', '--name-pattern', 'unit-{n}', '--key-type', 'ec-p256', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.notEqual(fs.readFileSync(path.join(out, 'unit-1', 'mqttclient.pub.pem'), 'utf8'), ids['unit-1'] ?? '');
});
