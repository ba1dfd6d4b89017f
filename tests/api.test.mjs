// The npm package's JS API in Node (the "node" export), as a frontend or script imports it.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  generateCredentials, inspectCertificate, credentialsId, validateOptions, recipeDefaults, OPTION_NAMES, createRequest, signRequest, assembleCredentials,
} from 'tempus-certgen';
import { ok, tempDir } from './js/tools.mjs';

test('generateCredentials returns the files and the platform id; inspect agrees', async () => {
  const server = await generateCredentials({ role: 'server', cn: 'mqtt.test', san: ['127.0.0.1'] });
  assert.deepEqual(server.files.map((f) => f.name), ['mqttserver.jks', 'mqttserver.p12', 'mqttserver.pub.pem', 'mqttserver.cer', 'mqttserver.nopass.pem']);
  assert.ok(server.files.every((f) => f.bytes instanceof Uint8Array && f.bytes.length > 0 && typeof f.mimeType === 'string'));
  const client = await generateCredentials({ role: 'client', cn: 'device-3', serverCertificate: server.certificatePem, legacyPkcs12: true });
  assert.equal(client.files.length, 6);
  assert.match(client.credentialsId, /^[0-9a-f]{64}$/);
  assert.ok(client.notAfter > client.notBefore);
  assert.equal(Math.round((client.notAfter - client.notBefore) / 86400000), 9999);
  const info = await inspectCertificate(client.certificatePem);
  assert.equal(info.credentialsId, client.credentialsId);
  assert.equal(await credentialsId(client.certificateDer), client.credentialsId);
  // The bytes are the real thing: openssl reads the legacy p12 with the store password.
  const dir = tempDir('api');
  for (const f of client.files) fs.writeFileSync(path.join(dir, f.name), f.bytes);
  const text = ok('openssl', ['pkcs12', '-legacy', '-in', 'mqttclient.p12', '-nodes', '-passin', 'pass:password'], { cwd: dir });
  assert.equal(text.match(/BEGIN CERTIFICATE/g).length, 2);
});

test('errors are Errors with code and field', async () => {
  await assert.rejects(generateCredentials({ role: 'client', keySize: 1000 }), (e) => e instanceof Error && e.code === 'key_size' && e.field === 'keySize');
  await assert.rejects(generateCredentials({ role: 'gateway' }), (e) => e.field === 'role');
  await assert.rejects(generateCredentials({ keysize: 2048 }), (e) => e.code === 'unknown_option' && e.field === 'keysize');
  await assert.rejects(generateCredentials({ cn: 42 }), (e) => e.field === 'cn' && /text/.test(e.message));
  await assert.rejects(validateOptions({ serverCertificate: 'nope' }), (e) => e.field === 'serverCertificate' && e.code === 'invalid_certificate');
  await assert.rejects(inspectCertificate(new Uint8Array([1, 2, 3])), (e) => e.field === 'certificate');
  const aborted = AbortSignal.abort();
  await assert.rejects(generateCredentials({}, { signal: aborted }), (e) => e.code === 'aborted' || e.name === 'AbortError');
});

test('defaults mirror the recipe', () => {
  assert.deepEqual(
    [recipeDefaults('server').alias, recipeDefaults('server').storePassword, recipeDefaults('client').prefix],
    ['serveralias', 'server_ks_password', 'mqttclient'],
  );
  assert.ok(OPTION_NAMES.includes('legacyPkcs12'));
});

