// Revocation (issue 20, part 1): the device CA's CRL, written by `tempus-certgen revoke` and
// `revokeCertificates`, honoured by the real peers: openssl (crl -verify, verify -crl_check), a
// mosquitto broker with crlfile, and Java PKIX (tests/CrlCheck.java).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cli, cliOk as must, ok, tool, tempDir, ROOT } from './js/tools.mjs';
import { freePort, start, stop, MOSQUITTO, mosquittoConf } from './js/tls.mjs';
import { revokeCertificates } from '../js/node.js';

let made;
/** A device CA (RSA), a stranger CA (EC), a server, and three devices of the CA. */
function fleet() {
  if (made) return made;
  const dir = tempDir('revoke');
  const pw = path.join(dir, 'ca-pw');
  fs.writeFileSync(pw, 'revoke-ca-secret\n', { mode: 0o600 });
  must(['ca', '--out', path.join(dir, 'ca'), '--key-password-file', pw]);
  must(['ca', '--out', path.join(dir, 'other'), '--key-password-file', pw, '--cn', 'Stranger CA', '--key-type', 'ec-p256']);
  must(['server', '--out', path.join(dir, 'srv'), '--cn', 'localhost', '--san', '127.0.0.1', '--key-type', 'ec-p256']);
  const ca = ['--ca-cert', path.join(dir, 'ca', 'deviceca.pub.pem'), '--ca-key', path.join(dir, 'ca', 'deviceca.key.pem'), '--ca-password-file', pw];
  for (const name of ['dev-1', 'dev-2', 'dev-3']) {
    must(['client', '--out', path.join(dir, name), '--cn', name, '--key-type', 'ec-p256', '--server-cert', path.join(dir, 'srv', 'mqttserver.pub.pem'), ...ca]);
  }
  must(['client', '--out', path.join(dir, 'foreign'), '--cn', 'foreign-1', '--key-type', 'ec-p256', '--ca-cert', path.join(dir, 'other', 'deviceca.pub.pem'),
    '--ca-key', path.join(dir, 'other', 'deviceca.key.pem'), '--ca-password-file', pw]);
  made = { dir, pw, ca, crl: path.join(dir, 'ca', 'deviceca.crl.pem') };
  return made;
}

const serialOf = (file) => ok('openssl', ['x509', '-in', file, '-noout', '-serial']).trim().split('=')[1];

test('revoke: a CRL openssl verifies, growing by number, that refuses exactly the revoked devices', () => {
  const { dir, ca, crl } = fleet();
  const r1 = must(['revoke', path.join(dir, 'dev-1'), ...ca, '--reason', 'keyCompromise']);
  assert.match(r1.stdout, /revoked: serial /);
  assert.match(r1.stdout, /CRL number 1, 1 revoked in all/);
  assert.match(r1.stdout, /given no CRL/);
  assert.ok(fs.existsSync(crl) && fs.existsSync(crl.replace(/\.pem$/, '')), 'PEM and DER');
  // The second by serial, as openssl prints it.
  const r2 = must(['revoke', '--serial', serialOf(path.join(dir, 'dev-2', 'mqttclient.pub.pem')), ...ca, '--crl-days', '7']);
  assert.match(r2.stdout, /CRL number 2, 2 revoked in all/);
  const caPem = path.join(dir, 'ca', 'deviceca.pub.pem');
  const text = ok('openssl', ['crl', '-in', crl, '-CAfile', caPem, '-noout', '-text']);
  assert.match(text, /verify OK/);
  assert.match(text, /X509v3 CRL Number: *\n *2/);
  assert.match(text, /Key Compromise/);
  assert.match(text, /X509v3 Authority Key Identifier/);
  assert.equal(ok('openssl', ['crl', '-in', crl.replace(/\.pem$/, ''), '-inform', 'DER', '-noout', '-hash']),
    ok('openssl', ['crl', '-in', crl, '-noout', '-hash']), 'the DER is the same CRL');
  const verify = (name) => tool('openssl', ['verify', '-crl_check', '-CAfile', caPem, '-CRLfile', crl, path.join(dir, name, 'mqttclient.pub.pem')]);
  assert.match(verify('dev-1').out, /certificate revoked/);
  assert.match(verify('dev-2').out, /certificate revoked/);
  assert.equal(verify('dev-3').code, 0, verify('dev-3').out);
  // With nothing to revoke: the same entries, number 3, a fresh nextUpdate.
  const r3 = must(['revoke', ...ca]);
  assert.match(r3.stdout, /CRL number 3, 2 revoked in all/);
  assert.match(verify('dev-1').out, /certificate revoked/);
});

