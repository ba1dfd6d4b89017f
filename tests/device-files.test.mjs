// checkDeviceFiles (issue 21): connect's offline stage where no TLS socket can be opened. The
// wasm module reads the files; for every case the 'files' lines must equal those of connect's
// own check, whose facts OpenSSL reads (through node:crypto): two readers, one verdict. Files
// from this tool's CLI and from openssl; the server-name check against the CA file.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { checkDeviceFiles, credentialsId } from '../js/node.js';
import { checkFiles } from '../js/connect-files.js';
import { ok, cliOk, tempDir } from './js/tools.mjs';

const dir = tempDir('device-files');
const f = (...p) => path.join(dir, ...p);
const read = (...p) => fs.readFileSync(f(...p), 'utf8');
cliOk(['server', '--out', f('srv'), '--cn', 'mqtt.example.test', '--san', '127.0.0.1', '--san', '*.fleet.example', '--key-type', 'ec-p256']);
cliOk(['client', '--out', f('dev'), '--cn', 'device-1']);
cliOk(['client', '--out', f('other'), '--cn', 'device-2', '--key-type', 'ec-p256']);
fs.writeFileSync(f('ca-pass'), 'correct horse battery\n');
cliOk(['ca', '--out', f('ca'), '--key-type', 'ec-p256', '--key-password-file', f('ca-pass')]);
cliOk(['client', '--out', f('signed'), '--cn', 'signed-device', '--key-type', 'ec-p256', '--ca-cert', f('ca', 'deviceca.pub.pem'), '--ca-key', f('ca', 'deviceca.key.pem'), '--ca-password-file', f('ca-pass')]);
ok('openssl', ['req', '-x509', '-newkey', 'rsa:3072', '-nodes', '-keyout', f('big.key'), '-out', f('big.pem'), '-subj', '/CN=big-device', '-days', '20',
  // A high first bit: DER writes a sign octet (00) that neither reader may show.
  '-set_serial', '0xC1A4E90F21809F2825521CC5775B63ADC58225']);

const files = (r) => r.stages.filter((s) => s.stage === 'files');
const tlsLine = (r) => r.stages.find((s) => s.stage === 'tls');
const failed = (r) => r.stages.find((s) => !s.ok);

/** checkDeviceFiles, and the same files through connect's OpenSSL-read check: the lines agree. */
async function both(options) {
  const r = await checkDeviceFiles(options);
  const pem = (v) => (v === undefined ? v : String(v));
  const node = checkFiles({ certificate: pem(options.certificate), key: pem(options.key ?? options.certificate), keyPassword: options.keyPassword, chain: pem(options.chain), credentialsId: r.credentialsId, now: options.now });
  assert.deepEqual(files(r), node.stages, 'the wasm-read and the OpenSSL-read files give the same lines');
  return r;
}

