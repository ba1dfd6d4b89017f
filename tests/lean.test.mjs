// Issue 19: two wasm modules from one crate. The lean one (pkg/lean/, built without the "full"
// feature) makes the page's first generation: its files are checked here by openssl and keytool
// as the full module's are; what it leaves to the full module it refuses by field, and
// js/calls.js's moduleFor sends exactly those options there.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as lean from '../pkg/lean/tempus_certgen.js';
import * as full from '../pkg/tempus_certgen.js';
import { CALLS, moduleFor, needsFull } from '../js/calls.js';
import { ok, tempDir, ROOT } from './js/tools.mjs';

lean.initSync({ module: fs.readFileSync(path.join(ROOT, 'pkg', 'lean', 'tempus_certgen_bg.wasm')) });
full.initSync({ module: fs.readFileSync(path.join(ROOT, 'pkg', 'tempus_certgen_bg.wasm')) });

const CA = { certificate: '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n', privateKey: 'x', password: 'x' };

test('the lean module: every file of a server, a client and a device CA (RSA), accepted by openssl and keytool', () => {
  const dir = tempDir('lean');
  const server = lean.generateCredentials({ role: 'server', cn: 'mqtt.lean.test', san: ['127.0.0.1'] });
  const client = lean.generateCredentials({ role: 'client', cn: 'lean-device' });
  const ca = lean.generateCredentials({ role: 'ca', keyPassword: 'a CA password', storePassword: 'a CA password' });
  for (const b of [server, client, ca]) for (const f of b.files) fs.writeFileSync(path.join(dir, f.name), f.bytes);
  assert.deepEqual(server.san, ['DNS:mqtt.lean.test', 'IP:127.0.0.1'], 'the names as given, without a certificate parser');
  ok('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', 'mqttserver.pub.pem', 'mqttserver.pub.pem'], { cwd: dir });
  ok('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', 'mqttclient.pub.pem', 'mqttclient.pub.pem'], { cwd: dir });
  assert.match(ok('openssl', ['x509', '-in', 'mqttserver.pub.pem', '-noout', '-ext', 'subjectAltName'], { cwd: dir }), /DNS:mqtt.lean.test, IP Address:127.0.0.1/);
  ok('openssl', ['rsa', '-check', '-noout', '-in', 'mqttclient.nopass.pem'], { cwd: dir });
  ok('openssl', ['pkey', '-in', 'mqttclient.pem', '-passin', 'pass:password', '-noout'], { cwd: dir });
  assert.match(ok('openssl', ['pkcs12', '-in', 'mqttclient.p12', '-info', '-noout', '-passin', 'pass:password'], { cwd: dir }), /MAC: sha256, Iteration 10000/);
  assert.match(ok('keytool', ['-list', '-keystore', 'mqttclient.jks', '-storepass', 'password'], { cwd: dir }), /clientalias, .*PrivateKeyEntry/);
  assert.match(ok('keytool', ['-list', '-keystore', 'mqttserver.jks', '-storepass', 'server_ks_password'], { cwd: dir }), /serveralias, .*PrivateKeyEntry/);
  // The device CA the lean module made signs in the full one.
  const leaf = full.generateCredentials({ role: 'client', cn: 'signed-by-lean-ca', issuer: { certificate: ca.certificatePem, privateKey: new TextDecoder().decode(ca.files.find((f) => f.name.endsWith('.key.pem')).bytes), password: 'a CA password' } });
  fs.writeFileSync(path.join(dir, 'leaf.pem'), leaf.certificatePem);
  ok('openssl', ['verify', '-CAfile', 'deviceca.pub.pem', 'leaf.pem'], { cwd: dir });
  // The same credentials id as the full module computes.
  assert.equal(full.credentialsId(client.certificatePem), client.credentialsId);
});

test('the lean module refuses what it leaves to the full one, by field; moduleFor sends exactly that there', () => {
  const refused = [
    [{ role: 'client', keyType: 'ec-p256' }, 'keyType'],
    [{ role: 'client', issuer: CA }, 'issuer.certificate'],
    [{ role: 'client', serverCertificate: full.generateKeyAndCertificate({ role: 'server', cn: 's.test', keyType: 'ec-p256' }).certificatePem }, 'serverCertificate'],
    [{ role: 'client', legacyPkcs12: true }, 'legacyPkcs12'],
  ];
  for (const [options, field] of refused) {
    assert.throws(() => lean.validateOptions(options), (e) => e.field === field && /full wasm module/.test(e.message), JSON.stringify(options));
    assert.equal(needsFull(options), true, JSON.stringify(options));
    assert.equal(moduleFor('generateCredentials', [options]), 'full');
  }
  for (const options of [{}, { role: 'server', cn: 'a.test', keySize: 3072 }, { role: 'ca', keyPassword: 'long enough' }, { serverCertificate: ' ' }, { legacyPkcs12: false }]) {
    lean.validateOptions({ keyPassword: 'password', ...options });
    assert.equal(moduleFor('generateCredentials', [options]), 'lean', JSON.stringify(options));
  }
  // Only the generation's calls are in the lean module; every call of the table is in the full one.
  for (const name of Object.keys(CALLS)) {
    assert.equal(typeof full[name], 'function', `${name} in the full module`);
    assert.equal(typeof lean[name] === 'function', Boolean(CALLS[name].lean), `${name}: in the lean module exactly when the table says lean`);
    if (!CALLS[name].lean) assert.equal(moduleFor(name, [{}]), 'full');
  }
  for (const internal of ['PrimeSearch', 'generateCredentialsFromPrimes', 'deriveKeys']) assert.equal(typeof lean[internal], 'function', internal);
});