test('revoke: Java PKIX reports REVOKED; a mosquitto broker with the crlfile refuses the revoked device and lets the others in', async () => {
  const { dir, crl } = fleet();
  const caPem = path.join(dir, 'ca', 'deviceca.pub.pem');
  const java = spawnSync('java', [path.join(ROOT, 'tests', 'CrlCheck.java'), caPem, crl,
    path.join(dir, 'dev-1', 'mqttclient.pub.pem'), path.join(dir, 'dev-3', 'mqttclient.pub.pem')], { encoding: 'utf8' });
  assert.equal(java.status, 0, java.stderr);
  assert.match(java.stdout, /dev-1\/mqttclient\.pub\.pem: REVOKED/);
  assert.match(java.stdout, /dev-3\/mqttclient\.pub\.pem: OK/);
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, mosquittoConf({ port, cafile: caPem, crlfile: crl, certfile: path.join(dir, 'srv', 'mqttserver.pub.pem'), keyfile: path.join(dir, 'srv', 'mqttserver.nopass.pem') }));
  let broker;
  try {
    broker = start(MOSQUITTO, ['-c', conf, '-v'], /running|Opening ipv4 listen socket/);
    await broker.ready;
    const pub = (name) => spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '--cafile', path.join(dir, 'srv', 'mqttserver.pub.pem'),
      '--cert', path.join(dir, name, 'mqttclient.nopass.pem'), '--key', path.join(dir, name, 'mqttclient.nopass.pem'), '-t', 't', '-m', name, '-i', name],
    { encoding: 'utf8', timeout: 30_000 });
    assert.equal(pub('dev-3').status, 0, broker.output());
    assert.notEqual(pub('dev-1').status, 0, 'the revoked device is refused');
    await new Promise((r) => setTimeout(r, 300));
    assert.match(broker.output(), /u'dev-3'/);
    assert.doesNotMatch(broker.output(), /u'dev-1'/);
  } finally {
    stop(broker);
  }
});