test('checkDeviceFiles: the files stage as connect has it (key match, password, validity, chain, key size), from two readers', async () => {
  const good = await both({ certificate: read('dev', 'mqttclient.nopass.pem') });
  assert.equal(good.ok, true, JSON.stringify(good.stages));
  assert.equal(good.credentialsId, await credentialsId(read('dev', 'mqttclient.pub.pem')));
  assert.match(files(good)[0].detail, /certificate: device-1 \(serial [0-9a-f]+\), credentials id [0-9a-f]{64}/);
  assert.match(files(good)[1].detail, /the key matches the certificate \(RSA 2048\)/);

  const mismatched = await both({ certificate: read('dev', 'mqttclient.pub.pem'), key: read('other', 'mqttclient.nopass.pem') });
  assert.equal(mismatched.ok, false);
  assert.match(failed(mismatched).detail, /does not belong to this certificate/);

  const locked = await both({ certificate: read('dev', 'mqttclient.pub.pem'), key: read('dev', 'mqttclient.pem') });
  assert.match(failed(locked).detail, /encrypted and no password was given/);
  const wrong = await both({ certificate: read('dev', 'mqttclient.pub.pem'), key: read('dev', 'mqttclient.pem'), keyPassword: 'not-the-password' });
  assert.match(failed(wrong).detail, /the password does not open it/);
  const opened = await both({ certificate: read('dev', 'mqttclient.pub.pem'), key: read('dev', 'mqttclient.pem'), keyPassword: 'password' });
  assert.equal(opened.ok, true, JSON.stringify(opened.stages));

  const expired = await both({ certificate: read('dev', 'mqttclient.nopass.pem'), now: new Date('2100-01-01') });
  assert.match(failed(expired).detail, /^expired on \d{4}-\d\d-\d\d$/);
  const early = await both({ certificate: read('dev', 'mqttclient.nopass.pem'), now: new Date('2001-01-01') });
  assert.match(failed(early).detail, /^not yet valid: from/);

  const chain = await both({ certificate: read('signed', 'mqttclient.chain.pem'), key: read('signed', 'mqttclient.nopass.pem') });
  assert.equal(chain.ok, true, JSON.stringify(chain.stages));
  assert.match(files(chain).map((s) => s.detail).join('\n'), /chain: signed-device <- .+, each signed by the next/);
  // The leaf and its full chain file given apart: the leaf is not counted twice.
  const apart = await checkDeviceFiles({ certificate: read('signed', 'mqttclient.pub.pem'), key: read('signed', 'mqttclient.nopass.pem'), chain: read('signed', 'mqttclient.chain.pem') });
  assert.equal(apart.ok, true, JSON.stringify(apart.stages));
  const reversed = await both({ certificate: `${read('ca', 'deviceca.pub.pem')}${read('signed', 'mqttclient.pub.pem')}`, key: read('signed', 'mqttclient.nopass.pem') });
  assert.equal(reversed.ok, false);
  assert.match(reversed.stages.map((s) => s.detail).join('\n'), /is not signed by the next certificate, signed-device/);

  const big = await both({ certificate: read('big.pem'), key: read('big.key') });
  assert.match(big.stages.find((s) => /RSA 3072: slow on a microcontroller/.test(s.detail)).fix, /ec-p256/);
  assert.match(files(big).find((s) => /expires within 30 days/.test(s.detail)).fix, /renew/);
  assert.match(files(big)[0].detail, /\(serial c1a4e90f21809f2825521cc5775b63adc58225\)/);

  const garbage = await checkDeviceFiles({ certificate: 'not a certificate' });
  assert.equal(garbage.ok, false);
  assert.equal(garbage.credentialsId, null);
  assert.match(failed(garbage).detail, /the certificate does not parse/);
  const noKey = await checkDeviceFiles({ certificate: read('dev', 'mqttclient.pub.pem') });
  assert.match(files(noKey)[1].detail, /no private key given/);
});

test('checkDeviceFiles: the server-name check against the CA file the device trusts; bad options', async () => {
  const srv = read('srv', 'mqttserver.pub.pem');
  const device = read('dev', 'mqttclient.nopass.pem');
  for (const host of ['mqtt.example.test', 'mqtts://127.0.0.1:8883', 'a.fleet.example:8883', 'MQTT.Example.Test']) {
    const r = await checkDeviceFiles({ certificate: device, ca: srv, host });
    assert.equal(tlsLine(r).ok, true, `${host}: ${tlsLine(r).detail}`);
  }
  for (const host of ['other.example', 'b.a.fleet.example', 'fleet.example', '127.0.0.2']) {
    const r = await checkDeviceFiles({ certificate: device, ca: srv, host });
    assert.equal(r.ok, false, host);
    assert.match(tlsLine(r).detail, /does not name .*: it has DNS:mqtt.example.test, IP:127.0.0.1, DNS:\*.fleet.example/);
  }
  const expiredServer = await checkDeviceFiles({ certificate: device, ca: srv, host: 'mqtt.example.test', now: new Date('2100-01-01') });
  assert.match(expiredServer.stages.filter((s) => s.stage === 'tls').map((s) => s.detail).join('\n'), /server's certificate \(mqtt.example.test\) expired/);
  const byCa = await checkDeviceFiles({ certificate: device, ca: read('ca', 'deviceca.pub.pem'), host: 'mqtt.example.test' });
  assert.equal(tlsLine(byCa).ok, true);
  assert.match(tlsLine(byCa).detail, /is a CA .*checked when the device connects/);
  const client = await checkDeviceFiles({ certificate: device, ca: read('other', 'mqttclient.pub.pem'), host: 'mqtt.example.test' });
  assert.match(tlsLine(client).detail, /holds a client certificate/);
  const broken = await checkDeviceFiles({ certificate: device, ca: 'nothing here', host: 'x' });
  assert.match(tlsLine(broken).detail, /the CA file does not parse/);

  await assert.rejects(checkDeviceFiles({ certificate: device, hots: 'x' }), (e) => e.code === 'unknown_option' && e.field === 'hots');
  await assert.rejects(checkDeviceFiles({}), (e) => e.code === 'empty' && e.field === 'certificate');
  await assert.rejects(checkDeviceFiles(null), (e) => e.code === 'invalid');
});
