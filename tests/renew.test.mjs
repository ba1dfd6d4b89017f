// Renewal (issue 20, part 3): the same device, a new certificate, every file rewritten under the
// same passwords, checked by openssl and keytool; the CA-signed case, a fleet, and the refusals.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, cliOk as must, ok, tempDir } from './js/tools.mjs';
import { renewCredentials } from '../js/node.js';

const pubkey = (file) => ok('openssl', ['x509', '-in', file, '-noout', '-pubkey']);
const field = (file, what) => ok('openssl', ['x509', '-in', file, '-noout', what]).trim();

test('renew a self-signed client: same subject, names and key, a new serial; every file under the same passwords; the server kept', () => {
  const dir = tempDir('renew-self');
  const pw = path.join(dir, 'pw');
  fs.writeFileSync(pw, 'renew-store-pw\n');
  must(['server', '--out', path.join(dir, 'srv'), '--cn', 'broker.example', '--san', '10.0.0.9', '--key-type', 'ec-p256']);
  const dev = path.join(dir, 'dev');
  must(['client', '--out', dev, '--cn', 'renew-1', '--key-type', 'ec-p256', '--days', '20', '--server-cert', path.join(dir, 'srv', 'mqttserver.pub.pem'),
    '--store-password-file', pw, '--key-password-file', pw]);
  const old = path.join(dev, 'mqttclient.pub.pem');
  const before = { subject: field(old, '-subject'), serial: field(old, '-serial'), key: pubkey(old), dates: field(old, '-dates') };
  const r = must(['renew', dev, '--store-password-file', pw, '--key-password-file', pw]);
  assert.match(r.stdout, /renewed: credentials id [0-9a-f]{64} -> [0-9a-f]{64} \(the same key\)/);
  assert.equal(field(old, '-subject'), before.subject);
  assert.notEqual(field(old, '-serial'), before.serial);
  assert.equal(pubkey(old), before.key);
  const days = (f) => { const [a, b] = field(f, '-dates').split('\n').map((l) => Date.parse(l.split('=')[1])); return Math.round((b - a) / 86_400_000); };
  assert.equal(days(old), 20, 'the old validity length');
  ok('openssl', ['verify', '-CAfile', old, old]);
  assert.match(ok('openssl', ['pkey', '-in', path.join(dev, 'mqttclient.pem'), '-passin', 'pass:renew-store-pw', '-check', '-noout']), /Key is valid/);
  const jks = ok('keytool', ['-list', '-storetype', 'JKS', '-keystore', path.join(dev, 'mqttclient.jks'), '-storepass', 'renew-store-pw']);
  assert.match(jks, /serveralias, .*trustedCertEntry/, 'the trusted server is kept');
  assert.match(jks, /clientalias, .*PrivateKeyEntry/);
  ok('openssl', ['pkcs12', '-in', path.join(dev, 'mqttclient.p12'), '-info', '-noout', '-passin', 'pass:renew-store-pw']);
  assert.equal(field(path.join(dev, 'previous', 'mqttclient.pub.pem'), '-serial'), before.serial, 'the old set is in previous/');
  // --new-key: another key; a wrong store password: exit 2, nothing changed.
  const serial = field(old, '-serial');
  const wrong = cli(['renew', dev, '--store-password', 'not-the-password', '--key-password-file', pw]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--store-password: .*is wrong/);
  assert.equal(field(old, '-serial'), serial, 'nothing changed');
  must(['renew', dev, '--store-password-file', pw, '--key-password-file', pw, '--new-key', '--days', '400']);
  assert.notEqual(pubkey(old), before.key);
  assert.equal(days(old), 400);
  // A server: renewed, and it says which clients need its new certificate.
  const s = must(['renew', path.join(dir, 'srv')]);
  assert.match(s.stdout, /Clients that trust this server's certificate directly must get the new mqttserver\.pub\.pem/);
  assert.match(ok('openssl', ['x509', '-in', path.join(dir, 'srv', 'mqttserver.pub.pem'), '-noout', '-ext', 'subjectAltName']), /DNS:broker\.example, IP Address:10\.0\.0\.9/);
});

test('renew a CA-signed client and a fleet: the same CA signs, another CA is refused, the manifest follows', () => {
  const dir = tempDir('renew-ca');
  const pw = path.join(dir, 'pw');
  fs.writeFileSync(pw, 'renew-ca-secret\n');
  must(['ca', '--out', path.join(dir, 'ca'), '--key-password-file', pw, '--key-type', 'ec-p256']);
  must(['ca', '--out', path.join(dir, 'other'), '--key-password-file', pw, '--key-type', 'ec-p256', '--cn', 'Other CA']);
  const ca = ['--ca-cert', path.join(dir, 'ca', 'deviceca.pub.pem'), '--ca-key', path.join(dir, 'ca', 'deviceca.key.pem'), '--ca-password-file', pw];
  const other = ['--ca-cert', path.join(dir, 'other', 'deviceca.pub.pem'), '--ca-key', path.join(dir, 'other', 'deviceca.key.pem'), '--ca-password-file', pw];
  const dev = path.join(dir, 'dev');
  must(['client', '--out', dev, '--cn', 'ca-dev-1', '--key-type', 'ec-p256', ...ca]);
  const missing = cli(['renew', dev]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--ca-cert: .*was signed by CN=Tempus Device CA/);
  const wrongCa = cli(['renew', dev, ...other]);
  assert.equal(wrongCa.code, 2);
  assert.match(wrongCa.stderr, /not the CA that issued the certificate/);
  must(['renew', dev, ...ca]);
  ok('openssl', ['verify', '-CAfile', path.join(dir, 'ca', 'deviceca.pub.pem'), path.join(dev, 'mqttclient.pub.pem')]);
  assert.match(ok('keytool', ['-list', '-v', '-keystore', path.join(dev, 'mqttclient.jks'), '-storepass', 'password']), /Certificate chain length: 2/);
  // A fleet: --all renews every device; manifest ids follow; bulk's resume still takes the folder.
  fs.writeFileSync(path.join(dir, 'names.txt'), 'f-1\nf-2\n');
  const fleet = path.join(dir, 'fleet');
  must(['bulk', '--out', fleet, '--names', path.join(dir, 'names.txt'), '--key-type', 'ec-p256', ...ca]);
  const idsBefore = fs.readFileSync(path.join(fleet, 'manifest.csv'), 'utf8');
  const none = must(['renew', fleet, ...ca]);
  assert.match(none.stdout, /renewed 0 of 2 devices/, 'nothing due within 30 days');
  const all = must(['renew', fleet, '--all', ...ca]);
  assert.match(all.stdout, /renewed 2 of 2 devices/);
  const after = fs.readFileSync(path.join(fleet, 'manifest.csv'), 'utf8');
  assert.notEqual(after, idsBefore);
  for (const name of ['f-1', 'f-2']) {
    const id = ok('openssl', ['x509', '-in', path.join(fleet, name, 'mqttclient.pub.pem'), '-noout', '-fingerprint', '-sha256']).split('=')[1].trim().replaceAll(':', '').toLowerCase();
    assert.ok(after.includes(id), `${name}'s new fingerprint is in the manifest`);
  }
  const again = cli(['bulk', '--out', fleet, '--names', path.join(dir, 'names.txt'), '--key-type', 'ec-p256', ...ca]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /made 0, kept 2/);
});

test('renewCredentials (JS): the result of generateCredentials, with the previous id', async () => {
  const dir = tempDir('renew-js');
  must(['client', '--out', dir, '--cn', 'js-renew', '--key-type', 'ec-p256']);
  const read = (n) => fs.readFileSync(path.join(dir, n));
  const r = await renewCredentials({ key: read('mqttclient.pem'), certificate: read('mqttclient.pub.pem'), chain: read('mqttclient.pub.pem'), keystore: read('mqttclient.p12'), keyPassword: 'password', storePassword: 'password' });
  assert.equal(r.role, 'client');
  assert.equal(r.files.length, 6);
  assert.match(r.previousCredentialsId, /^[0-9a-f]{64}$/);
  assert.notEqual(r.previousCredentialsId, r.credentialsId);
  assert.equal(r.newKey, false);
  await assert.rejects(renewCredentials({ key: read('mqttclient.pem'), certificate: read('mqttclient.pub.pem'), keyPassword: 'wrong-pw' }), { field: 'keyPassword' });
  await assert.rejects(renewCredentials({ bogus: 1 }), { code: 'unknown_option' });
});

// ---- provision --manifest after a renewal: the renewed devices get their new certificate -----
import { startTempus } from './tempus-server.mjs';
import { cliAsync } from './js/tools.mjs';

test('provision --manifest after renew: each renewed device gets its new certificate and is reported "renewed"; a second run skips it', async () => {
  const dir = tempDir('renew-provision');
  fs.writeFileSync(path.join(dir, 'names.txt'), 'r-1\nr-2\n');
  const fleet = path.join(dir, 'fleet');
  must(['bulk', '--out', fleet, '--names', path.join(dir, 'names.txt'), '--key-type', 'ec-p256']);
  const server = await startTempus();
  try {
    const args = ['provision', '--manifest', path.join(fleet, 'manifest.csv'), '--url', server.baseUrl, '--username', 'tenant@tempus.local', '--create'];
    const env = { env: { TEMPUS_PASSWORD: 'tenant' } };
    assert.match((await cliAsync(args, env)).stdout, /2 provisioned, 0 already set, 0 failed/);
    must(['renew', fleet, '--all']);
    const r = await cliAsync(args, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /r-1: renewed \(its previous certificate replaced\)/);
    assert.match(r.stdout, /0 provisioned, 2 renewed, 0 already set, 0 failed, of 2 devices/);
    const id = (await import('../js/node.js')).credentialsId(fs.readFileSync(path.join(fleet, 'r-1', 'mqttclient.pub.pem'), 'utf8'));
    assert.equal(server.devices.get(server.byName('r-1')).credentialsId, await id);
    assert.match((await cliAsync(args, env)).stdout, /0 provisioned, 2 already set, 0 failed/);
  } finally {
    await server.close();
  }
});

// ---- The page: "Renew a device" -------------------------------------------------------------
import { servedPage } from './js/page.mjs';

const { openPage } = servedPage();

test('the page renews a device from its files and passwords: the new files in Result, checked by openssl and keytool', async () => {
  const dir = tempDir('renew-page');
  must(['client', '--out', dir, '--cn', 'page-renew', '--key-type', 'ec-p256', '--store-password', 'page-store-1', '--key-password', 'page-key-1']);
  const before = field(path.join(dir, 'mqttclient.pub.pem'), '-serial');
  const { page, context, errors } = await openPage();
  await page.locator('body[data-wasm-ready="true"]').waitFor({ state: 'attached' });
  await page.locator('#renewFiles').setInputFiles(['mqttclient.pub.pem', 'mqttclient.pem', 'mqttclient.p12'].map((f) => path.join(dir, f)));
  await page.getByLabel("Old keystore's password").fill('not-the-password');
  await page.getByLabel("Old key's password").fill('page-key-1');
  await page.getByRole('button', { name: 'Renew', exact: true }).click();
  await page.getByText(/is wrong: it does not open the old \.p12/).waitFor({ timeout: 60_000 });
  await page.getByLabel("Old keystore's password").fill('page-store-1');
  await page.getByRole('button', { name: 'Renew', exact: true }).click();
  await page.getByText(/^Renewed: 6 files/).waitFor({ timeout: 60_000 });
  const out = tempDir('renew-page-out');
  for (const link of await page.getByRole('list', { name: 'Files' }).getByRole('link').all()) {
    const waiting = page.waitForEvent('download');
    await link.click();
    const d = await waiting;
    await d.saveAs(path.join(out, d.suggestedFilename()));
  }
  const pub = path.join(out, 'mqttclient.pub.pem');
  assert.notEqual(field(pub, '-serial'), before);
  assert.equal(field(pub, '-subject'), field(path.join(dir, 'mqttclient.pub.pem'), '-subject'));
  assert.equal(pubkey(pub), pubkey(path.join(dir, 'mqttclient.pub.pem')), 'the same key');
  ok('keytool', ['-list', '-storetype', 'JKS', '-keystore', path.join(out, 'mqttclient.jks'), '-storepass', 'page-store-1']);
  assert.match(ok('openssl', ['pkey', '-in', path.join(out, 'mqttclient.pem'), '-passin', 'pass:page-key-1', '-check', '-noout']), /Key is valid/);
  await page.getByRole('button', { name: 'Clear' }).click();
  assert.equal(await page.getByLabel("Old key's password").inputValue(), '');
  assert.deepEqual(errors, []);
  await context.close();
});