test('revoke refuses another CA\'s certificate, a wrong password, a damaged CRL, another CA\'s CRL and an unknown reason, writing nothing', async () => {
  const { dir, pw, ca } = fleet();
  const crl = path.join(dir, 'refusals.crl.pem');
  const cases = [
    [[path.join(dir, 'foreign', 'mqttclient.pub.pem'), ...ca], /was not issued by this CA/],
    [[path.join(dir, 'dev-3'), ...ca.slice(0, 4), '--ca-password', 'not-the-password'], /--ca-password: .*is wrong/],
    [[path.join(dir, 'dev-3'), ...ca, '--reason', 'lostInTheMail'], /--reason: .*not a reason/],
    [['--serial', 'zz-not-hex', ...ca], /--serial: /],
    [[path.join(dir, 'dev-3'), ...ca, '--crl-days', '0'], /--crl-days: /],
    [[path.join(dir, 'nowhere'), ...ca], /cannot read/],
  ];
  for (const [args, message] of cases) {
    const r = cli(['revoke', ...args, '--crl', crl]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.ok(!fs.existsSync(crl), `nothing written for ${args.join(' ')}`);
  }
  // A damaged CRL and another CA's CRL: refused, the file left as it was.
  fs.writeFileSync(crl, '-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n');
  const damaged = cli(['revoke', path.join(dir, 'dev-3'), ...ca, '--crl', crl]);
  assert.equal(damaged.code, 2);
  assert.match(damaged.stderr, /--crl: /);
  const other = path.join(dir, 'other-ca.crl.pem');
  must(['revoke', '--ca-cert', path.join(dir, 'other', 'deviceca.pub.pem'), '--ca-key', path.join(dir, 'other', 'deviceca.key.pem'), '--ca-password-file', pw, '--crl', other]);
  const before = fs.readFileSync(other);
  const foreign = cli(['revoke', path.join(dir, 'dev-3'), ...ca, '--crl', other]);
  assert.equal(foreign.code, 2);
  assert.match(foreign.stderr, /--crl: .*not signed by this CA/);
  assert.ok(fs.readFileSync(other).equals(before));
});

test('revokeCertificates (JS): the CRL, its number and entries; the options are checked', async () => {
  const { dir } = fleet();
  const issuer = { certificate: fs.readFileSync(path.join(dir, 'ca', 'deviceca.pub.pem'), 'utf8'), privateKey: fs.readFileSync(path.join(dir, 'ca', 'deviceca.key.pem')), password: 'revoke-ca-secret' };
  const leaf = fs.readFileSync(path.join(dir, 'dev-3', 'mqttclient.pub.pem'), 'utf8');
  const r = await revokeCertificates(issuer, [leaf], { reason: 'cessationOfOperation', days: 10 });
  assert.equal(r.crlNumber, 1);
  assert.equal(r.entries, 1);
  assert.deepEqual(r.revoked, [serialOf(path.join(dir, 'dev-3', 'mqttclient.pub.pem')).match(/../g).join(':')]);
  assert.ok(r.crlDer instanceof Uint8Array && r.crlPem.startsWith('-----BEGIN X509 CRL-----'));
  assert.ok(Math.abs(r.nextUpdate - Date.now() - 10 * 86_400_000) < 60_000);
  const again = await revokeCertificates(issuer, [], { crl: r.crlPem, serials: ['01:02:03'] });
  assert.equal(again.crlNumber, 2);
  assert.equal(again.entries, 2);
  await assert.rejects(revokeCertificates(issuer, [], { bogus: 1 }), { code: 'unknown_option' });
  await assert.rejects(revokeCertificates(issuer, [], { reason: 'nope' }), { field: 'reason' });
});

// ---- The page's "Revoke certificates" -----------------------------------------------------
import { servedPage } from './js/page.mjs';

const { openPage } = servedPage();

test('the page revokes with the device CA of its form: a CRL openssl verifies and checks, downloaded as PEM and DER', async () => {
  const { dir } = fleet();
  const { page, context, errors } = await openPage();
  await page.locator('body[data-wasm-ready="true"]').waitFor({ state: 'attached' });
  await page.getByLabel('CA certificate').fill(fs.readFileSync(path.join(dir, 'ca', 'deviceca.pub.pem'), 'utf8'));
  await page.getByLabel('CA private key').fill(fs.readFileSync(path.join(dir, 'ca', 'deviceca.key.pem'), 'utf8'));
  await page.getByLabel('CA key password').fill('revoke-ca-secret');
  await page.getByLabel('Certificates to revoke').fill(fs.readFileSync(path.join(dir, 'dev-3', 'mqttclient.pub.pem'), 'utf8'));
  await page.getByLabel('Reason').selectOption({ label: 'Key compromise' });
  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  await page.getByText(/CRL number 1: 1 revoked now, 1 in all/).waitFor({ timeout: 60_000 });
  const out = tempDir('revoke-page');
  for (const name of ['deviceca.crl.pem', 'deviceca.crl']) {
    const waiting = page.waitForEvent('download');
    await page.getByRole('link', { name, exact: true }).click();
    const d = await waiting;
    assert.equal(d.suggestedFilename(), name);
    await d.saveAs(path.join(out, name));
  }
  const caPem = path.join(dir, 'ca', 'deviceca.pub.pem');
  assert.match(ok('openssl', ['crl', '-in', path.join(out, 'deviceca.crl.pem'), '-CAfile', caPem, '-noout']), /verify OK/);
  ok('openssl', ['crl', '-in', path.join(out, 'deviceca.crl'), '-inform', 'DER', '-CAfile', caPem, '-noout']);
  const v = tool('openssl', ['verify', '-crl_check', '-CAfile', caPem, '-CRLfile', path.join(out, 'deviceca.crl.pem'), path.join(dir, 'dev-3', 'mqttclient.pub.pem')]);
  assert.match(v.out, /certificate revoked/);
  // Another CA's certificate: refused beside the certificates' field.
  await page.getByLabel('Certificates to revoke').fill(fs.readFileSync(path.join(dir, 'foreign', 'mqttclient.pub.pem'), 'utf8'));
  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  await page.getByText(/was not issued by this CA/).waitFor({ timeout: 60_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

// ---- revoke --deprovision, against a local server that holds to the REST contract ---------
import { startTempus } from './tempus-server.mjs';
import { cliAsync } from './js/tools.mjs';
import { deprovisionDevices } from '../js/node.js';

test('revoke --deprovision: the device holding the revoked certificate gets a fresh access token; others are left alone and said', async () => {
  const { dir, ca } = fleet();
  const server = await startTempus();
  try {
    const cert = (name) => fs.readFileSync(path.join(dir, name, 'mqttclient.pub.pem'), 'utf8');
    const idOf = async (name) => (await import('../js/node.js')).credentialsId(cert(name));
    // dev-1 holds its certificate; dev-2 holds another one; dev-3 holds an access token; foreign: no such device.
    const d1 = server.addDevice('dev-1');
    Object.assign(server.devices.get(d1), { credentialsType: 'X509_CERTIFICATE', credentialsId: await idOf('dev-1') });
    const d2 = server.addDevice('dev-2');
    Object.assign(server.devices.get(d2), { credentialsType: 'X509_CERTIFICATE', credentialsId: 'another-certificate-id' });
    server.addDevice('dev-3');
    const crl = path.join(dir, 'deprovision.crl.pem');
    const r = await cliAsync(['revoke', path.join(dir, 'dev-1'), path.join(dir, 'dev-2'), path.join(dir, 'dev-3'), ...ca, '--crl', crl,
      '--deprovision', '--url', server.baseUrl, '--username', 'tenant@tempus.local'], { env: { TEMPUS_PASSWORD: 'tenant' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /dev-1: deprovisioned: /);
    assert.match(r.stdout, /dev-2: skipped: it holds another certificate/);
    assert.match(r.stdout, /dev-3: skipped: its credentials are of another kind \(ACCESS_TOKEN\)/);
    assert.match(r.stdout, /1 deprovisioned, 2 left as they were, 0 failed, of 3 devices/);
    assert.match(r.stdout, /given no CRL/);
    const after = server.devices.get(d1);
    assert.equal(after.credentialsType, 'ACCESS_TOKEN');
    assert.match(after.credentialsId, /^[A-Za-z0-9]{20}$/);
    assert.doesNotMatch(r.stdout, new RegExp(after.credentialsId), 'the new token is shown nowhere');
    assert.equal(server.devices.get(d2).credentialsId, 'another-certificate-id');
    // Usage: --deprovision without --url; --url without --deprovision. Nothing written.
    const crl2 = path.join(dir, 'usage.crl.pem');
    assert.equal(cli(['revoke', path.join(dir, 'dev-1'), ...ca, '--crl', crl2, '--deprovision']).code, 2);
    assert.equal(cli(['revoke', path.join(dir, 'dev-1'), ...ca, '--crl', crl2, '--url', server.baseUrl]).code, 2);
    assert.ok(!fs.existsSync(crl2));
    // JS: a device not on the server is skipped.
    const js = await deprovisionDevices([cert('foreign')], { baseUrl: server.baseUrl, username: 'tenant@tempus.local', password: 'tenant' });
    assert.deepEqual([js.skipped, js.results[0].status], [1, 'skipped']);
    assert.match(js.results[0].reason, /no device named foreign-1/);
  } finally {
    await server.close();
  }
});