test('no crypto.getRandomValues: a clear error and no key', async () => {
  const { spawnSync } = await import('node:child_process');
  const script = `Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    const { generateCredentials } = await import('tempus-certgen');
    try { const b = await generateCredentials({}); console.log('KEY', b.files.length); }
    catch (e) { console.log(JSON.stringify({ code: e.code, field: e.field, message: e.message })); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /KEY/);
  const err = JSON.parse(r.stdout);
  assert.equal(err.code, 'randomness_unavailable');
  assert.match(err.message, /no secure random source.*no key was generated/);
});

test('keyType ec-p256 through the JS API: an EC bundle; keySize with it and an unknown type are errors naming the field', async () => {
  const b = await generateCredentials({ role: 'server', cn: 'ec.test', keyType: 'ec-p256' });
  assert.equal(b.files.length, 5);
  const info = await inspectCertificate(b.certificatePem);
  assert.equal(info.credentialsId, b.credentialsId);
  const dir = tempDir('api-ec');
  for (const f of b.files) fs.writeFileSync(path.join(dir, f.name), f.bytes);
  assert.match(ok('openssl', ['x509', '-in', 'mqttserver.pub.pem', '-noout', '-text'], { cwd: dir }), /ecdsa-with-SHA256[\s\S]*prime256v1/);
  ok('openssl', ['ec', '-in', 'mqttserver.nopass.pem', '-check', '-noout'], { cwd: dir });
  await assert.rejects(generateCredentials({ keyType: 'ec-p256', keySize: 2048 }), (e) => e.code === 'invalid' && e.field === 'keySize');
  await assert.rejects(validateOptions({ keyType: 'rsa-1024' }), (e) => e.code === 'invalid' && e.field === 'keyType');
  assert.ok(OPTION_NAMES.includes('keyType'));
  assert.equal(recipeDefaults('client').keyType, 'rsa');
});

test('role ca through the JS API: the four files; no default password; pathLen for the CA only', async () => {
  await assert.rejects(generateCredentials({ role: 'ca' }), (e) => e.field === 'keyPassword');
  const ca = await generateCredentials({ role: 'ca', keyPassword: 'ca-secret-1', keyType: 'ec-p256', pathLen: 1 });
  assert.deepEqual(ca.files.map((f) => f.name), ['deviceca.pub.pem', 'deviceca.cer', 'deviceca.key.pem', 'deviceca.p12']);
  assert.deepEqual(ca.files.map((f) => f.secret), [false, false, true, true]);
  assert.match(ca.subject, /^CN=Tempus Device CA,/);
  const dir = tempDir('api-ca');
  for (const f of ca.files) fs.writeFileSync(path.join(dir, f.name), f.bytes);
  assert.match(ok('openssl', ['x509', '-in', 'deviceca.pub.pem', '-noout', '-ext', 'basicConstraints'], { cwd: dir }), /CA:TRUE, pathlen:1/);
  ok('openssl', ['pkcs12', '-in', 'deviceca.p12', '-info', '-noout', '-passin', 'pass:ca-secret-1'], { cwd: dir });
  await assert.rejects(generateCredentials({ role: 'client', pathLen: 1 }), (e) => e.field === 'pathLen');
  assert.equal(recipeDefaults('ca').prefix, 'deviceca');
  assert.ok(OPTION_NAMES.includes('pathLen'));
});

test('issuer through the JS API: a client signed by a CA made with the API (PEM text and .p12 bytes), verified by openssl', async () => {
  const ca = await generateCredentials({ role: 'ca', keyType: 'ec-p256', keyPassword: 'api-ca-secret', cn: 'API Device CA' });
  const keyPem = new TextDecoder().decode(ca.files.find((f) => f.name === 'deviceca.key.pem').bytes);
  const p12 = ca.files.find((f) => f.name === 'deviceca.p12').bytes;
  const dir = tempDir('api-issuer');
  fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certificatePem);
  for (const [i, privateKey] of [keyPem, p12].entries()) {
    const client = await generateCredentials({ cn: `device-${i}`, issuer: { certificate: ca.certificatePem, privateKey, password: 'api-ca-secret' } });
    assert.equal(client.issuer, 'CN=API Device CA, OU=Tempus, O=Tempus, L=Roswell, ST=GA, C=US');
    assert.equal(typeof client.validityCut, 'boolean');
    assert.ok(client.notAfter <= ca.notAfter);
    const chain = client.files.find((f) => f.name === 'mqttclient.chain.pem');
    assert.ok(chain && !chain.secret);
    for (const f of client.files) fs.writeFileSync(path.join(dir, `${i}-${f.name}`), f.bytes);
    ok('openssl', ['verify', '-CAfile', 'ca.pem', `${i}-mqttclient.pub.pem`], { cwd: dir });
    assert.match(ok('openssl', ['x509', '-in', `${i}-mqttclient.pub.pem`, '-noout', '-text'], { cwd: dir }), /ecdsa-with-SHA256/);
  }
  // The CA's own files are untouched by issuing (no self-signed leaf slipped in).
  assert.equal(await credentialsId(ca.certificatePem), ca.credentialsId);
  await assert.rejects(generateCredentials({ issuer: { certificate: ca.certificatePem, key: keyPem } }),
    (e) => e.code === 'unknown_option' && e.field === 'issuer.key' && /certificate, privateKey, password/.test(e.message));
  await assert.rejects(generateCredentials({ issuer: { certificate: ca.certificatePem, privateKey: keyPem } }),
    (e) => e.field === 'issuer.password' && /encrypted: give its password/.test(e.message));
  await assert.rejects(generateCredentials({ issuer: { certificate: ca.certificatePem, privateKey: keyPem, password: 'nope-nope' } }),
    (e) => e.code === 'wrong_password' && e.field === 'issuer.password');
  await assert.rejects(generateCredentials({ role: 'ca', keyPassword: 'x-secret', issuer: { certificate: ca.certificatePem, privateKey: keyPem, password: 'api-ca-secret' } }),
    (e) => e.field === 'issuer.certificate');
  assert.ok(OPTION_NAMES.includes('issuer'));
});

test('createRequest, signRequest, assembleCredentials through the JS API, checked by openssl and keytool', async () => {
  const ca = await generateCredentials({ role: 'ca', keyPassword: 'api-ca-secret' });
  const issuer = { certificate: ca.certificatePem, privateKey: ca.files.find((f) => f.name === 'deviceca.p12').bytes, password: 'api-ca-secret' };
  const req = await createRequest({ cn: 'mqtt.fleet.test', keyType: 'ec-p256', keyPassword: 'req-key-pass', role: 'server', san: ['10.9.8.7'] });
  assert.deepEqual(req.files.map((f) => [f.name, f.secret]), [['mqttserver.csr', false], ['mqttserver.key.pem', true]]);
  assert.match(req.csrPem, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
  const signed = await signRequest(req.csrPem, issuer, { role: 'server', days: 90 });
  assert.deepEqual(signed.files.map((f) => f.name), ['mqttserver.pub.pem', 'mqttserver.cer', 'mqttserver.chain.pem']);
  assert.equal(Math.round((signed.notAfter - signed.notBefore) / 86400000), 90);
  const dir = tempDir('api-csr');
  fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certificatePem);
  fs.writeFileSync(path.join(dir, 'leaf.pem'), signed.certificatePem);
  ok('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', 'ca.pem', 'leaf.pem'], { cwd: dir });
  assert.match(ok('openssl', ['x509', '-in', 'leaf.pem', '-noout', '-ext', 'subjectAltName'], { cwd: dir }), /DNS:mqtt\.fleet\.test, IP Address:10\.9\.8\.7/);
  const files = await assembleCredentials({
    role: 'server', key: req.files[1].bytes, keyPassword: 'req-key-pass', certificate: signed.certificatePem, chain: ca.certificatePem, storePassword: 'srv-store-1',
  });
  assert.equal(files.credentialsId, signed.credentialsId);
  assert.deepEqual(files.files.map((f) => f.name), ['mqttserver.jks', 'mqttserver.p12', 'mqttserver.pub.pem', 'mqttserver.cer', 'mqttserver.nopass.pem', 'mqttserver.chain.pem']);
  for (const f of files.files) fs.writeFileSync(path.join(dir, f.name), f.bytes);
  assert.match(ok('keytool', ['-list', '-v', '-keystore', 'mqttserver.p12', '-storetype', 'PKCS12', '-storepass', 'srv-store-1'], { cwd: dir }), /Certificate chain length: 2/);
  // Each call checks its own option names, and errors carry their field.
  await assert.rejects(createRequest({ days: 3 }), (e) => e.code === 'unknown_option' && e.field === 'days');
  await assert.rejects(signRequest(req.csrPem, issuer, { keyType: 'rsa' }), (e) => e.code === 'unknown_option' && e.field === 'keyType');
  await assert.rejects(signRequest('not a request', issuer), (e) => e.field === 'csr');
  await assert.rejects(assembleCredentials({ key: req.files[1].bytes, keyPassword: 'req-key-pass', certificate: ca.certificatePem }),
    (e) => e.field === 'certificate' && /is not the key's/.test(e.message));
  await assert.rejects(assembleCredentials({ certificate: signed.certificatePem }), (e) => e.field === 'key' && e.code === 'empty');
});
